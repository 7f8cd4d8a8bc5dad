# stadtlab client, German (the default language)
status-offline = Vorschau ohne Verbindung
status-connecting = Verbinde ...
status-connected = Verbunden
status-closed = Verbindung beendet: { $reason }
reject-version = Diese Seite ist veraltet (Protokoll { $client }, Server { $server }): bitte neu laden.
reject-no-seat = Kein Platz reserviert: bitte neu eintreten.
reject-misbehaving = Zu viele fehlerhafte Nachrichten.
reject-replaced = Sie sind in einem anderen Fenster neu eingetreten.
reject-left = Sie haben den Raum verlassen.
reject-removed = Sie wurden aus dem Raum entfernt und können in { $minutes } Minuten zurückkommen.
reject-banned = Das Team des stadtLABORs hat Sie gesperrt.
reject-visit-ended = Der Klassenbesuch ist zu Ende. Danke für Ihren Besuch!
reject-with-reason = { $text } Grund: { $reason }
people-count = { $count ->
    [one] 1 Person im Raum
   *[other] { $count } Personen im Raum
}
people-title = Personen im Raum
people-you = (Sie)
people-away = (abwesend)
people-speaking = (spricht)
people-hint = Auf einen Namen klicken oder tippen: melden, stummschalten, entfernen.
people-report = Melden
people-mute = Chat stumm
people-unmute = Chat wieder an
people-mute-voice = Stimme stumm
people-unmute-voice = Stimme wieder an
people-remove = Entfernen
people-ban = Sperren
chat-title = Chat
chat-hint = Enter: Nachricht schreiben
chat-typing = Nachricht: { $text }_
chat-joined = { $name } ist eingetreten.
chat-left = { $name } hat den Raum verlassen.
chat-refused-empty = Die Nachricht ist leer.
chat-refused-long = Die Nachricht ist zu lang.
chat-refused-control = Die Nachricht enthält unsichtbare Zeichen.
chat-refused-rate = Bitte etwas langsamer schreiben.
chat-refused-muted = Ihr Chat wurde vom Team oder der Führung stummgeschaltet.
chat-refused-pupils = Die Führung hat den Chat für die Klasse ausgeschaltet.
chat-refused-busy = Der Chat ist gerade sehr voll. Bitte kurz warten.
settings-title = Einstellungen
settings-language = Sprache: Deutsch
settings-sensitivity = Mausempfindlichkeit: { $value }
settings-reduce-motion = Bewegung reduzieren: { $on }
settings-view = Ansicht: { $view }
settings-shadows = Schatten: { $on }
settings-smooth = Kantenglättung: { $on }
settings-profile = Name und Farbe ändern (neu eintreten)
settings-hint = Pfeiltasten hoch/runter wählen, links/rechts oder Enter ändern, Esc schließt
on = an
off = aus
view-first = Ich-Perspektive
view-third = Verfolger-Perspektive
help-title = Steuerung
help-body =
    W A S D oder Pfeiltasten: gehen · Umschalt: schneller gehen
    Pfeiltasten links/rechts: drehen · Maus ziehen: umsehen (rechte Taste: Zeiger fangen)
    Klick auf den Boden: dorthin gehen · E oder Klick auf ein Exponat: genau ansehen
    Touch: Joystick links unten, rechts wischen zum Umsehen, tippen zum Hingehen
    Enter: Chat · P: Personen · O: Einstellungen · V: Ansicht · F1 oder H: Hilfe · Esc: schließen
    Klassenbesuch: F wieder der Gruppe folgen · Führung: Tasten 1 bis 8 · Chat: /melden Name Grund
    Sprache (Leiste unten rechts): M Mikrofon an/aus (mit Sprechtaste: M halten) · P und ein Name: melden, stummschalten
help-close = Esc oder F1 schließt diese Hilfe.
button-chat = Chat
button-people = Personen
button-settings = Einstellungen
button-help = Hilfe
exhibit-near = E: „{ $title }“ ansehen
exhibit-by = von { $organisation }
exhibit-link = Mehr dazu: { $url }
exhibit-controls = Ziehen oder Pfeiltasten: drehen · Mausrad oder +/-: zoomen · R: zurücksetzen · Esc oder E: schließen
exhibit-reset = Zurücksetzen
exhibit-close = Schließen
exhibit-open-link = Link öffnen

tour-follow = Folgt mir
tour-gather = Alle zu mir
tour-hold = Stehen bleiben
tour-look-here = Hier schauen
tour-lock = Raum schließen
tour-pupil-chat = Chat der Klasse
tour-overview = Übersicht
tour-speak = Zur Klasse sprechen
tour-follow-again = Wieder der Gruppe folgen
tour-on = an
tour-off = aus
tour-held = Bitte stehen bleiben: Die Führung erklärt gerade etwas.
tour-following = Sie folgen der Führung. Selbst gehen verlässt die Gruppe.
tour-ends-soon = Der Klassenbesuch endet in { $minutes } Minuten.
tour-refused-not-a-visit = Das geht nur in einem Klassenbesuch.
tour-refused-not-allowed = Das darf nur die Führung.
tour-refused-no-such-exhibit = Kein Exponat in der Nähe: gehen Sie zu einem Exponat oder öffnen Sie es.
tour-refused-not-following = Die Führung nimmt die Gruppe gerade nicht mit.
mod-muted = { $by } hat Ihren Chat stummgeschaltet.
mod-unmuted = { $by } hat Ihren Chat wieder freigegeben.
mod-done = Erledigt: { $action } ({ $name }).
mod-action-mute-chat = Chat stummgeschaltet
mod-action-unmute-chat = Chat wieder frei
mod-action-mute-voice = Stimme stummgeschaltet
mod-action-unmute-voice = Stimme wieder erlaubt
mod-action-remove = entfernt
mod-action-ban = gesperrt
mod-action-report = gemeldet
mod-reported = Danke. Das Team hat Ihre Meldung erhalten.
mod-refused-not-allowed = Das dürfen Sie hier nicht.
mod-refused-no-such-person = Diese Person ist nicht (mehr) im Raum.
mod-refused-protected = Diese Person können Sie nicht entfernen oder stummschalten.
mod-refused-bad-reason = Der Grund ist zu lang oder enthält unsichtbare Zeichen.
mod-refused-too-many = Zu viele Meldungen. Bitte später erneut versuchen.
mod-unknown-person = Niemand im Raum heißt so.
mod-usage = Befehle: /melden Name Grund · Team und Führung: /stumm Name · /laut Name · /entfernen Name Grund · Team: /sperren Name Grund
voice-muted = { $by } hat Ihre Stimme stummgeschaltet: Niemand hört Sie, bis es wieder erlaubt ist.
voice-unmuted = { $by } erlaubt Ihnen wieder zu sprechen. Ihr Mikrofon bleibt, wie Sie es eingestellt haben.
voice-refused-disabled = Dieser Server hat keine Sprache.
voice-refused-offer = Die Sprachverbindung wurde abgelehnt: Bitte die Seite neu laden.
voice-refused-too-many = Zu viele Versuche, die Sprache zu verbinden. Bitte kurz warten.
voice-refused-not-allowed = Zur ganzen Klasse spricht nur die Führung.
