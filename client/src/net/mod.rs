//! The game connection: one renet2 client over UDP (desktop) or WebTransport/WebSocket
//! (browser). Control messages become [`ServerEvent`]s, snapshots update [`Snapshots`];
//! other plugins queue what to send in [`Outbox`].

mod transport;

use bevy::prelude::*;
use renet2::RenetClient;
use renet2_netcode::NetcodeClientTransport;
use stadtlab_shared::protocol::join::JoinAnswer;
use stadtlab_shared::protocol::snapshot::DeltaDecoder;
use stadtlab_shared::protocol::{
    ClientMsg, PROTOCOL_VERSION, ServerMsg, SnapshotMsg, channel, connection_config, decode, encode,
};

use crate::launch::Launch;

pub struct NetPlugin;

impl Plugin for NetPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<ServerEvent>()
            .add_message::<SnapshotArrived>()
            .init_resource::<Outbox>()
            .init_resource::<Snapshots>()
            .init_resource::<LinkStatus>()
            .add_systems(Startup, start_connecting)
            .add_systems(
                PreUpdate,
                (open_link, receive).chain().in_set(NetSet::Receive),
            )
            .add_systems(PostUpdate, send.in_set(NetSet::Send));
    }
}

/// Receive runs first in each frame; send last, after the fixed-tick inputs.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetSet {
    Receive,
    Send,
}

/// Where the connection stands, for the status line.
#[derive(Resource, Debug, Clone, PartialEq, Eq, Default)]
pub enum LinkStatus {
    /// No seat: the offline view.
    #[default]
    Offline,
    Connecting,
    Connected,
    /// Closed, with the reason for people.
    Closed(String),
    /// The server showed us out, for a reason shown in the visitor's language.
    Rejected(stadtlab_shared::protocol::RejectReason),
}

impl LinkStatus {
    pub fn is_closed(&self) -> bool {
        matches!(self, LinkStatus::Closed(_) | LinkStatus::Rejected(_))
    }
}

/// A control message from the server.
#[derive(Message, Debug, Clone)]
pub struct ServerEvent(pub ServerMsg);

/// A snapshot was applied to [`Snapshots`]: which avatars it moved, at which server tick.
#[derive(Message, Debug, Clone)]
pub struct SnapshotArrived {
    pub tick: u32,
    pub ack_input: u32,
    pub updated: Vec<u16>,
    pub removed: Vec<u16>,
}

/// Every avatar's newest state from the server.
#[derive(Resource, Default)]
pub struct Snapshots {
    pub decoder: DeltaDecoder,
    pub tick_hz: u32,
}

/// Messages to send this frame: (channel, encoded bytes).
#[derive(Resource, Default)]
pub struct Outbox {
    queued: Vec<(u8, Vec<u8>)>,
}

impl Outbox {
    pub fn control(&mut self, msg: &ClientMsg) {
        self.queued.push((channel::CONTROL, encode(msg)));
    }

    pub fn input(&mut self, bytes: Vec<u8>) {
        self.queued.push((channel::INPUT, bytes));
    }
}

/// The renet2 client and its transport. Not `Send` in the browser (it holds JS objects).
pub struct Link {
    client: RenetClient,
    transport: NetcodeClientTransport,
    said_hello: bool,
    /// The WebSocket seat to switch to if WebTransport does not connect in time.
    fallback: Option<stadtlab_shared::protocol::join::Connect>,
    connecting_for: f32,
}

/// How long WebTransport may take before the browser client switches to WebSocket (sooner if
/// it fails outright). Not shorter: a slow phone needs seconds for the handshake, and a switch
/// while the server is still answering the first seat gets the second refused.
const FALLBACK_AFTER_S: f32 = 10.0;

impl Link {
    fn open(ticket: &JoinAnswer) -> Result<Link, String> {
        let (connect, fallback) = transport::choose(ticket);
        info!(
            "connecting over {} to {}",
            connect.transport, connect.address
        );
        let (transport, reliable) = transport::open(&connect)?;
        Ok(Link {
            client: RenetClient::new(connection_config(), reliable),
            transport,
            said_hello: false,
            fallback,
            connecting_for: 0.0,
        })
    }
}

