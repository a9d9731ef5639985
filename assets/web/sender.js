// craie sender page: shows this device's screen (or camera) on the classroom
// board, once the teacher accepts it. Plain JavaScript, no library, no
// tracking; the first name and the picture go to the board only.
//
// Test hooks (URL query): capture=tab (this tab: getDisplayMedia with
// preferCurrentTab), pattern=1 (draws a moving timestamp pattern to capture).
// window.craieSender exposes the page's state to test drivers.
'use strict';

const STRINGS = {
  fr: {
    title: 'Montrer mon écran au tableau',
    lead: "Votre écran n'apparaît au tableau que si le professeur l'accepte. Personne d'autre ne le voit.",
    code: 'Code affiché au tableau',
    name: 'Votre prénom',
    shareScreen: 'Partager mon écran',
    shareCamera: 'Partager ma caméra',
    hint: '« Partager ma caméra » montre par exemple une feuille posée devant la tablette.',
    stop: 'Arrêter le partage',
    noScreen: "Cet appareil ne sait pas partager son écran : utilisez « Partager ma caméra ».",
    needCode: 'Tapez le code affiché au tableau.',
    needName: 'Tapez votre prénom.',
    connecting: 'Connexion au tableau…',
    waiting: 'En attente du professeur',
    waitingDetail: 'Votre écran apparaîtra au tableau quand le professeur l\'acceptera.',
    live: 'Votre écran est au tableau',
    liveDetail: 'Tout le monde le voit. Touchez « Arrêter le partage » pour le retirer.',
    refused: 'Le professeur n\'a pas accepté',
    stopped: 'Le partage est terminé',
    stoppedDetail: 'Le professeur a retiré votre écran du tableau.',
    ended: 'Vous avez arrêté le partage',
    reconnecting: 'Connexion perdue, nouvel essai…',
    reconnectingDetail: 'Votre place au tableau est gardée quelques instants.',
    'wrong-code': 'Ce code n\'est pas le bon',
    'wrong-codeDetail': 'Vérifiez le code affiché au tableau.',
    locked: 'Trop d\'essais',
    lockedDetail: 'Attendez quelques minutes avant de réessayer.',
    'room-locked': 'Le tableau refuse les connexions pour quelques minutes',
    full: 'Le tableau est complet',
    expired: 'Votre place n\'a pas été gardée : recommencez.',
    denied: 'Le partage a été refusé sur cet appareil',
    deniedDetail: 'Autorisez le partage d\'écran ou la caméra quand le navigateur le demande.',
    failed: 'Le partage n\'a pas pu démarrer',
    insecure: 'Ouvrez cette page avec l\'adresse https:// affichée au tableau.',
  },
  en: {
    title: 'Show my screen on the board',
    lead: 'Your screen appears on the board only if the teacher accepts it. Nobody else sees it.',
    code: 'Code shown on the board',
    name: 'Your first name',
    shareScreen: 'Share my screen',
    shareCamera: 'Share my camera',
    hint: '"Share my camera" shows, for example, a sheet of paper in front of the tablet.',
    stop: 'Stop sharing',
    noScreen: 'This device cannot share its screen: use "Share my camera".',
    needCode: 'Type the code shown on the board.',
    needName: 'Type your first name.',
    connecting: 'Connecting to the board…',
    waiting: 'Waiting for the teacher',
    waitingDetail: 'Your screen will appear on the board when the teacher accepts it.',
    live: 'Your screen is on the board',
    liveDetail: 'Everybody sees it. Tap "Stop sharing" to take it off.',
    refused: 'The teacher did not accept',
    stopped: 'Sharing has ended',
    stoppedDetail: 'The teacher took your screen off the board.',
    ended: 'You stopped sharing',
    reconnecting: 'Connection lost, trying again…',
    reconnectingDetail: 'Your place on the board is kept for a moment.',
    'wrong-code': 'This is not the right code',
    'wrong-codeDetail': 'Check the code shown on the board.',
    locked: 'Too many attempts',
    lockedDetail: 'Wait a few minutes before trying again.',
    'room-locked': 'The board refuses connections for a few minutes',
    full: 'The board is full',
    expired: 'Your place was not kept: start again.',
    denied: 'Sharing was refused on this device',
    deniedDetail: 'Allow screen sharing or the camera when the browser asks.',
    failed: 'Sharing could not start',
    insecure: 'Open this page with the https:// address shown on the board.',
  },
};
const lang = (navigator.language || 'fr').toLowerCase().startsWith('en') ? 'en' : 'fr';
const T = (k) => STRINGS[lang][k] || STRINGS.fr[k] || '';
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

