#!/usr/bin/env node
// craie-bench cast's Chromium senders: N headless Chromium processes (fresh
// profiles) capture their own tab, which draws the timestamp pattern, and
// share it with craie until SIGTERM.
//   node bench_sender.js URL CODE N WIDTHxHEIGHT
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [url, code, n, size] = process.argv.slice(2);
const [width, height] = (size || '1280x720').split('x').map(Number);
const FLAGS = ['--no-sandbox', '--disable-gpu', '--ignore-certificate-errors',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-default-apps', '--disable-domain-reliability',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--disable-features=WebRtcHideLocalIpsWithMdns', '--auto-accept-this-tab-capture'];
const contexts = [], profiles = [];

async function stop() {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  for (const p of profiles) fs.rmSync(p, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

(async () => {
  for (let i = 0; i < +n; i++) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'craie-bench-chromium-'));
    profiles.push(profile);
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CRAIE_CHROMIUM || '/usr/lib/chromium/chromium',
      headless: true, args: FLAGS, ignoreHTTPSErrors: true, viewport: { width, height },
    });
    contexts.push(ctx);
    const page = ctx.pages()[0] || await ctx.newPage();
    await page.goto(url + '?capture=tab&pattern=1');
    await page.fill('#code', code);
    await page.fill('#name', 'Bench ' + (i + 1));
    await page.click('#screen');
  }
  console.error(`# ${n} Chromium senders started`);
})().catch((e) => { console.error(e); stop(); });
