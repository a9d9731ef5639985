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
  (function frame() {
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
      sessionStorage.setItem('craie-resume', resume);
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
if (!canShareScreen()) { $('screen').hidden = true; $('hint').textContent = T('noScreen'); }
setButtons(true);
