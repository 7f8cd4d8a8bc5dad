//! Room chat: validation, allowances, mutes and the guide's switch for pupils' chat.

use std::time::Instant;

use stadtlab_shared::chat::{ChatError, validate_chat_message};
use stadtlab_shared::protocol::{ChatCmd, ChatMsg, Role, ServerMsg};

use super::{Actor, Outbox};
use crate::game::instance::Instance;

/// Says a line to the room, or tells the sender why not. Returns the refusal (the caller
/// counts crafted messages as misbehaviour).
pub fn handle(
    inst: &mut Instance,
    actor: &Actor,
    cmd: ChatCmd,
    now: Instant,
    out: &mut Outbox,
) -> Option<ChatError> {
    let ChatCmd::Say { text } = cmd;
    let pupils_silenced = inst.visit.as_ref().is_some_and(|v| !v.pupil_chat);
    let room = &mut inst.room;
    let avatar = room.avatar_mut(actor.avatar)?;
    let verdict = match validate_chat_message(&text) {
        Err(e) => Err(e),
        Ok(_) if avatar.chat_muted_by.is_some() => Err(ChatError::Muted),
        Ok(_) if pupils_silenced && actor.role == Role::Visitor => Err(ChatError::PupilChatOff),
        Ok(_) if !avatar.chat.try_take(now) => Err(ChatError::RateLimited),
        Ok(_) if !room.chat.try_take(now) => Err(ChatError::RoomBusy),
        Ok(text) => Ok(text),
    };
    match verdict {
        Ok(text) => {
            let name = room
                .avatar(actor.avatar)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            room.note_chat(&name, &text);
            out.all(ServerMsg::Chat(ChatMsg::Line {
                from: actor.avatar,
                name,
                text,
            }));
            None
        }
        Err(reason) => {
            out.to(actor.avatar, ServerMsg::Chat(ChatMsg::Refused { reason }));
            Some(reason)
        }
    }
}
