#!/usr/bin/env node
// Real headless Chromium senders (Debian's chromium through playwright-core)
// against the real craie, driven through its control socket like a teacher
// at the board. One case per run:
//   node cast_test.js first-frame | four-senders | wrong-code | resize | reconnect | camera | wall
// Exit 0 on success, 1 on failure (77 would be a skip: never here, CI has
// Chromium). Each case starts its own craie (SDL offscreen, temporary
// settings) and its own Chromium processes, each with a fresh profile.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.log('# playwright-core is missing: run tools/dev/install-deps.sh (npm ci in tests/browser)');
  process.exit(77);
}

const BUILD = process.env.CRAIE_BUILD_ROOT || path.resolve(__dirname, '../../build');
const CHROMIUM = process.env.CRAIE_CHROMIUM || '/usr/lib/chromium/chromium';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log('#', ...a);

// The flags that make getDisplayMedia work headless (see doc/develop.md):
// no background traffic, no DNS but localhost, plain host ICE candidates.
const BASE_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--ignore-certificate-errors',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-default-apps', '--disable-domain-reliability',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];
// The production call, getDisplayMedia({video}), answered by a synthetic screen.
const FAKE_SCREEN = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];
// Real pixels: the tab captures itself (page ?capture=tab).
const TAB_CAPTURE = ['--auto-accept-this-tab-capture'];

class Craie {
  constructor(width = 1280, height = 720) {
    this.width = width; this.height = height;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'craie-browser-'));
    this.socket = path.join(this.dir, 'ipc.sock');
  }
  start() {
    const args = ['--windowed', `--display.width=${this.width}`, `--display.height=${this.height}`,
      `--ipc-socket=${this.socket}`, `--paths.state_dir=${path.join(this.dir, 'state')}`,
      '--cast.port=0', '--cast.interfaces=127.0.0.1', '--camera=test'];
    const env = { ...process.env, SDL_VIDEODRIVER: 'dummy', SDL_AUDIODRIVER: 'dummy', LANG: 'C', LANGUAGE: '' };
    this.logFile = path.join(this.dir, 'craie.log');
    const out = fs.openSync(this.logFile, 'w');
    this.proc = spawn(path.join(BUILD, 'craie'), args, { env, stdio: ['ignore', out, out] });
    this.exited = null;
    this.proc.on('exit', (code, sig) => { this.exited = { code, sig }; });
  }
  ctl(...args) {
    return execFileSync(path.join(BUILD, 'craiectl'), [`--socket=${this.socket}`, ...args],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }
  tryCtl(...args) {
    try { return this.ctl(...args); } catch (e) { return null; }
  }
  state() { return JSON.parse(this.ctl('get_state')); }
  list() { return JSON.parse(this.ctl('cast', 'list') || '[]'); }
  async ready() {
    const end = Date.now() + 30000;
    while (Date.now() < end) {
      if (this.exited) throw new Error('craie exited: ' + JSON.stringify(this.exited));
      if (fs.existsSync(this.socket)) {
        const s = this.tryCtl('get_state');
        if (s && JSON.parse(s).cast.running) return JSON.parse(s);
      }
      await sleep(200);
    }
    throw new Error('craie did not start casting');
  }
  // Quits craie and returns whether it ended cleanly (exit 0: under ASan,
  // also no leak and no error).
  async stop() {
    if (this.proc && !this.exited) {
      this.tryCtl('quit');
      for (let i = 0; i < 100 && !this.exited; i++) await sleep(100);
      if (!this.exited) { this.proc.kill('SIGKILL'); return false; }
    }
    return !!this.exited && this.exited.code === 0;
  }
  dumpLog() {
    try { process.stdout.write(fs.readFileSync(this.logFile, 'utf8').split('\n').map((l) => '# craie: ' + l).join('\n') + '\n'); } catch (e) { /* none */ }
  }
}

