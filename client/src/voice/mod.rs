//! Voice in the client. In the browser, WebRTC and Web Audio live in the page
//! (`web/voice.js`: the microphone, the receive slots, a `PannerNode` per slot): this module
//! carries its signalling over the game connection (no second socket, no second sign-in) and
//! says in the chat what the server decided (a moderator's mute, refusals). The desktop client
//! has its own engine (`desktop`).

use bevy::prelude::*;
use fluent_bundle::FluentValue;
use stadtlab_shared::protocol::{ServerMsg, VoiceMsg, VoiceRefusal};

use crate::i18n::I18n;
use crate::net::ServerEvent;
use crate::roster::{ChatLine, ChatLog};
use crate::settings::Settings;

pub struct VoicePlugin;

/// The microphone's level (dBov) for the meter in the settings, while the desktop measures it
/// (the settings are open, or the visitor speaks); `None` without a microphone or voice.
#[derive(Resource, Debug, Default, PartialEq)]
pub struct MicMeter(pub Option<i8>);

impl Plugin for VoicePlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<MicMeter>()
            .add_systems(PreUpdate, notices.after(crate::net::NetSet::Receive));
        #[cfg(target_arch = "wasm32")]
        app.add_systems(PreUpdate, page::to_page.after(crate::net::NetSet::Receive))
            .add_systems(Update, page::from_page);
        #[cfg(not(target_arch = "wasm32"))]
        desktop::build(app);
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub mod desktop;

/// The chat line for what the server said about my voice, if it says anything to people.
pub fn notice_text(i18n: &I18n, settings: &Settings, msg: &VoiceMsg) -> Option<String> {
    let lang = settings.language;
    let text = match msg {
        VoiceMsg::Muted { by, muted } => i18n.text(
            lang,
            if *muted {
                "voice-muted"
            } else {
                "voice-unmuted"
            },
            &[("by", FluentValue::from(by.clone()))],
        ),
        VoiceMsg::Refused { reason } => i18n.text(
            lang,
            match reason {
                VoiceRefusal::Disabled => "voice-refused-disabled",
                VoiceRefusal::TooLarge | VoiceRefusal::BadOffer | VoiceRefusal::NotAudioOnly => {
                    "voice-refused-offer"
                }
                VoiceRefusal::TooMany => "voice-refused-too-many",
                VoiceRefusal::NotAllowed => "voice-refused-not-allowed",
            },
            &[],
        ),
        VoiceMsg::Answer { .. } | VoiceMsg::Slots { .. } => return None,
    };
    Some(text)
}

fn notices(
    mut events: MessageReader<ServerEvent>,
    i18n: Res<I18n>,
    settings: Res<Settings>,
    mut chat: ResMut<ChatLog>,
) {
    for ServerEvent(msg) in events.read() {
        if let ServerMsg::Voice(msg) = msg
            && let Some(text) = notice_text(&i18n, &settings, msg)
        {
            chat.push(ChatLine::Notice(text));
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod page {
    use bevy::prelude::*;
    use stadtlab_shared::protocol::{ClientMsg, ServerMsg, VoiceCmd};

    use crate::net::{Outbox, ServerEvent};

    /// The server's voice messages, as JSON, for the page (`window.stadtlabVoiceInbox`).
    pub fn to_page(mut events: MessageReader<ServerEvent>) {
        for ServerEvent(msg) in events.read() {
            if let ServerMsg::Voice(msg) = msg
                && let Ok(json) = serde_json::to_string(msg)
            {
                crate::platform::voice_to_page(&json);
            }
        }
    }

    /// The page's voice commands (`window.stadtlabVoiceOutbox`), checked by type here and by
    /// the server again.
    pub fn from_page(mut outbox: ResMut<Outbox>) {
        for text in crate::platform::voice_from_page() {
            match serde_json::from_str::<VoiceCmd>(&text) {
                Ok(cmd) => outbox.control(&ClientMsg::Voice(cmd)),
                Err(e) => warn!("the page sent a voice command that is not one: {e}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_the_server_read_the_same_json() {
        // web/voice.js writes these by hand: the shapes must stay.
        let offer: stadtlab_shared::protocol::VoiceCmd =
            serde_json::from_str(r#"{"Offer":{"sdp":"v=0"}}"#).unwrap();
        assert!(matches!(
            offer,
            stadtlab_shared::protocol::VoiceCmd::Offer { .. }
        ));
        let leave: stadtlab_shared::protocol::VoiceCmd =
            serde_json::from_str(r#""Leave""#).unwrap();
        assert_eq!(leave, stadtlab_shared::protocol::VoiceCmd::Leave);
        let slots = serde_json::to_string(&VoiceMsg::Slots {
            spatial: vec![Some(3), None],
            broadcast: None,
        })
        .unwrap();
        assert_eq!(slots, r#"{"Slots":{"spatial":[3,null],"broadcast":null}}"#);
    }
}
