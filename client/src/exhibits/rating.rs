//! What a visitor does with an exhibit that the lab counts (never per person): opening its
//! inspect view is reported once per exhibit and visit; the info panel's stars (1–5) send a
//! rating, then "comment" opens the line to type a short comment for the lab team; the server
//! thanks or says why not.

use std::collections::HashSet;

use bevy::prelude::*;
use stadtlab_shared::protocol::{ClientMsg, ExhibitCmd, RatingAnswer, RatingRefusal, ServerMsg};

use super::inspect::Inspecting;
use super::list::ShownExhibits;
use crate::i18n::I18n;
use crate::net::{Outbox, ServerEvent};
use crate::roster::{ChatLine, ChatLog};
use crate::settings::Settings;

#[derive(Resource, Default, Debug)]
pub struct Ratings {
    /// Inspect views already reported this visit.
    reported: HashSet<String>,
    /// Exhibits rated this visit (sent, answered or not): their stars are not shown again.
    pub rated: HashSet<String>,
    /// Exhibits whose comment the server took.
    pub commented: HashSet<String>,
}

impl Ratings {
    /// Rated this visit and not yet commented on.
    pub fn may_comment(&self, id: &str) -> bool {
        self.rated.contains(id) && !self.commented.contains(id)
    }

    /// Sends a rating of the inspected exhibit.
    pub fn rate(&mut self, outbox: &mut Outbox, id: &str, stars: u8) {
        if self.rated.insert(id.to_owned()) {
            outbox.control(&ClientMsg::Exhibit(ExhibitCmd::Rate {
                id: id.to_owned(),
                stars,
                comment: None,
            }));
        }
    }
}

pub fn report_inspect(
    inspecting: Res<Inspecting>,
    mut ratings: ResMut<Ratings>,
    mut outbox: ResMut<Outbox>,
) {
    if !inspecting.is_changed() {
        return;
    }
    if let Some(id) = &inspecting.id
        && ratings.reported.insert(id.clone())
    {
        outbox.control(&ClientMsg::Exhibit(ExhibitCmd::Inspected {
            id: id.clone(),
        }));
    }
}

/// The server's answer, as a notice in the chat.
pub fn answers(
    mut events: MessageReader<ServerEvent>,
    i18n: Res<I18n>,
    settings: Res<Settings>,
    shown: Res<ShownExhibits>,
    mut chat: ResMut<ChatLog>,
    mut ratings: ResMut<Ratings>,
) {
    for ServerEvent(msg) in events.read() {
        let ServerMsg::Rating(answer) = msg else {
            continue;
        };
        let (id, key) = match answer {
            RatingAnswer::Thanks { id } => (id, "exhibit-rated"),
            RatingAnswer::Commented { id } => {
                ratings.commented.insert(id.clone());
                (id, "exhibit-commented")
            }
            RatingAnswer::Refused {
                id,
                reason: RatingRefusal::NotRated,
            } => (id, "exhibit-comment-refused"),
            RatingAnswer::Refused {
                id,
                reason: RatingRefusal::AlreadyRated,
            } => (id, "exhibit-rated-before"),
            RatingAnswer::Refused { id, .. } => (id, "exhibit-rating-refused"),
        };
        let lang = settings.language;
        let title = shown.by_id.get(id).map_or(id.clone(), |e| {
            lang.pick(&e.title.de, &e.title.en).to_owned()
        });
        chat.push(ChatLine::Notice(i18n.text(
            lang,
            key,
            &[("title", fluent_bundle::FluentValue::from(title))],
        )));
    }
}