// One pupil: a Chromium process with its own fresh profile.
class Sender {
  constructor(name, flags, viewport) {
    this.name = name; this.flags = flags; this.viewport = viewport || { width: 1280, height: 720 };
  }
  async open(url) {
    this.profile = fs.mkdtempSync(path.join(os.tmpdir(), 'craie-chromium-'));
    this.ctx = await chromium.launchPersistentContext(this.profile, {
      executablePath: CHROMIUM, headless: true, args: [...BASE_FLAGS, ...this.flags],
      ignoreHTTPSErrors: true, viewport: this.viewport, locale: 'fr-FR',
    });
    this.page = this.ctx.pages()[0] || await this.ctx.newPage();
    await this.page.goto(url);
  }
  async share(code, button = '#screen') {
    await this.page.fill('#code', code);
    await this.page.fill('#name', this.name);
    this.clickedAt = Date.now();
    await this.page.click(button);
  }
  status() { return this.page.evaluate(() => window.craieSender.status); }
  sender() { return this.page.evaluate(() => window.craieSender); }
  async waitStatus(want, ms = 20000) {
    const end = Date.now() + ms;
    let s;
    while (Date.now() < end) {
      s = await this.status();
      if (s === want) return;
      await sleep(100);
    }
    throw new Error(`${this.name}: page status is ${s}, expected ${want}`);
  }
  async close() {
    try { await this.ctx.close(); } catch (e) { /* gone */ }
    fs.rmSync(this.profile, { recursive: true, force: true });
  }
}

function check(cond, msg) {
  if (!cond) throw new Error(msg);
  log('ok:', msg);
}

async function until(fn, ms, what) {
  const end = Date.now() + ms;
  let v;
  while (Date.now() < end) {
    v = await fn();
    if (v) return v;
    await sleep(100);
  }
  throw new Error('timed out: ' + what);
}

const byName = (craie, name) => craie.list().find((s) => s.name === name);

// Frames shown on the board per second over ms, per sender name.
async function measureFps(craie, names, ms) {
  const a = new Map(craie.list().map((s) => [s.name, s.frames_shown]));
  const t0 = Date.now();
  await sleep(ms);
  const dt = (Date.now() - t0) / 1000;
  const out = {};
  for (const s of craie.list()) if (names.includes(s.name)) out[s.name] = (s.frames_shown - a.get(s.name)) / dt;
  return out;
}

async function joinAndApprove(craie, senders, url, code, button) {
  await Promise.all(senders.map((s) => s.open(url)));
  for (const s of senders) await s.share(code, button);
  for (const s of senders) await s.waitStatus('waiting');
  const ids = [];
  for (const s of senders) {
    const info = await until(() => byName(craie, s.name), 10000, `${s.name} in cast list`);
    check(info.state === 'waiting', `${s.name} waits for the teacher (not on the board)`);
    ids.push(info.id);
  }
  for (const id of ids) craie.ctl('cast', 'approve', String(id));
  for (const s of senders) await s.waitStatus('live');
  return ids;
}

// (1) The production call path: first frame within 5 s, H.264, >= 15 fps,
// on the board only after approval.
async function firstFrame(craie, url, code) {
  const s = new Sender('Léa', FAKE_SCREEN);
  try {
    await s.open(url);
    await s.share(code);
    const first = await until(() => { const i = byName(craie, 'Léa'); return i && i.width > 0 && i; }, 15000, 'first frame');
    const ms = Date.now() - s.clickedAt;
    log(`first frame ${ms} ms after the click: ${first.resolution} ${first.codec}`);
    check(ms <= 5000, `first frame within 5 s (${ms} ms)`);
    check(first.codec === 'H264', `codec is H.264 (${first.codec})`);
    await s.waitStatus('waiting');
    let st = craie.state();
    check(st.cast.live === 0 && !st.cast.senders[0].on_screen || st.cast.senders[0].state === 'waiting',
      'nothing on the wall before approval');
    check(st.cast.senders[0].state === 'waiting', 'state is waiting before approval');
    craie.ctl('cast', 'approve', String(first.id));
    await s.waitStatus('live');
    await until(() => { const i = byName(craie, 'Léa'); return i && i.state === 'live' && i.on_screen; }, 10000, 'tile on screen');
    st = craie.state();
    check(st.cast.live === 1, 'one tile on the wall after approval');
    const fps = (await measureFps(craie, ['Léa'], 3000))['Léa'];
    log(`frames shown: ${fps.toFixed(1)}/s`);
    check(fps >= 15, `at least 15 fps on the board (${fps.toFixed(1)})`);
    craie.ctl('screenshot', path.join(BUILD, 'test-artifacts', 'browser-first-frame.png'));
    craie.ctl('cast', 'stop-all');
    await s.waitStatus('stopped');
    await until(() => craie.list().length === 0, 5000, 'nobody left');
    check(craie.state().cast.live === 0, 'stop-all: the pupil is told, the wall is empty');
  } finally { await s.close(); }
}

