//! Exhibits on show: every instance of a scene shows the exhibition of its public room;
//! approvals and hidings from the HTTP side reach everyone inside at once.

use stadtlab_shared::protocol::{ExhibitMsg, ServerMsg};

use super::Outbox;
use crate::game::instance::Instance;

pub fn apply(inst: &mut Instance, msg: ExhibitMsg, out: &mut Outbox) {
    inst.room.exhibits.apply(&msg);
    out.all(ServerMsg::Exhibits(msg));
}
