// Voice in the browser: WebRTC to the server's SFU and Web Audio, with the signalling carried
// by the 3D client over its game connection (window.stadtlabVoiceOutbox / Inbox; no second
// socket). Listening needs no permission; the microphone is asked for only on "Mikrofon an".
// Each receive slot plays through a PannerNode (HRTF, inverse distance, the Hubs defaults)
// placed at the avatar the server says it carries; the broadcast slot (the guide to the class)
// plays without distance. Remote streams also go to a muted <audio> element: without one,
// Chromium hands Web Audio silence.

const SLOTS = 7; // stadtlab_shared::protocol::domain::voice::RECEIVE_SLOTS (6 spatial + broadcast)
const BROADCAST = SLOTS - 1;
const PART = 900;
const TEXT = {
  de: {
    listen: 'Ton an', listening: 'Ton aus', mic_on: 'Mikrofon an', mic_off: 'Mikrofon aus',
    ptt: 'Sprechtaste: M halten', open: 'Offenes Mikrofon', volume: 'Lautstärke der anderen',
    more: 'Ton …', less: 'Weniger',
    nearest: 'Nur die Nächsten hören', level: 'Mikrofonpegel',
    denied: 'Das Mikrofon ist nicht erlaubt: Sie hören weiter zu. Erlauben Sie es in den Einstellungen des Browsers.',
    missing: 'Kein Mikrofon gefunden: Sie hören weiter zu.',
    no_connect: 'Sprache verbindet nicht (UDP und TCP zum Server gesperrt?): Sie bleiben im Raum, ohne Sprache.',
    muted: (by) => `${by} hat Ihre Stimme stummgeschaltet.`,
    unmuted: (by) => `${by} erlaubt Ihnen wieder zu sprechen: Mikrofon an, wenn Sie möchten.`,
  },
  en: {
    listen: 'Sound on', listening: 'Sound off', mic_on: 'Microphone on', mic_off: 'Microphone off',
    ptt: 'Push to talk: hold M', open: 'Open microphone', volume: 'Volume of others',
    more: 'Sound …', less: 'Less',
    nearest: 'Hear only the nearest', level: 'Microphone level',
    denied: 'The microphone is not allowed: you keep listening. Allow it in the browser settings.',
    missing: 'No microphone found: you keep listening.',
    no_connect: 'Voice does not connect (UDP and TCP to the server blocked?): you stay in the room without voice.',
    muted: (by) => `${by} has muted your voice.`,
    unmuted: (by) => `${by} allows you to speak again: turn your microphone on if you like.`,
  },
};

const send = (cmd) => { (window.stadtlabVoiceOutbox ??= []).push(JSON.stringify(cmd)); };

