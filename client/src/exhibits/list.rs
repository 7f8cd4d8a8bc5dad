//! Which exhibits the room shows, kept from the server's messages (the list after Welcome,
//! then one message per approval or hiding: no reconnect needed).

use std::collections::BTreeMap;

use bevy::prelude::*;
use stadtlab_shared::exhibit::ExhibitView;
use stadtlab_shared::protocol::ServerMsg;

use crate::net::ServerEvent;

#[derive(Resource, Debug, Default)]
pub struct ShownExhibits {
    pub by_id: BTreeMap<String, ExhibitView>,
}

pub fn track(mut events: MessageReader<ServerEvent>, mut shown: ResMut<ShownExhibits>) {
    for ServerEvent(msg) in events.read() {
        match msg {
            ServerMsg::Exhibits { exhibits } => {
                shown.by_id = exhibits.iter().map(|e| (e.id.clone(), e.clone())).collect();
            }
            ServerMsg::ExhibitShown { exhibit } => {
                shown.by_id.insert(exhibit.id.clone(), exhibit.clone());
            }
            ServerMsg::ExhibitGone { id } => {
                shown.by_id.remove(id);
            }
            _ => {}
        }
    }
}