const state = window.craieSender = {
  status: 'idle', id: null, codec: null, errors: [], size: null, sent: null,
};
let ws = null, pc = null, stream = null, track = null, rtpSender = null, resume = null;
let kind = 'screen', wantSharing = false, retryTimer = null, statsTimer = null;

for (const el of document.querySelectorAll('[data-t]')) el.textContent = T(el.dataset.t);
document.documentElement.lang = lang;
document.title = T('title');

function show(status, detailKey, cls) {
  state.status = status;
  $('status').hidden = false;
  $('status').className = 'status ' + (cls || '');
  $('status-text').textContent = T(status);
  $('status-detail').textContent = detailKey ? T(detailKey) : '';
}

function send(o) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(o));
}

// --- capture ---------------------------------------------------------------

function capture(which) {
  const md = navigator.mediaDevices;
  if (which === 'camera')
    return md.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false });
  if (params.get('capture') === 'tab')
    return md.getDisplayMedia({ video: true, audio: false, preferCurrentTab: true });
  return md.getDisplayMedia({ video: { frameRate: { ideal: 30 } }, audio: false });
}

// A moving timestamp for latency measurements: 32 cells per row, the bits
// of Date.now() mod 2^32, then the same bits inverted.
function drawPattern() {
  const c = $('pattern'), g = c.getContext('2d');
  c.hidden = false;
  c.width = innerWidth; c.height = innerHeight;
  let last = 0;
  (function frame() {
    // 30 pictures a second, what the board asks for: no paint for nothing.
    if (Date.now() - last < 30) { requestAnimationFrame(frame); return; }
    last = Date.now();
    const W = c.width, H = c.height, t = Date.now() >>> 0, cw = W / 32, rh = H / 8;
    g.fillStyle = '#3a3a3a'; g.fillRect(0, 0, W, H);
    for (let i = 0; i < 32; i++) {
      const bit = (t >>> (31 - i)) & 1, x = Math.floor(i * cw), w = Math.ceil(cw) + 1;
      g.fillStyle = bit ? '#fff' : '#000'; g.fillRect(x, 0, w, rh);
      g.fillStyle = bit ? '#000' : '#fff'; g.fillRect(x, rh, w, rh);
    }
    g.fillStyle = '#10b981'; g.fillRect(((t / 3) % (W + 200)) - 200, H * 0.4, 200, H * 0.3);
    requestAnimationFrame(frame);
  })();
}
if (params.get('pattern') === '1') drawPattern();