export function startVoice(lang) {
  const t = (k) => TEXT[lang][k];
  const v = {
    pc: null, ctx: null, mic: null, micOn: false, ptt: false, pttDown: false, blockedBy: null,
    slots: new Array(SLOTS).fill(null), chains: [], volume: 1, nearest: false, connected: false,
    sentOffer: false, error: null, plain: false,
  };
  // The bar: sound, microphone, mode, volume, "only the nearest".
  const bar = document.createElement('div');
  bar.id = 'voice-bar';
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', 'Voice');
  const button = (id) => { const b = document.createElement('button'); b.type = 'button'; b.id = id; bar.append(b); return b; };
  const mic = button('voice-mic');
  const more = button('voice-more');
  more.setAttribute('aria-expanded', 'false');
  const listen = button('voice-listen');
  const mode = button('voice-mode');
  const volume = document.createElement('input');
  Object.assign(volume, { type: 'range', min: 0, max: 2, step: 0.1, value: 1, id: 'voice-volume' });
  const volumeLabel = document.createElement('label');
  volumeLabel.htmlFor = 'voice-volume';
  const nearest = document.createElement('input');
  Object.assign(nearest, { type: 'checkbox', id: 'voice-nearest' });
  const nearestLabel = document.createElement('label');
  nearestLabel.htmlFor = 'voice-nearest';
  // The microphone's level, so a visitor sees that it hears them before anyone else does.
  const level = document.createElement('meter');
  Object.assign(level, { id: 'voice-level', min: 0, max: 1, low: 0.05, high: 0.8, optimum: 0.3, value: 0 });
  const levelLabel = document.createElement('label');
  levelLabel.htmlFor = 'voice-level';
  const status = document.createElement('p');
  status.id = 'voice-status';
  status.setAttribute('role', 'status');
  bar.append(volumeLabel, volume, nearest, nearestLabel, levelLabel, level, status);
  document.body.append(bar);
  const render = () => {
    listen.textContent = v.ctx?.state === 'running' ? t('listening') : t('listen');
    mic.textContent = v.micOn ? t('mic_off') : t('mic_on');
    mic.setAttribute('aria-pressed', String(v.micOn));
    mode.textContent = v.ptt ? t('ptt') : t('open');
    volumeLabel.textContent = t('volume');
    more.textContent = bar.classList.contains('open') ? t('less') : t('more');
    nearestLabel.textContent = t('nearest');
    levelLabel.textContent = t('level');
    status.textContent = v.error ?? '';
  };

  // Audio starts on the first click or key (the browser's autoplay rule).
  const audio = () => {
    if (!v.ctx) {
      v.ctx = new AudioContext();
      v.chains.forEach((c, i) => c && attach(i));
    }
    if (v.ctx.state !== 'running') v.ctx.resume().then(render);
    return v.ctx;
  };
  // Made now (where the browser allows sound without a gesture it plays at once); the first
  // click or key resumes it otherwise.
  audio();
  window.addEventListener('pointerdown', audio, { once: true });
  window.addEventListener('keydown', audio, { once: true });

  function attach(i) {
    const chain = v.chains[i];
    if (!v.ctx || chain.source) return;
    chain.source = v.ctx.createMediaStreamSource(chain.stream);
    chain.gain = v.ctx.createGain();
    if (i === BROADCAST) {
      chain.source.connect(chain.gain);
    } else {
      chain.panner = new PannerNode(v.ctx, {
        panningModel: 'HRTF', distanceModel: 'inverse', refDistance: 5, rolloffFactor: 5,
        maxDistance: 10000, coneInnerAngle: 180, coneOuterAngle: 360, coneOuterGain: 0.9,
      });
      chain.source.connect(chain.panner).connect(chain.gain);
    }
    chain.gain.connect(v.ctx.destination);
  }

  async function connect() {
    v.pc = new RTCPeerConnection({ iceServers: [] });
    v.pc.addTransceiver('audio', { direction: 'sendonly' });
    for (let i = 0; i < SLOTS; i++) v.pc.addTransceiver('audio', { direction: 'recvonly' });
    v.pc.getTransceivers().slice(1).forEach((tr, i) => {
      const stream = new MediaStream([tr.receiver.track]);
      const el = new Audio();
      // Plain playback chosen before voice connected (the lab's console) holds for it too.
      el.muted = !v.plain;
      el.srcObject = stream;
      el.play().catch(() => {});
      v.chains[i] = { stream, el };
      attach(i);
    });
    v.pc.onconnectionstatechange = () => {
      v.connected = v.pc.connectionState === 'connected';
      if (v.pc.connectionState === 'failed') { v.error = t('no_connect'); render(); }
    };
    await v.pc.setLocalDescription(await v.pc.createOffer());
    // No trickle: the offer goes with the candidates gathered (the server is ICE-lite).
    await new Promise((ok) => {
      if (v.pc.iceGatheringState === 'complete') return ok();
      v.pc.onicegatheringstatechange = () => v.pc.iceGatheringState === 'complete' && ok();
      setTimeout(ok, 3000);
    });
    // In parts (stadtlab_shared::protocol::domain::voice::OFFER_PART_BYTES): WebTransport
    // datagrams carry about 1,200 bytes and the offer is ~10–15 KB. ASCII, so length = bytes.
    const sdp = v.pc.localDescription.sdp;
    const parts = Math.ceil(sdp.length / PART);
    for (let i = 0; i < parts; i++) send({ OfferPart: { part: i, parts, text: sdp.slice(i * PART, (i + 1) * PART) } });
    v.sentOffer = true;
    setTimeout(() => { if (!v.connected && !v.error) { v.error = t('no_connect'); render(); } }, 20000);
  }

  async function setMic(on) {
    if (on && !v.mic) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({
          audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
        });
        v.mic = stream.getAudioTracks()[0];
        v.meter = audio().createAnalyser();
        v.meter.fftSize = 1024;
        audio().createMediaStreamSource(stream).connect(v.meter);
      } catch (e) {
        v.error = e.name === 'NotAllowedError' ? t('denied') : t('missing');
        render();
        return;
      }
    }
    v.micOn = on && !v.blockedBy;
    v.error = null;
    const sending = v.micOn && (!v.ptt || v.pttDown);
    if (v.mic) v.mic.enabled = sending;
    await v.pc?.getTransceivers()[0].sender.replaceTrack(v.micOn ? v.mic : null);
    render();
  }

  more.addEventListener('click', () => {
    const open = bar.classList.toggle('open');
    more.setAttribute('aria-expanded', String(open));
    render();
  });
  listen.addEventListener('click', () => {
    const ctx = audio();
    if (ctx.state === 'running') ctx.suspend().then(render);
  });
  mic.addEventListener('click', () => setMic(!v.micOn));
  mode.addEventListener('click', () => { v.ptt = !v.ptt; setMic(v.micOn); });
  volume.addEventListener('input', () => { v.volume = Number(volume.value); });
  nearest.addEventListener('change', () => { v.nearest = nearest.checked; });
  // M: microphone on/off; with push-to-talk, held to speak. Not while typing in the chat.
  const typing = () => window.stadtlab?.state?.()?.panels?.includes('chat');
  window.addEventListener('keydown', (e) => {
    if (e.code !== 'KeyM' || e.repeat || typing()) return;
    if (v.ptt) { v.pttDown = true; setMic(true); } else setMic(!v.micOn);
  });
  window.addEventListener('keyup', (e) => {
    if (e.code !== 'KeyM' || !v.ptt) return;
    v.pttDown = false;
    if (v.mic) v.mic.enabled = false;
  });

  function inbox() {
    const list = window.stadtlabVoiceInbox ?? [];
    window.stadtlabVoiceInbox = [];
    for (const text of list) {
      const msg = JSON.parse(text);
      if (msg.Answer) v.pc?.setRemoteDescription({ type: 'answer', sdp: msg.Answer.sdp });
      if (msg.Slots) v.slots = [...msg.Slots.spatial, msg.Slots.broadcast];
      if (msg.Muted) {
        v.blockedBy = msg.Muted.muted ? msg.Muted.by : null;
        v.error = msg.Muted.muted ? t('muted')(msg.Muted.by) : t('unmuted')(msg.Muted.by);
        if (msg.Muted.muted) setMic(false); else render();
      }
      if (msg.Refused) { v.error = msg.Refused.reason; render(); }
    }
  }

  // The level meter: RMS of what the microphone hears (even while push-to-talk is up, so the
  // visitor can check it before speaking), scaled so that normal speech fills about half.
  const samples = new Float32Array(1024);
  function meter() {
    if (!v.meter) return;
    v.meter.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const x of samples) sum += x * x;
    v.level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
    level.value = v.level;
  }

  // Every frame: place the listener at the camera and each slot at its avatar.
  function frame() {
    requestAnimationFrame(frame);
    inbox();
    meter();
    const st = window.stadtlab?.state?.();
    const was = v.lastStatus;
    v.lastStatus = st?.status;
    if (!st || st.status !== 'connected' || st.me.id == null) return;
    // The game connection came back after a loss: the server ended this voice peer, offer anew.
    if (was && was !== 'connected' && v.pc) {
      v.pc.close();
      v.pc = null;
      v.sentOffer = false;
      v.connected = false;
      v.chains = [];
      v.slots = new Array(SLOTS).fill(null);
    }
    if (!v.sentOffer && !v.pc) {
      connect().then(() => { if (v.micOn) setMic(true); }).catch(() => { v.error = t('no_connect'); render(); });
    }
    if (!v.ctx || !st.me.pos) return;
    const [x, y, z] = st.me.pos;
    const l = v.ctx.listener;
    const now = v.ctx.currentTime;
    l.positionX.setValueAtTime(x, now); l.positionY.setValueAtTime(y + 1.6, now); l.positionZ.setValueAtTime(z, now);
    l.forwardX.setValueAtTime(Math.sin(st.me.yaw), now); l.forwardY.setValueAtTime(0, now);
    l.forwardZ.setValueAtTime(Math.cos(st.me.yaw), now);
    l.upX.setValueAtTime(0, now); l.upY.setValueAtTime(1, now); l.upZ.setValueAtTime(0, now);
    const dist = (p) => Math.hypot(p[0] - x, p[2] - z);
    // "Only the nearest": the two nearest voices stay, the others go quiet.
    const placed = v.slots.slice(0, BROADCAST).map((id) => st.avatars.find((a) => a.id === id));
    const order = placed.map((a, i) => [a ? dist(a.pos) : Infinity, i]).sort((a, b) => a[0] - b[0]);
    const keep = new Set(order.slice(0, 2).map(([, i]) => i));
    v.chains.forEach((c, i) => {
      if (!c?.gain) return;
      let g = v.volume;
      if (i < BROADCAST) {
        const a = placed[i];
        if (a && c.panner) {
          c.panner.positionX.setValueAtTime(a.pos[0], now);
          c.panner.positionY.setValueAtTime(a.pos[1] + 1.6, now);
          c.panner.positionZ.setValueAtTime(a.pos[2], now);
        }
        if (!a || (v.nearest && !keep.has(i))) g = 0;
      }
      if (v.plain) g = 0;
      c.gain.gain.setTargetAtTime(g, now, 0.05);
    });
  }
  requestAnimationFrame(frame);
  render();

  // For tests and accessibility tools: what arrives, and the state of the microphone.
  window.stadtlabVoice = {
    state: () => ({
      connected: v.connected, mic: v.micOn, level: v.level ?? 0, slots: v.slots, error: v.error, audio: v.ctx?.state ?? 'none',
      offered: v.sentOffer, offerBytes: v.pc?.localDescription?.sdp?.length ?? 0, signaling: v.pc?.signalingState ?? 'none', ice: v.pc?.iceConnectionState ?? 'none',
    }),
    stats: async () => {
      const out = { inbound: [], packetsSent: 0, protocol: null };
      if (!v.pc) return out;
      const reports = await v.pc.getStats();
      // The way the audio takes: 'udp', or 'tcp' where the network blocks UDP (ICE over TCP).
      reports.forEach((r) => {
        if (r.type !== 'transport' || !r.selectedCandidatePairId) return;
        const pair = reports.get(r.selectedCandidatePairId);
        out.protocol = reports.get(pair?.localCandidateId)?.protocol ?? null;
      });
      reports.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') {
          out.inbound.push({
            mid: r.mid, packetsReceived: r.packetsReceived ?? 0, totalAudioEnergy: r.totalAudioEnergy ?? 0,
            concealedSamples: r.concealedSamples ?? 0, totalSamplesReceived: r.totalSamplesReceived ?? 0,
            audioLevel: r.audioLevel ?? 0, bytesReceived: r.bytesReceived ?? 0,
          });
        }
        if (r.type === 'outbound-rtp' && r.kind === 'audio') {
          out.packetsSent += r.packetsSent ?? 0;
          out.bytesSent = (out.bytesSent ?? 0) + (r.bytesSent ?? 0);
        }
        if (r.type === 'media-source' && r.kind === 'audio') out.micEnergy = r.totalAudioEnergy ?? 0;
      });
      return out;
    },
    setMic,
    // Plain playback: every slot through its <audio> element, without placing (no Web Audio).
    // For loudspeakers in a room where Web Audio output would not be echo-cancelled, and for
    // tests: headless Chromium measures arriving sound only on a playing element.
    plainPlayback: (on) => {
      v.plain = on;
      v.chains.forEach((c) => { c.el.muted = !on; c.el.play().catch(() => {}); });
    },
  };
}
