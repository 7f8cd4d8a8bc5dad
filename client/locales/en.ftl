# stadtlab client, English
status-offline = Preview without a connection
status-connecting = Connecting ...
status-connected = Connected
status-closed = Connection ended: { $reason }
reject-version = This page is out of date (protocol { $client }, server { $server }): please reload.
reject-no-seat = No seat reserved: please enter again.
reject-misbehaving = Too many malformed messages.
reject-replaced = You entered again in another window.
reject-left = You left the room.
reject-removed = You were removed from the room and can come back in { $minutes } minutes.
reject-banned = The stadtLABOR team has banned you.
reject-visit-ended = The class visit has ended. Thank you for coming!
reject-with-reason = { $text } Reason: { $reason }
people-count = { $count ->
    [one] 1 person in the room
   *[other] { $count } people in the room
}
people-title = People in the room
people-you = (you)
people-away = (away)
people-speaking = (speaking)
people-hint = Click or tap a name: report, mute, remove.
people-report = Report
people-mute = Mute chat
people-unmute = Unmute chat
people-mute-voice = Mute voice
people-unmute-voice = Allow voice
people-remove = Remove
people-ban = Ban
chat-title = Chat
chat-hint = Enter: write a message
chat-typing = Message: { $text }_
chat-joined = { $name } came in.
chat-left = { $name } left the room.
chat-refused-empty = The message is empty.
chat-refused-long = The message is too long.
chat-refused-control = The message contains invisible characters.
chat-refused-rate = Please write a little slower.
chat-refused-muted = Your chat was muted by the lab team or the guide.
chat-refused-pupils = The guide has switched the class chat off.
chat-refused-busy = The chat is very busy right now. Please wait a moment.
settings-title = Settings
settings-language = Language: English
settings-sensitivity = Mouse sensitivity: { $value }
settings-reduce-motion = Reduce motion: { $on }
settings-view = View: { $view }
settings-shadows = Shadows: { $on }
settings-smooth = Smooth edges: { $on }
settings-profile = Change name and colour (enter again)
settings-hint = Arrow keys up/down choose, left/right or Enter change, Esc closes
on = on
off = off
view-first = first person
view-third = third person
help-title = Controls
help-body =
    W A S D or arrow keys: walk · Shift: walk faster
    Arrow keys left/right: turn · Drag the mouse: look around (right button: capture the pointer)
    Click the floor: walk there · E or click an exhibit: look at it closely
    Touch: joystick bottom left, swipe on the right to look, tap to walk there
    Enter: chat · P: people · O: settings · V: view · F1 or H: help · Esc: close
    Class visit: F follow the group again · guides: keys 1 to 8 · chat: /report name reason
    Voice (bar bottom right): M microphone on/off (push to talk: hold M) · P and a name: report, mute
help-close = Esc or F1 closes this help.
button-chat = Chat
button-people = People
button-settings = Settings
button-help = Help
exhibit-near = E: look at "{ $title }"
exhibit-by = by { $organisation }
exhibit-link = More: { $url }
exhibit-controls = Drag or arrow keys: turn · wheel or +/-: zoom · R: reset · Esc or E: close
exhibit-reset = Reset
exhibit-close = Close
exhibit-open-link = Open link

tour-follow = Follow me
tour-gather = Everyone to me
tour-hold = Hold still
tour-look-here = Look here
tour-lock = Lock the room
tour-pupil-chat = Class chat
tour-overview = Overview
tour-speak = Speak to the class
tour-follow-again = Follow the group again
tour-on = on
tour-off = off
tour-held = Please stand still: the guide is explaining something.
tour-following = You are following the guide. Walking yourself leaves the group.
tour-ends-soon = The class visit ends in { $minutes } minutes.
tour-refused-not-a-visit = That works in a class visit only.
tour-refused-not-allowed = Only the guide may do that.
tour-refused-no-such-exhibit = No exhibit nearby: walk up to an exhibit or open it.
tour-refused-not-following = The guide is not taking the group along now.
mod-muted = { $by } has muted your chat.
mod-unmuted = { $by } has unmuted your chat.
mod-done = Done: { $action } ({ $name }).
mod-action-mute-chat = chat muted
mod-action-unmute-chat = chat allowed again
mod-action-mute-voice = voice muted
mod-action-unmute-voice = voice allowed again
mod-action-remove = removed
mod-action-ban = banned
mod-action-report = reported
mod-reported = Thank you. The lab team has your report.
mod-refused-not-allowed = You may not do that here.
mod-refused-no-such-person = That person is not (or no longer) in the room.
mod-refused-protected = You cannot remove or mute this person.
mod-refused-bad-reason = The reason is too long or contains invisible characters.
mod-refused-too-many = Too many reports. Please try again later.
mod-unknown-person = Nobody in the room has that name.
mod-usage = Commands: /report Name reason · team and guides: /mute Name · /unmute Name · /remove Name reason · team: /ban Name reason
voice-muted = { $by } has muted your voice: nobody hears you until it is allowed again.
voice-unmuted = { $by } allows you to speak again. Your microphone stays as you set it.
voice-refused-disabled = This server has no voice.
voice-refused-offer = The voice connection was refused: please reload the page.
voice-refused-too-many = Too many attempts to connect voice. Please wait a moment.
voice-refused-not-allowed = Only the guide speaks to the whole class.