// (2) Four pupils at 640x360 at once, all >= 25 fps.
async function fourSenders(craie, url, code) {
  const names = ['Alice', 'Bilal', 'Chloé', 'David'];
  const senders = names.map((n) => new Sender(n, TAB_CAPTURE, { width: 640, height: 360 }));
  try {
    await joinAndApprove(craie, senders, url + '?capture=tab&pattern=1', code);
    await until(() => craie.list().every((i) => i.state === 'live'), 15000, 'all four live');
    await sleep(2000); // let the senders settle at their tile size
    // A steady rate over 4 s, the best of three windows: a 2-core machine
    // shared with other jobs has hiccups that say nothing about craie.
    let fps;
    for (let w = 0; w < 3; w++) {
      fps = await measureFps(craie, names, 4000);
      log('frames shown per second:', JSON.stringify(fps));
      if (names.every((n) => fps[n] >= 25)) break;
    }
    for (const n of names) check(fps[n] >= 25, `${n} at >= 25 fps (${fps[n].toFixed(1)})`);
    craie.ctl('screenshot', path.join(BUILD, 'test-artifacts', 'browser-four-senders.png'));
  } finally { await Promise.all(senders.map((s) => s.close())); }
}

// (3) A wrong code is refused; repeated wrong codes lock the device out.
async function wrongCode(craie, url, code) {
  const wrong = code === '0000' ? '1111' : '0000';
  const s = new Sender('Malo', FAKE_SCREEN);
  try {
    await s.open(url);
    for (let i = 1; i <= 5; i++) {
      await s.share(wrong);
      await s.waitStatus('wrong-code');
      check(craie.list().length === 0, `wrong code ${i} refused, nobody joined`);
    }
    await s.share(code);
    await s.waitStatus('locked');
    check(craie.list().length === 0, 'locked out: even the right code is refused from this device');
    check(!craie.state().cast.locked, 'one device guessing does not lock the whole room');
  } finally { await s.close(); }
}

// (4) Focusing a tile asks its sender for a bigger picture; back to the
// wall, a smaller one.
async function resize(craie, url, code) {
  const senders = [new Sender('Jade', FAKE_SCREEN), new Sender('Tom', FAKE_SCREEN)];
  try {
    const [id] = await joinAndApprove(craie, senders, url, code);
    const width = () => byName(craie, 'Jade').width;
    const side = await until(() => { const w = width(); return w > 0 && w < 700 && w; }, 15000, 'side-by-side size');
    log(`side by side: ${byName(craie, 'Jade').resolution}`);
    craie.ctl('cast', 'focus', String(id));
    const big = await until(() => { const w = width(); return w > 900 && w; }, 15000, 'focused size');
    log(`focused: ${byName(craie, 'Jade').resolution}`);
    check(big > side, `focus: decoded width grew from ${side} to ${big}`);
    craie.ctl('cast', 'freeze', String(id), 'on');
    craie.ctl('screenshot', path.join(BUILD, 'test-artifacts', 'browser-focused-frozen.png'));
    check(byName(craie, 'Jade').frozen, 'frozen while focused');
    craie.ctl('cast', 'freeze', String(id), 'off');
    craie.ctl('cast', 'unfocus');
    const back = await until(() => { const w = width(); return w > 0 && w < 700 && w; }, 15000, 'back on the wall');
    check(back < big, `unfocus: decoded width went back to ${back}`);
  } finally { await Promise.all(senders.map((s) => s.close())); }
}