// Demonstration content (?demo=geometry|chart|writing|fractions|drawing), as
// a pupil's screen might look: used by the screenshots of the documentation
// and tests. A pencil moves, as when someone works.
function drawDemo(kind) {
  const c = $('pattern'), g = c.getContext('2d');
  c.hidden = false;
  c.width = innerWidth; c.height = innerHeight;
  const W = c.width, H = c.height, u = Math.min(W / 16, H / 9);
  const font = (px, bold) => `${bold ? 'bold ' : ''}${Math.round(px)}px sans-serif`;
  const paper = (bg) => { g.fillStyle = bg; g.fillRect(0, 0, W, H); };
  const title = (t, color) => { g.fillStyle = color; g.font = font(u * 0.9, true); g.fillText(t, u * 0.6, u * 1.3); };
  const scenes = {
    geometry() {
      paper('#fdfcf7'); title('Exercice 3 : le triangle', '#1d4ed8');
      const A = [u * 3, u * 7.6], B = [u * 11, u * 7.6], C = [u * 3, u * 2.6];
      g.lineWidth = u * 0.12; g.strokeStyle = '#111827';
      g.beginPath(); g.moveTo(...A); g.lineTo(...B); g.lineTo(...C); g.closePath(); g.stroke();
      g.strokeStyle = '#dc2626'; g.strokeRect(A[0], A[1] - u * 0.6, u * 0.6, u * 0.6);
      g.fillStyle = '#111827'; g.font = font(u * 0.6, true);
      g.fillText('A', A[0] - u * 0.7, A[1] + u * 0.5); g.fillText('B', B[0] + u * 0.2, B[1] + u * 0.5);
      g.fillText('C', C[0] - u * 0.7, C[1]);
      g.fillStyle = '#059669'; g.font = font(u * 0.55);
      g.fillText('AB = 8 cm', u * 6, u * 8.4); g.fillText('AC = 5 cm', u * 1.2, u * 5.3);
      g.fillText('ABC est rectangle en A.', u * 8.5, u * 3.5);
    },
    chart() {
      paper('#f8fafc'); title('Températures de la semaine', '#b45309');
      const days = ['lun', 'mar', 'mer', 'jeu', 'ven'], t = [12, 15, 9, 17, 14];
      const colors = ['#60a5fa', '#34d399', '#a78bfa', '#f87171', '#fbbf24'];
      g.strokeStyle = '#334155'; g.lineWidth = u * 0.06;
      g.beginPath(); g.moveTo(u * 2, u * 2.2); g.lineTo(u * 2, u * 7.6); g.lineTo(u * 14.5, u * 7.6); g.stroke();
      days.forEach((d, i) => {
        const h = t[i] * u * 0.28, x = u * (2.7 + i * 2.4);
        g.fillStyle = colors[i]; g.fillRect(x, u * 7.6 - h, u * 1.6, h);
        g.fillStyle = '#0f172a'; g.font = font(u * 0.5, true);
        g.fillText(d, x + u * 0.35, u * 8.3); g.fillText(t[i] + '°', x + u * 0.3, u * 7.4 - h);
      });
    },
    writing() {
      paper('#fffdf5'); title('Dictée du jeudi', '#7c3aed');
      g.strokeStyle = '#bfdbfe'; g.lineWidth = u * 0.03;
      for (let y = u * 2.5; y < H; y += u * 0.8) { g.beginPath(); g.moveTo(0, y); g.lineTo(W, y); g.stroke(); }
      g.strokeStyle = '#fca5a5'; g.beginPath(); g.moveTo(u * 1.5, u * 1.8); g.lineTo(u * 1.5, H); g.stroke();
      g.fillStyle = '#1e3a8a'; g.font = `italic ${Math.round(u * 0.62)}px serif`;
      ['Le petit chat dort au soleil.', 'Il rêve de souris grises', 'et de grandes prairies vertes.']
        .forEach((l, i) => g.fillText(l, u * 1.9, u * (3.2 + i * 1.6)));
      g.fillStyle = '#facc15'; g.beginPath(); g.arc(u * 13.5, u * 6.9, u * 1, 0, 7); g.fill();
    },
    fractions() {
      paper('#f0fdf4'); title('Les fractions', '#15803d');
      const pie = (cx, parts, filled, color) => {
        for (let k = 0; k < parts; k++) {
          g.beginPath(); g.moveTo(cx, u * 5); g.arc(cx, u * 5, u * 1.6, (k / parts) * 6.283 - 1.571, ((k + 1) / parts) * 6.283 - 1.571);
          g.closePath(); g.fillStyle = k < filled ? color : '#ffffff'; g.fill();
          g.strokeStyle = '#14532d'; g.lineWidth = u * 0.06; g.stroke();
        }
      };
      pie(u * 3, 2, 1, '#fb923c'); pie(u * 8, 4, 1, '#38bdf8'); pie(u * 13, 4, 3, '#a3e635');
      g.fillStyle = '#14532d'; g.font = font(u * 0.9, true);
      g.fillText('+', u * 5.2, u * 5.3); g.fillText('=', u * 10.2, u * 5.3);
      g.font = font(u * 0.7, true);
      g.fillText('1/2', u * 2.5, u * 7.8); g.fillText('1/4', u * 7.5, u * 7.8); g.fillText('3/4', u * 12.5, u * 7.8);
    },
    drawing() {
      paper('#e0f2fe'); title('Ma maison', '#be123c');
      g.fillStyle = '#86efac'; g.fillRect(0, u * 7, W, H);
      g.fillStyle = '#fde68a'; g.fillRect(u * 4, u * 4, u * 5, u * 3.2);
      g.fillStyle = '#dc2626'; g.beginPath(); g.moveTo(u * 3.5, u * 4); g.lineTo(u * 6.5, u * 1.9); g.lineTo(u * 9.5, u * 4); g.fill();
      g.fillStyle = '#92400e'; g.fillRect(u * 6, u * 5.4, u * 1, u * 1.8);
      g.fillStyle = '#65a30d'; g.beginPath(); g.arc(u * 12.5, u * 4.5, u * 1.4, 0, 7); g.fill();
      g.fillStyle = '#78350f'; g.fillRect(u * 12.2, u * 5.6, u * 0.6, u * 1.6);
    },
  };
  const scene = scenes[kind] || scenes.drawing;
  (function frame() {
    scene();
    const t = Date.now() / 900;
    g.fillStyle = '#f97316';
    g.beginPath(); g.arc(W * (0.55 + 0.3 * Math.cos(t)), H * (0.62 + 0.2 * Math.sin(t * 1.3)), u * 0.18, 0, 7); g.fill();
    requestAnimationFrame(frame);
  })();
}
if (params.get('demo')) drawDemo(params.get('demo'));

