//! Voice signalling: offers are checked here and handed to the SFU; leaving; the guide's
//! "speak to the class". What the SFU answers comes back through `game::voice_plan`.

use std::time::Instant;

use stadtlab_shared::protocol::domain::voice::{MAX_OFFER_PARTS, MAX_SDP_BYTES, OFFER_PART_BYTES};
use stadtlab_shared::protocol::{ServerMsg, TourMsg, VoiceCmd, VoiceMsg, VoiceRefusal};

use super::{Actor, Out, Outbox};
use crate::game::instance::Instance;
use crate::voice::{PeerKey, SfuCmd, offer};

fn refuse(out: &mut Outbox, actor: &Actor, reason: VoiceRefusal) {
    out.to(actor.avatar, ServerMsg::Voice(VoiceMsg::Refused { reason }));
}

/// `enabled`: whether this server runs its SFU.
pub fn handle(inst: &mut Instance, actor: &Actor, cmd: VoiceCmd, enabled: bool, out: &mut Outbox) {
    let key = PeerKey {
        room: inst.id,
        avatar: actor.avatar,
    };
    let room = &mut inst.room;
    let Some(avatar) = room.avatar_mut(actor.avatar) else {
        return;
    };
    let cmd = match cmd {
        VoiceCmd::OfferPart { part, parts, text } => {
            let pieces = &mut avatar.voice.offer_parts;
            if part == 0 {
                pieces.clear();
            }
            let size: usize = pieces.iter().map(String::len).sum::<usize>() + text.len();
            if parts > MAX_OFFER_PARTS || text.len() > OFFER_PART_BYTES || size > MAX_SDP_BYTES {
                pieces.clear();
                return refuse(out, actor, VoiceRefusal::TooLarge);
            }
            if part as usize != pieces.len() || part >= parts {
                pieces.clear();
                return refuse(out, actor, VoiceRefusal::BadOffer);
            }
            pieces.push(text);
            if pieces.len() < parts as usize {
                return;
            }
            VoiceCmd::Offer {
                sdp: std::mem::take(pieces).concat(),
            }
        }
        cmd => cmd,
    };
    match cmd {
        VoiceCmd::OfferPart { .. } => {}
        VoiceCmd::Offer { sdp } => {
            if !enabled {
                return refuse(out, actor, VoiceRefusal::Disabled);
            }
            if !avatar.voice.offers.try_take(Instant::now()) {
                return refuse(out, actor, VoiceRefusal::TooMany);
            }
            let shape = match offer::check(&sdp) {
                Ok(shape) => shape,
                Err(reason) => return refuse(out, actor, reason),
            };
            let Some(host) = avatar.host else {
                return refuse(out, actor, VoiceRefusal::Disabled);
            };
            // A new offer replaces the old peer: the slots are planned afresh.
            avatar.voice.slots.iter_mut().for_each(|s| *s = None);
            out.0.push(Out::Sfu(SfuCmd::Offer {
                key,
                sdp,
                shape,
                host,
            }));
            if avatar.voice.muted_by.is_some() {
                out.0.push(Out::Sfu(SfuCmd::Block { key, blocked: true }));
            }
        }
        VoiceCmd::Leave => {
            avatar.voice.joined = false;
            avatar.voice.talking = false;
            out.0.push(Out::Sfu(SfuCmd::Leave { key }));
            if room.broadcast == Some(actor.avatar) {
                room.broadcast = None;
            }
        }
        VoiceCmd::SpeakToClass { on } => {
            if inst.visit.is_none() {
                return refuse(out, actor, VoiceRefusal::NotAllowed);
            }
            room.broadcast = on.then_some(actor.avatar).or_else(|| {
                // Only the one speaking switches it off.
                room.broadcast.filter(|a| *a != actor.avatar)
            });
            out.all(ServerMsg::Tour(TourMsg::State(
                crate::game::handlers::tour::state(inst),
            )));
        }
    }
}