/// Opens the connection once a seat is at hand: on the desktop the one from the command line;
/// in the browser a fresh one the page fetches right after the client started (a connect
/// token lives 15 s, and downloading and starting the client can take longer on a slow phone).
fn open_link(world: &mut World) {
    let welcomed = world.resource::<crate::roster::Me>().0.is_some();
    let status = world.resource::<LinkStatus>().clone();
    let have_link = world.get_non_send::<Link>().is_some();
    // A handshake that failed (a slow phone, a token that lapsed) is retried with a new seat
    // from the page; so is a connection that worked and was lost (a Wi-Fi gap): the new seat
    // carries the same session, and the avatar waits in its grace period. What the server
    // decided (removed, banned, the visit ended) is never retried.
    let lost = matches!(status, LinkStatus::Closed(_));
    let retry = have_link && status.is_closed() && (!welcomed || lost);
    if (have_link && !retry) || (!have_link && status != LinkStatus::Connecting) {
        return;
    }
    #[cfg(target_arch = "wasm32")]
    let ticket = crate::platform::take_fresh_ticket();
    #[cfg(target_arch = "wasm32")]
    if retry && ticket.is_none() {
        crate::platform::request_fresh_ticket();
    }
    // The desktop has one seat from the command line: nothing new to retry with.
    #[cfg(not(target_arch = "wasm32"))]
    let ticket = (!retry)
        .then(|| world.resource::<Launch>().ticket.clone())
        .flatten();
    let Some(ticket) = ticket else { return };
    if retry {
        info!("retrying with a new seat");
        world.remove_non_send::<Link>();
        *world.resource_mut::<LinkStatus>() = LinkStatus::Connecting;
    }
    world.resource_mut::<Snapshots>().tick_hz = ticket.tick_hz;
    match Link::open(&ticket) {
        Ok(link) => world.insert_non_send(link),
        Err(e) => *world.resource_mut::<LinkStatus>() = LinkStatus::Closed(e),
    }
}

fn start_connecting(launch: Res<Launch>, mut status: ResMut<LinkStatus>) {
    if launch.ticket.is_some() {
        *status = LinkStatus::Connecting;
    }
}

fn receive(
    link: Option<NonSendMut<Link>>,
    time: Res<Time<Real>>,
    mut status: ResMut<LinkStatus>,
    mut snapshots: ResMut<Snapshots>,
    mut events: MessageWriter<ServerEvent>,
    mut arrived: MessageWriter<SnapshotArrived>,
) {
    let Some(mut link) = link else { return };
    if status.is_closed() {
        return;
    }
    let dt = time.delta();
    let link = &mut *link;
    link.client.update(dt);
    if let Err(e) = link.transport.update(dt, &mut link.client) {
        warn!("transport: {e:?}");
    }
    if !link.client.is_connected() {
        link.connecting_for += dt.as_secs_f32();
        let stuck = link.connecting_for > FALLBACK_AFTER_S || link.transport.is_disconnected();
        if stuck && let Some(fallback) = link.fallback.take() {
            info!("switching to the {} fallback", fallback.transport);
            match transport::open(&fallback) {
                Ok((transport, reliable)) => {
                    link.transport = transport;
                    link.client = RenetClient::new(connection_config(), reliable);
                    link.connecting_for = 0.0;
                }
                Err(e) => *status = LinkStatus::Closed(e),
            }
            return;
        }
        if link.client.is_disconnected() || link.transport.is_disconnected() {
            *status = LinkStatus::Closed(format!(
                "connection closed ({:?})",
                link.client.disconnect_reason()
            ));
        }
        return;
    }
    if !link.said_hello {
        link.said_hello = true;
        let hello = ClientMsg::Hello {
            protocol: PROTOCOL_VERSION,
            software: format!("stadtlab-client {}", env!("CARGO_PKG_VERSION")),
        };
        link.client.send_message(channel::CONTROL, encode(&hello));
        *status = LinkStatus::Connected;
    }
    while let Some(bytes) = link.client.receive_message(channel::CONTROL) {
        match decode::<ServerMsg>(&bytes, usize::MAX) {
            Ok(ServerMsg::Rejected { reason }) => {
                *status = LinkStatus::Rejected(reason);
            }
            Ok(msg) => {
                events.write(ServerEvent(msg));
            }
            Err(e) => warn!("undecodable control message: {e}"),
        }
    }
    while let Some(bytes) = link.client.receive_message(channel::SNAPSHOT) {
        match decode::<SnapshotMsg>(&bytes, usize::MAX) {
            Ok(snap) => {
                snapshots.decoder.apply(&snap);
                arrived.write(SnapshotArrived {
                    tick: snap.tick,
                    ack_input: snap.ack_input,
                    updated: snap.entities.iter().map(|e| e.id).collect(),
                    removed: snap.removed.clone(),
                });
            }
            Err(e) => warn!("undecodable snapshot: {e}"),
        }
    }
}

fn send(link: Option<NonSendMut<Link>>, mut outbox: ResMut<Outbox>) {
    let Some(mut link) = link else {
        outbox.queued.clear();
        return;
    };
    let link = &mut *link;
    if link.client.is_connected() {
        for (channel, bytes) in outbox.queued.drain(..) {
            link.client.send_message(channel, bytes);
        }
    } else {
        outbox.queued.clear();
    }
    if let Err(e) = link.transport.send_packets(&mut link.client) {
        debug!("send: {e:?}");
    }
}

/// Leave on purpose when the window closes, so the avatar vanishes at once.
pub fn say_goodbye(link: Option<NonSendMut<Link>>) {
    if let Some(mut link) = link {
        let link = &mut *link;
        if link.client.is_connected() {
            link.client
                .send_message(channel::CONTROL, encode(&ClientMsg::Leave));
            let _ = link.transport.send_packets(&mut link.client);
        }
    }
}