// --- the board asks for another size ---------------------------------------

async function applySize(m) {
  state.size = m;
  if (!rtpSender || !track) return;
  const s = track.getSettings();
  const w = s.width || m.width, h = s.height || m.height;
  const scale = Math.max(1, w / m.width, h / m.height);
  const p = rtpSender.getParameters();
  if (!p.encodings || !p.encodings.length) p.encodings = [{}];
  p.encodings[0].scaleResolutionDownBy = scale;
  p.encodings[0].maxFramerate = m.fps;
  p.encodings[0].maxBitrate = m.maxBitrate;
  try {
    await rtpSender.setParameters(p);
    state.sent = { scale, fps: m.fps, maxBitrate: m.maxBitrate };
  } catch (e) { state.errors.push('setParameters: ' + e); }
}

// --- signalling --------------------------------------------------------------

function preferH264(transceiver) {
  if (!transceiver.setCodecPreferences || !RTCRtpReceiver.getCapabilities) return;
  const all = RTCRtpSender.getCapabilities('video').codecs;
  const h264 = all.filter(c => c.mimeType.toLowerCase() === 'video/h264');
  if (h264.length) transceiver.setCodecPreferences([...h264, ...all.filter(c => !h264.includes(c))]);
}

async function negotiate() {
  if (pc) pc.close();
  pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
  const tr = pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
  rtpSender = tr.sender;
  preferH264(tr);
  pc.onicecandidate = (e) => {
    if (e.candidate) send({ type: 'ice', candidate: e.candidate.candidate, sdpMLineIndex: e.candidate.sdpMLineIndex || 0 });
  };
  pc.onconnectionstatechange = () => { state.pc = pc.connectionState; };
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  send({ type: 'offer', sdp: pc.localDescription.sdp });
  if (state.size) applySize(state.size);
}

async function sendStats() {
  if (!pc || !ws || ws.readyState !== WebSocket.OPEN) return;
  const r = await pc.getStats();
  let out = null;
  r.forEach(s => {
    if (s.type === 'outbound-rtp' && s.kind === 'video')
      out = { type: 'stats', width: s.frameWidth || 0, height: s.frameHeight || 0, fps: s.framesPerSecond || 0 };
  });
  if (out) { state.stats = out; send(out); }
}

