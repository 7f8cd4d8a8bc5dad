//! Exhibits on show: every instance of a scene shows the exhibition of its public room;
//! approvals and hidings from the HTTP side reach everyone inside at once.

use stadtlab_shared::protocol::domain::exhibits::MAX_COMMENT_CHARS;
use stadtlab_shared::protocol::{ExhibitCmd, ExhibitMsg, RatingAnswer, RatingRefusal, ServerMsg};

use super::{Actor, GameEvent, Outbox};
use crate::game::instance::Instance;

pub fn apply(inst: &mut Instance, msg: ExhibitMsg, out: &mut Outbox) {
    inst.room.exhibits.apply(&msg);
    out.all(ServerMsg::Exhibits(msg));
}

/// What a visitor did with an exhibit: an inspect view opened, a rating. Each exhibit counts
/// once per visit (reloading the panel or rating again adds nothing).
pub fn handle(inst: &mut Instance, actor: &Actor, cmd: ExhibitCmd, out: &mut Outbox) {
    let room = &mut inst.room;
    let on_show = |id: &str| room.exhibits.by_id.contains_key(id);
    match cmd {
        ExhibitCmd::Inspected { id } => {
            if !on_show(&id) {
                return;
            }
            if let Some(a) = room.avatar_mut(actor.avatar)
                && a.looked_at.insert(id.clone())
            {
                out.event(GameEvent::Inspected { exhibit: id });
            }
        }
        ExhibitCmd::Rate { id, stars, comment } => {
            let refused = |reason| refused(&id, reason);
            let comment = comment
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty());
            let valid = (1..=5).contains(&stars) && comment.as_deref().is_none_or(comment_ok);
            if !valid {
                return out.to(actor.avatar, refused(RatingRefusal::Invalid));
            }
            if !on_show(&id) {
                return out.to(actor.avatar, refused(RatingRefusal::NoSuchExhibit));
            }
            let Some(a) = room.avatar_mut(actor.avatar) else {
                return;
            };
            if a.rated.contains_key(&id) {
                return out.to(actor.avatar, refused(RatingRefusal::AlreadyRated));
            }
            a.rated.insert(id.clone(), (stars, comment.is_some()));
            out.to(
                actor.avatar,
                ServerMsg::Rating(RatingAnswer::Thanks { id: id.clone() }),
            );
            out.event(GameEvent::Rated {
                exhibit: id,
                stars,
                comment,
            });
        }
        ExhibitCmd::Comment { id, text } => {
            let refused = |reason| refused(&id, reason);
            let text = text.trim().to_owned();
            if text.is_empty() || !comment_ok(&text) {
                return out.to(actor.avatar, refused(RatingRefusal::Invalid));
            }
            let Some(a) = room.avatar_mut(actor.avatar) else {
                return;
            };
            // One comment, on an exhibit this visit rated (it is kept with those stars).
            let Some((stars, commented)) = a.rated.get_mut(&id).filter(|(_, c)| !*c) else {
                return out.to(actor.avatar, refused(RatingRefusal::NotRated));
            };
            *commented = true;
            let stars = *stars;
            out.to(
                actor.avatar,
                ServerMsg::Rating(RatingAnswer::Commented { id: id.clone() }),
            );
            out.event(GameEvent::Commented {
                exhibit: id,
                stars,
                text,
            });
        }
    }
}

fn refused(id: &str, reason: RatingRefusal) -> ServerMsg {
    ServerMsg::Rating(RatingAnswer::Refused {
        id: id.to_owned(),
        reason,
    })
}

fn comment_ok(text: &str) -> bool {
    text.chars().count() <= MAX_COMMENT_CHARS && !text.chars().any(char::is_control)
}
