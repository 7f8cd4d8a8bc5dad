//! One headless client: joins over HTTP, connects over UDP or WebSocket, says hello, sends
//! inputs, decodes snapshots and keeps what a test or a benchmark wants to know.

use std::collections::{HashMap, VecDeque};
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use renet2::RenetClient;
use renet2_netcode::{
    ClientAuthentication, ClientSocket, ConnectToken, NativeSocket, NetcodeClientTransport,
    NetcodeTransportError,
};
use stadtlab_shared::protocol::snapshot::DeltaDecoder;
use stadtlab_shared::protocol::{
    AvatarState, ChatCmd, ClientMsg, InputFrame, InputMsg, PROTOCOL_VERSION, PresenceEntry,
    PresenceMsg, Role, ServerMsg, SnapshotMsg, TourMsg, TourState, channel, connection_config,
    decode, encode, limits,
};

use stadtlab_shared::movement::AvatarMotion;
use stadtlab_shared::prediction::Predictor;
use stadtlab_shared::quantize::{QuantPos, yaw_from_u16};
use stadtlab_shared::scene::{CollisionWorld, built_in};

use crate::join::{self, JoinRequest, JoinResponse};
pub use crate::options::{BotOptions, Transport, new_device_key};
use crate::{ws_socket, wt_socket};
use stadtlab_shared::protocol::join::Transport as WireTransport;

/// Counts the bytes a UDP socket receives (payloads; IP/UDP headers not included).
#[derive(Debug)]
struct CountingUdp {
    inner: NativeSocket,
    received: Arc<AtomicU64>,
}