// (e2e) Four pupils' screens side by side with their names, a fifth waiting
// for the teacher: the picture of the documentation.
async function wall(craie, url, code) {
  const pupils = [['Léa', 'geometry'], ['Hugo', 'chart'], ['Inès', 'writing'], ['Malik', 'fractions']];
  const senders = pupils.map(([n]) => new Sender(n, TAB_CAPTURE, { width: 960, height: 540 }));
  const late = new Sender('Zoé', TAB_CAPTURE, { width: 960, height: 540 });
  try {
    await Promise.all(senders.map((s, i) => s.open(`${url}?capture=tab&demo=${pupils[i][1]}`)));
    for (const s of senders) await s.share(code);
    for (const s of senders) await s.waitStatus('waiting');
    for (const s of senders) craie.ctl('cast', 'approve', String(byName(craie, s.name).id));
    for (const s of senders) await s.waitStatus('live');
    await late.open(`${url}?capture=tab&demo=drawing`);
    await late.share(code);
    await late.waitStatus('waiting');
    await sleep(3000); // senders settle at their tile size
    await until(() => craie.list().every((i) => i.width > 0 && (i.state === 'live' || i.state === 'waiting')),
      30000, 'every picture decoded');
    const st = craie.state();
    const shown = st.cast.senders.filter((i) => i.state !== 'waiting');
    log(JSON.stringify(st.cast.senders.map((i) => [i.name, i.state, i.resolution, i.fps])));
    check(shown.length === 4 && st.cast.live === 4, 'four screens on the wall');
    const xs = new Set(shown.map((i) => i.rect.x)), ys = new Set(shown.map((i) => i.rect.y));
    check(xs.size === 2 && ys.size === 2, 'tiled 2x2');
    check(shown.every((i) => i.rect.w === shown[0].rect.w && i.rect.h === shown[0].rect.h), 'tiles of one size');
    const waiting = st.cast.senders.find((i) => i.name === 'Zoé');
    check(waiting.state === 'waiting' && waiting.on_screen, 'Zoé waits in the strip with a live thumbnail');
    check(waiting.rect.y > Math.max(...shown.map((i) => i.rect.y + i.rect.h)), 'the strip is below the wall');
    check(st.buttons.some((b) => b.action === `cast approve ${waiting.id}`), 'Zoé can be shown with one tap');
    const file = path.join(BUILD, 'test-artifacts', 'cast-wall.png');
    craie.ctl('screenshot', file);
    log('screenshot:', file);
    // The teacher taps Refuser under Zoé's thumbnail: her page says so.
    const refuse = st.buttons.find((b) => b.action === `cast deny ${waiting.id}`);
    craie.ctl('tap', String(refuse.rect.x + refuse.rect.w / 2), String(refuse.rect.y + refuse.rect.h / 2));
    await late.waitStatus('refused');
    await until(() => !byName(craie, 'Zoé'), 5000, 'Zoé gone');
    check(craie.list().length === 4, 'a tap on Refuser: the pupil is told, the strip is empty');
  } finally { await Promise.all([...senders, late].map((s) => s.close())); }
}

// (5) A pupil whose page reloads (or whose network drops) comes back into
// the same tile, still approved, within the grace period.
async function reconnect(craie, url, code) {
  const s = new Sender('Sacha', FAKE_SCREEN);
  try {
    const [id] = await joinAndApprove(craie, [s], url, code);
    await until(() => byName(craie, 'Sacha').state === 'live', 15000, 'live');
    await s.page.reload();
    await until(() => { const i = byName(craie, 'Sacha'); return i && !i.connected; }, 15000, 'seen as gone');
    check(byName(craie, 'Sacha').state === 'stalled', 'while away, the tile says it waits for the picture');
    await s.page.click('#screen'); // code and name are still there
    await s.waitStatus('live');
    await until(() => { const i = byName(craie, 'Sacha'); return i && i.state === 'live' && i.connected; }, 15000, 'back');
    const back = byName(craie, 'Sacha');
    check(back.id === id && craie.list().length === 1, 'back in the same tile, still on the board');
  } finally { await s.close(); }
}

