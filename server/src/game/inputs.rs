//! Unreliable input messages: snapshot acknowledgements and movement intent.

use stadtlab_shared::protocol::{InputMsg, channel, decode, limits};

use super::Game;

impl Game {
    pub(super) fn receive_inputs(&mut self, client_id: u64) {
        while let Some(bytes) = self.renet.receive_message(client_id, channel::INPUT) {
            let msg = match decode::<InputMsg>(&bytes, limits::MAX_INPUT_MSG_BYTES) {
                Ok(msg) if msg.frames.len() <= limits::MAX_INPUT_FRAMES => msg,
                Ok(_) | Err(_) => {
                    self.metrics.reject("malformed_input");
                    self.strike(client_id);
                    continue;
                }
            };
            let Some(link) = self.links.get_mut(&client_id) else {
                return;
            };
            let Some(id) = link.avatar() else {
                continue; // Inputs racing ahead of the handshake: harmless, ignore.
            };
            link.encoder.on_ack(msg.ack_snapshot);
            let room = link.room;
            if let Some(avatar) = self
                .rooms
                .get_mut(&room)
                .and_then(|i| i.room.avatar_mut(id))
                && avatar.client == Some(client_id)
            {
                let refused = avatar.queue_inputs(&msg.frames);
                if refused > 0 {
                    self.metrics
                        .rejected_input
                        .get_or_create(&crate::metrics::ReasonLabel {
                            reason: "excess_input".into(),
                        })
                        .inc_by(refused as u64);
                }
            }
        }
    }
}