function onMessage(ev) {
  let m;
  try { m = JSON.parse(ev.data); } catch (e) { return; }
  switch (m.type) {
    case 'welcome':
      state.id = m.id; state.codec = m.codec; resume = m.resume;
      // Kept for this tab only: a reload comes back into the same tile.
      sessionStorage.setItem('craie-resume', resume);
      sessionStorage.setItem('craie-name', $('name').value.trim());
      negotiate().catch(e => { state.errors.push(String(e)); fail('failed'); });
      break;
    case 'state':
      if (m.state === 'waiting') show('waiting', 'waitingDetail', 'waiting');
      else if (m.state === 'live') show('live', 'liveDetail', 'live');
      else if (m.state === 'refused') end('refused', null, 'error');
      else if (m.state === 'stopped') end('stopped', 'stoppedDetail');
      break;
    case 'answer':
      pc && pc.setRemoteDescription({ type: 'answer', sdp: m.sdp }).catch(e => state.errors.push(String(e)));
      break;
    case 'ice':
      pc && m.candidate && pc.addIceCandidate({ candidate: m.candidate, sdpMLineIndex: m.sdpMLineIndex }).catch(() => {});
      break;
    case 'size':
      applySize(m);
      break;
    case 'error':
      state.errors.push(m.reason);
      if (m.reason !== 'invalid') {
        resume = null; sessionStorage.removeItem('craie-resume');
        end(m.reason, m.reason + 'Detail', 'error');
      }
      break;
  }
}

function connect() {
  clearTimeout(retryTimer);
  ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  ws.onopen = () => {
    const hello = { type: 'hello', name: $('name').value.trim() };
    if (resume) hello.resume = resume;
    if (!resume || $('code').value.trim()) hello.code = $('code').value.trim();
    send(hello);
  };
  ws.onmessage = onMessage;
  ws.onclose = () => {
    ws = null;
    if (!wantSharing) return;
    show('reconnecting', 'reconnectingDetail', 'waiting');
    retryTimer = setTimeout(connect, 2000);
  };
}

function end(status, detail, cls) {
  wantSharing = false;
  clearTimeout(retryTimer);
  clearInterval(statsTimer);
  if (stream) stream.getTracks().forEach(t => t.stop());
  if (pc) pc.close();
  pc = null; stream = null; track = null; rtpSender = null;
  if (ws) { const w = ws; ws = null; w.close(); }
  show(status, detail, cls);
  $('join').hidden = false;
  setButtons(true);
}

function fail(what, detail) { end(what, detail, 'error'); }

function setButtons(enabled) {
  $('screen').disabled = !enabled || !canShareScreen();
  $('camera').disabled = !enabled;
}

function canShareScreen() {
  return !!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia);
}

function start(which) {
  const code = $('code').value.trim(), name = $('name').value.trim();
  if (!code && !resume) { show('needCode', null, 'error'); $('code').focus(); return; }
  if (!name) { show('needName', null, 'error'); $('name').focus(); return; }
  if (!navigator.mediaDevices) { show('insecure', null, 'error'); return; }
  kind = which;
  // Called synchronously in the click: browsers want a user gesture.
  const media = capture(which);
  setButtons(false);
  show('connecting');
  media.then((s) => {
    stream = s; track = s.getVideoTracks()[0];
    if (which === 'screen') track.contentHint = 'detail';
    track.onended = () => { send({ type: 'bye' }); end('ended'); };
    wantSharing = true;
    $('join').hidden = true;
    statsTimer = setInterval(sendStats, 1000);
    connect();
  }).catch((e) => {
    state.errors.push(e.name + ': ' + e.message);
    fail(e.name === 'NotAllowedError' ? 'denied' : 'failed', e.name === 'NotAllowedError' ? 'deniedDetail' : null);
  });
}

$('screen').addEventListener('click', () => start('screen'));
$('camera').addEventListener('click', () => start('camera'));
$('stop').addEventListener('click', () => { send({ type: 'bye' }); end('ended'); });

const hash = new URLSearchParams(location.hash.slice(1));
if (hash.get('code')) $('code').value = hash.get('code');
resume = sessionStorage.getItem('craie-resume');
if (sessionStorage.getItem('craie-name')) $('name').value = sessionStorage.getItem('craie-name');
if (!canShareScreen()) { $('screen').hidden = true; $('hint').textContent = T('noScreen'); }
setButtons(true);