// (6) "Partager ma caméra" on a phone-sized page (getUserMedia; the fake
// camera), with pictures of the page as a pupil sees it.
async function camera(craie, url, code) {
  const s = new Sender('Noé', FAKE_SCREEN, { width: 390, height: 844 });
  const shot = (name) => s.page.screenshot({ path: path.join(BUILD, 'test-artifacts', `sender-${name}.png`) });
  try {
    await s.open(url);
    await shot('form');
    await s.share(code, '#camera');
    await s.waitStatus('waiting');
    await shot('waiting');
    const info = await until(() => { const i = byName(craie, 'Noé'); return i && i.width > 0 && i; }, 15000, 'camera picture');
    check(info.codec === 'H264', `the camera arrives in H.264 (${info.resolution})`);
    craie.ctl('cast', 'approve', String(info.id));
    await s.waitStatus('live');
    await shot('live');
    check(craie.state().cast.live === 1, 'the camera is on the board');

    // The pupil's camera beside the document camera on the board, with ink
    // over both (issue 7: every source is a board tile).
    craie.ctl('board', 'add', 'cast', String(info.id));
    craie.ctl('board', 'add', 'camera');
    const tiles = () => craie.state().board.tiles;
    const both = await until(() => {
      const t = tiles();
      const c = t.find((x) => x.kind === 'cast'), d = t.find((x) => x.kind === 'camera');
      return c && d && c.has_image && d.has_image && c.frames_shown >= 3 && [c, d];
    }, 15000, 'the cast and the camera on the board');
    const [cast, cam] = both;
    check(cast.sender === info.id && cast.notice === null, 'the board tile shows this pupil');
    check(cast.rect.x + cast.rect.w <= cam.rect.x || cam.rect.x + cam.rect.w <= cast.rect.x,
      'side by side');
    const y = cast.rect.y + cast.rect.h / 2;
    craie.ctl('drag', String(cast.rect.x + 20), String(y), String(cam.rect.x + cam.rect.w - 20),
      String(y), '300', 'pen');
    const ink = await until(() => { const i = craie.state().ink; return i && i.strokes >= 1 && i; },
      5000, 'ink over both tiles');
    check(ink.surface === 'board', `the stroke is on the board (${ink.surface})`);
    craie.ctl('screenshot', path.join(BUILD, 'test-artifacts', 'board-cast-beside-camera.png'));
    // The pupil stops: the tile says so instead of freezing silently.
    await s.close();
    await until(() => { const c = tiles().find((x) => x.kind === 'cast'); return c && c.notice; },
      15000, 'the board tile says the pupil stopped');
  } finally { await s.close(); }
}

const cases = { camera, reconnect, 'first-frame': firstFrame, 'four-senders': fourSenders, 'wrong-code': wrongCode, resize, wall };

(async () => {
  const name = process.argv[2];
  if (!cases[name]) { console.error('usage: cast_test.js ' + Object.keys(cases).join('|')); process.exit(2); }
  if (!fs.existsSync(CHROMIUM)) { console.error(`no Chromium at ${CHROMIUM} (apt install chromium)`); process.exit(1); }
  fs.mkdirSync(path.join(BUILD, 'test-artifacts'), { recursive: true });
  const craie = name === 'wall' ? new Craie(1920, 1080) : new Craie();
  let rc = 0;
  try {
    craie.start();
    const st = await craie.ready();
    craie.ctl('open', 'tablets');
    const code = craie.ctl('cast', 'code');
    log(`craie casts at ${st.cast.url}`);
    await cases[name](craie, st.cast.url, code);
    log(`${name}: passed`);
  } catch (e) {
    console.log(`# ${name}: FAILED: ${e.stack || e}`);
    craie.dumpLog();
    rc = 1;
  }
  if (!(await craie.stop())) {
    console.log(`# ${name}: craie did not end cleanly: ${JSON.stringify(craie.exited)}`);
    craie.dumpLog();
    rc = 1;
  }
  fs.rmSync(craie.dir, { recursive: true, force: true });
  process.exit(rc);
})();
