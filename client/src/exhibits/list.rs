//! Which exhibits the room shows, kept from the server's messages (the list after Welcome,
//! then one message per approval or hiding: no reconnect needed).

use bevy::prelude::*;

use stadtlab_shared::protocol::ServerMsg;

use crate::net::ServerEvent;

/// [`stadtlab_shared::exhibit::ShownExhibits`] as a Bevy resource.
#[derive(Resource, Debug, Default, Deref, DerefMut)]
pub struct ShownExhibits(pub stadtlab_shared::exhibit::ShownExhibits);

pub fn track(mut events: MessageReader<ServerEvent>, mut shown: ResMut<ShownExhibits>) {
    for ServerEvent(msg) in events.read() {
        // Only exhibit messages count as a change (systems redraw on it).
        if let ServerMsg::Exhibits(msg) = msg {
            shown.apply(msg);
        }
    }
}