impl ClientSocket for CountingUdp {
    fn is_encrypted(&self) -> bool {
        ClientSocket::is_encrypted(&self.inner)
    }
    fn is_reliable(&self) -> bool {
        ClientSocket::is_reliable(&self.inner)
    }
    fn addr(&self) -> std::io::Result<SocketAddr> {
        ClientSocket::addr(&self.inner)
    }
    fn is_closed(&mut self) -> bool {
        ClientSocket::is_closed(&mut self.inner)
    }
    fn close(&mut self) {
        ClientSocket::close(&mut self.inner)
    }
    fn preupdate(&mut self) {
        ClientSocket::preupdate(&mut self.inner)
    }
    fn try_recv(&mut self, buffer: &mut [u8]) -> std::io::Result<(usize, SocketAddr)> {
        let r = ClientSocket::try_recv(&mut self.inner, buffer);
        if let Ok((n, _)) = &r {
            self.received.fetch_add(*n as u64, Ordering::Relaxed);
        }
        r
    }
    fn postupdate(&mut self) {
        ClientSocket::postupdate(&mut self.inner)
    }
    fn send(&mut self, addr: SocketAddr, packet: &[u8]) -> Result<(), NetcodeTransportError> {
        ClientSocket::send(&mut self.inner, addr, packet)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Join(#[from] join::JoinError),
    #[error("bad join response: {0}")]
    BadResponse(String),
    #[error("transport: {0}")]
    Transport(String),
    #[error("timed out waiting for {0}")]
    Timeout(&'static str),
    #[error("rejected by the server: {0}")]
    Rejected(String),
}

pub struct Bot {
    pub join: JoinResponse,
    client: RenetClient,
    transport: NetcodeClientTransport,
    received_bytes: Arc<AtomicU64>,
    options: BotOptions,
    last_update: Instant,
    said_hello: bool,
    /// My avatar id once welcomed.
    pub me: Option<u16>,
    pub decoder: DeltaDecoder,
    pub people: HashMap<u16, PresenceEntry>,
    /// Exhibits on show in the room (kept up to date like a client's view).
    pub exhibits: stadtlab_shared::exhibit::ShownExhibits,
    /// Every control message received, oldest first (tests read this).
    pub inbox: Vec<ServerMsg>,
    pub snapshots: u64,
    pub last_snapshot: Option<SnapshotMsg>,
    pub last_ack_input: u32,
    next_seq: u32,
    recent_frames: VecDeque<InputFrame>,
    /// Send times of inputs not yet confirmed by a snapshot.
    unconfirmed: VecDeque<(u32, Instant)>,
    /// Delays from sending an input to a snapshot confirming it, in seconds.
    pub confirm_delays: Vec<f32>,
    /// The room's collision shapes, when its scene is built in: enables prediction.
    world: Option<CollisionWorld>,
    /// Own avatar predicted from local inputs, reconciled with every snapshot.
    pub predictor: Option<Predictor>,
    /// The largest reconciliation correction seen, metres.
    pub max_correction: f32,
    /// My role, from the welcome.
    pub role: Role,
    /// The class visit's switches, when in one.
    pub tour: Option<TourState>,
}

/// The URL a browser transport connects to, and the address netcode tracks it under.
fn url_and_addr(address: &str) -> Result<(url::Url, SocketAddr), BotError> {
    let url = url::Url::parse(address).map_err(|e| BotError::BadResponse(e.to_string()))?;
    let port = url.port_or_known_default().unwrap_or(443);
    let addr = format!("{}:{port}", url.host_str().unwrap_or("127.0.0.1"))
        .parse()
        .map_err(|e: std::net::AddrParseError| BotError::BadResponse(e.to_string()))?;
    Ok((url, addr))
}

fn now_since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

impl Bot {
    /// Joins `room` over HTTP at `base` (`http://host:port`) and opens the game connection.
    pub fn join(base: &str, room: &str, name: &str, options: BotOptions) -> Result<Bot, BotError> {
        let transport = match options.transport {
            Transport::Udp => WireTransport::Udp,
            Transport::WebSocket => WireTransport::Websocket,
            Transport::WebTransport => WireTransport::Webtransport,
        };
        let req = JoinRequest {
            name: name.into(),
            protocol: PROTOCOL_VERSION,
            transport,
            color: options.color.clone(),
            session: options.session.clone(),
            device: Some(options.device.clone().unwrap_or_else(new_device_key)),
            code: options.code.clone(),
            guide: options.guide.clone(),
        };
        let url = match options.code {
            Some(_) => format!("{base}/api/visits/join"),
            None => format!("{base}/api/rooms/{room}/join"),
        };
        let resp = join::join_at(&url, &req, options.staff_cookie.as_deref())?;
        Self::connect(resp, options)
    }

    /// Opens the game connection described by a join response.
    pub fn connect(join: JoinResponse, options: BotOptions) -> Result<Bot, BotError> {
        let token_bytes = B64
            .decode(&join.connect.token)
            .map_err(|e| BotError::BadResponse(e.to_string()))?;
        let token = ConnectToken::read(&mut token_bytes.as_slice())
            .map_err(|e| BotError::BadResponse(format!("{e:?}")))?;
        let received = Arc::new(AtomicU64::new(0));
        let auth = ClientAuthentication::Secure {
            connect_token: token,
        };
        let (transport, reliable) = match options.transport {
            Transport::Udp => {
                let socket = UdpSocket::bind("127.0.0.1:0")
                    .map_err(|e| BotError::Transport(e.to_string()))?;
                let socket =
                    NativeSocket::new(socket).map_err(|e| BotError::Transport(format!("{e:?}")))?;
                let counted = CountingUdp {
                    inner: socket,
                    received: received.clone(),
                };
                let t = NetcodeClientTransport::new(now_since_epoch(), auth, counted)
                    .map_err(|e| BotError::Transport(format!("{e:?}")))?;
                (t, false)
            }
            Transport::WebSocket | Transport::WebTransport => {
                let (url, addr) = url_and_addr(&join.connect.address)?;
                let socket = if options.transport == Transport::WebSocket {
                    ws_socket::socket(url, addr)
                } else {
                    let hash: [u8; 32] = join
                        .connect
                        .cert_hash
                        .as_deref()
                        .and_then(|h| B64.decode(h).ok())
                        .and_then(|h| h.try_into().ok())
                        .ok_or_else(|| {
                            BotError::BadResponse(
                                "WebTransport join without a certificate hash".into(),
                            )
                        })?;
                    wt_socket::socket(url, addr, hash)
                };
                let counter = socket.received.clone();
                let reliable = ClientSocket::is_reliable(&socket);
                let t = NetcodeClientTransport::new(now_since_epoch(), auth, socket)
                    .map_err(|e| BotError::Transport(format!("{e:?}")))?;
                return Ok(Self::with_transport(join, t, reliable, counter, options));
            }
        };
        Ok(Self::with_transport(
            join, transport, reliable, received, options,
        ))
    }

    fn with_transport(
        join: JoinResponse,
        transport: NetcodeClientTransport,
        reliable: bool,
        received_bytes: Arc<AtomicU64>,
        options: BotOptions,
    ) -> Bot {
        let world = built_in(&join.room).map(|scene| CollisionWorld::from_scene(&scene));
        Bot {
            join,
            client: RenetClient::new(connection_config(), reliable),
            transport,
            received_bytes,
            options,
            last_update: Instant::now(),
            said_hello: false,
            me: None,
            decoder: DeltaDecoder::new(),
            people: HashMap::new(),
            exhibits: Default::default(),
            inbox: Vec::new(),
            snapshots: 0,
            last_snapshot: None,
            last_ack_input: 0,
            next_seq: 1,
            recent_frames: VecDeque::new(),
            unconfirmed: VecDeque::new(),
            confirm_delays: Vec::new(),
            world,
            predictor: None,
            max_correction: 0.0,
            role: Role::Visitor,
            tour: None,
        }
    }

    pub fn is_connected(&self) -> bool {
        self.client.is_connected()
    }

    pub fn is_disconnected(&self) -> bool {
        self.client.is_disconnected() || self.transport.is_disconnected()
    }

    pub fn received_bytes(&self) -> u64 {
        self.received_bytes.load(Ordering::Relaxed)
    }

    /// Receives and processes everything that arrived; sends what is queued.
    pub fn pump(&mut self) {
        let now = Instant::now();
        let dt = now - self.last_update;
        self.last_update = now;
        self.client.update(dt);
        let _ = self.transport.update(dt, &mut self.client);
        if self.client.is_connected() {
            if !self.said_hello {
                self.said_hello = true;
                let hello = ClientMsg::Hello {
                    protocol: self.options.hello_protocol,
                    software: "stadtlab-bots".into(),
                };
                self.client.send_message(channel::CONTROL, encode(&hello));
            }
            while let Some(bytes) = self.client.receive_message(channel::CONTROL) {
                if let Ok(msg) = decode::<ServerMsg>(&bytes, usize::MAX) {
                    self.on_control(msg);
                }
            }
            while let Some(bytes) = self.client.receive_message(channel::SNAPSHOT) {
                self.on_snapshot(&bytes, now);
            }
        }
        let _ = self.transport.send_packets(&mut self.client);
    }

    fn on_control(&mut self, msg: ServerMsg) {
        match &msg {
            ServerMsg::Welcome { you, role, .. } => {
                self.me = Some(*you);
                self.role = *role;
            }
            ServerMsg::Presence(p) => match p {
                PresenceMsg::Everyone { people } => {
                    self.people = people.iter().map(|p| (p.id, p.clone())).collect();
                }
                PresenceMsg::Joined { person } => {
                    self.people.insert(person.id, person.clone());
                }
                PresenceMsg::Left { id } => {
                    self.people.remove(id);
                }
                PresenceMsg::Away { id } | PresenceMsg::Back { id } => {
                    let away = matches!(p, PresenceMsg::Away { .. });
                    if let Some(p) = self.people.get_mut(id) {
                        p.away = away;
                    }
                }
            },
            ServerMsg::Exhibits(m) => self.exhibits.apply(m),
            ServerMsg::Tour(TourMsg::State(state)) => self.tour = Some(state.clone()),
            _ => {}
        }
        self.inbox.push(msg);
    }

    fn on_snapshot(&mut self, bytes: &[u8], now: Instant) {
        self.snapshots += 1;
        let Ok(snap) = decode::<SnapshotMsg>(bytes, usize::MAX) else {
            return;
        };
        self.decoder.apply(&snap);
        self.confirm(snap.ack_input, now);
        if let (Some(world), Some(me)) = (&self.world, self.me)
            && let Some(state) = self.decoder.state(me)
        {
            let tick_hz = self.join.tick_hz;
            let predictor = self.predictor.get_or_insert_with(|| {
                let motion = AvatarMotion {
                    pos: QuantPos(state.pos).to_vec3(),
                    yaw: yaw_from_u16(state.yaw),
                };
                Predictor::new(motion, tick_hz)
            });
            predictor.reconcile(&state, snap.ack_input, world);
            self.max_correction = self.max_correction.max(predictor.last_correction);
        }
        self.last_ack_input = snap.ack_input;
        self.last_snapshot = Some(snap);
    }

    fn confirm(&mut self, ack_input: u32, now: Instant) {
        while let Some(&(seq, sent)) = self.unconfirmed.front() {
            if seq > ack_input {
                break;
            }
            self.unconfirmed.pop_front();
            if seq == ack_input {
                self.confirm_delays
                    .push(now.duration_since(sent).as_secs_f32());
            }
        }
    }

    /// Sends one tick of movement intent (plus the last frames again, against loss).
    pub fn send_input(&mut self, forward: i8, right: i8, yaw: u16, run: bool) -> u32 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.send_frames_raw(InputFrame {
            seq,
            forward,
            right,
            yaw,
            run,
        });
        seq
    }

    fn send_frames_raw(&mut self, frame: InputFrame) {
        self.recent_frames.push_front(frame);
        self.recent_frames.truncate(3);
        if self.unconfirmed.len() < 256 {
            self.unconfirmed.push_back((frame.seq, Instant::now()));
        }
        let msg = InputMsg {
            ack_snapshot: self.ack_tick(),
            frames: self.recent_frames.iter().copied().collect(),
        };
        self.client.send_message(channel::INPUT, encode(&msg));
    }

    fn ack_tick(&self) -> u32 {
        self.decoder.ack_tick()
    }

    /// Sends `count` fresh frames in one message: more movement than time allows (a speed hack).
    pub fn send_input_burst(&mut self, count: usize, forward: i8, yaw: u16) {
        let frames: Vec<InputFrame> = (0..count.min(limits::MAX_INPUT_FRAMES))
            .map(|_| {
                let seq = self.next_seq;
                self.next_seq += 1;
                InputFrame {
                    seq,
                    forward,
                    right: 0,
                    yaw,
                    run: true,
                }
            })
            .collect();
        let msg = InputMsg {
            ack_snapshot: self.ack_tick(),
            frames,
        };
        self.client.send_message(channel::INPUT, encode(&msg));
    }

    /// Leaves on purpose: the server removes the avatar at once.
    pub fn leave(&mut self) {
        self.client
            .send_message(channel::CONTROL, encode(&ClientMsg::Leave));
        self.flush();
    }

    /// Sends what is queued now (inputs right after deciding them, not a tick later).
    pub fn flush(&mut self) {
        let _ = self.transport.send_packets(&mut self.client);
    }

    pub fn chat(&mut self, text: &str) {
        self.send(&ClientMsg::Chat(ChatCmd::Say { text: text.into() }));
    }

    /// Sends any control message (moderation, tour tools).
    pub fn send(&mut self, msg: &ClientMsg) {
        self.client.send_message(channel::CONTROL, encode(msg));
        self.flush();
    }

    /// Sends arbitrary bytes on a channel (tests of malformed input).
    pub fn send_raw(&mut self, channel_id: u8, bytes: Vec<u8>) {
        self.client.send_message(channel_id, bytes);
    }

    /// My avatar's newest state from the server.
    pub fn my_state(&self) -> Option<AvatarState> {
        self.me.and_then(|id| self.decoder.state(id))
    }

    /// Pumps until `done` holds or `timeout` passes.
    pub fn pump_until(
        &mut self,
        timeout: Duration,
        what: &'static str,
        mut done: impl FnMut(&Bot) -> bool,
    ) -> Result<(), BotError> {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            self.pump();
            if done(self) {
                return Ok(());
            }
            if let Some(reason) = self.rejection() {
                return Err(BotError::Rejected(reason));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Err(BotError::Timeout(what))
    }

    /// Waits for the handshake to finish.
    pub fn wait_welcome(&mut self, timeout: Duration) -> Result<u16, BotError> {
        self.pump_until(timeout, "welcome", |b| b.me.is_some())?;
        Ok(self.me.expect("checked"))
    }

    /// The reason of a `Rejected` message, if one arrived.
    pub fn rejection(&self) -> Option<String> {
        self.inbox.iter().find_map(|m| match m {
            ServerMsg::Rejected { reason } => Some(reason.message()),
            _ => None,
        })
    }

    pub fn disconnect(&mut self) {
        self.client.disconnect();
        let _ = self.transport.send_packets(&mut self.client);
        self.transport.disconnect();
    }
}
