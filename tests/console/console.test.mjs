// The dev console (src/dev/console.html) in a real headless Chromium, against the real dev server:
//   target/release/lambdaless-gen dev <copy of specs/topics.yaml> --port 0 --log json
// Everything is driven through the page's controls, as a developer would; the server's own JSON
// trace (its stdout) is the independent witness. Run by tests/console/run (see README.md there).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.LAMBDALESS_GEN ?? path.join(root, 'target/release/lambdaless-gen');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WAIT = 10_000; // ms for any one thing to show up
const HOSTILE_DETAIL = '<img src=x onerror=alert(1)>';
const HOSTILE_TYPE = '<svg onload=alert(2)>';

let dir, server, exited, urls, browser, page;
const records = []; // the server's JSON trace lines, in order
const waiters = new Set();
const stderr = [];
const dialogs = [];
const pageErrors = [];

// ---- the server --------------------------------------------------------------------------------
function waitRecord(pred, what, ms = WAIT) {
  const found = records.find(pred);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const w = { pred, resolve };
    const timer = setTimeout(() => {
      waiters.delete(w);
      reject(new Error(`the server's trace never showed ${what} within ${ms} ms; last records:\n${records.slice(-8).map((r) => JSON.stringify(r)).join('\n')}`));
    }, ms);
    w.resolve = (r) => { clearTimeout(timer); resolve(r); };
    waiters.add(w);
  });
}
function startServer(spec) {
  return new Promise((resolve, reject) => {
    server = spawn(bin, ['dev', spec, '--port', '0', '--log', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((res) => server.on('exit', (code, signal) => res({ code, signal })));
    server.on('error', reject);
    server.stderr.on('data', (b) => stderr.push(b.toString()));
    const fail = (why) => reject(new Error(`${why}\nstderr:\n${stderr.join('').slice(-2000)}`));
    const timer = setTimeout(() => fail('no ready line within 15 s'), 15_000);
    server.on('exit', (code) => { clearTimeout(timer); fail(`${bin} exited with ${code} before it was ready`); });
    createInterface({ input: server.stdout }).on('line', (line) => {
      let r;
      try { r = JSON.parse(line); } catch { return fail(`not a JSON line on stdout: ${line}`); }
      if (r.kind === 'ready') { clearTimeout(timer); return resolve(r); }
      records.push(r);
      for (const w of waiters) if (w.pred(r)) { waiters.delete(w); w.resolve(r); }
    });
  });
}

// ---- the page ----------------------------------------------------------------------------------
const attr = (sel, name) => page.$eval(sel, (e, n) => e.getAttribute(n), name);
const text = (sel) => page.$eval(sel, (e) => e.textContent);
async function setValue(sel, value) { // as typed: focus, replace, input event
  await page.$eval(sel, (e, v) => { e.focus(); e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }, value);
}
async function select(sel, value) { await page.select(sel, value); }
function waitFor(fn, what, ...args) {
  return page.waitForFunction(fn, { timeout: WAIT, polling: 50 }, ...args)
    .catch((e) => { throw new Error(`the page never showed ${what} (${e.message.split('\n')[0]})`); });
}
const waitSelector = (sel, what) => page.waitForSelector(sel, { timeout: WAIT })
  .catch(() => { throw new Error(`the page never showed ${what} (${sel})`); });
const clientSel = (n, sel = '') => `#client-${n} ${sel}`.trim();
async function clientId(n) { return attr(clientSel(n), 'data-connection-id'); }
async function send(n, routeKey, body) {
  await select(clientSel(n, '[data-testid=client-route]'), routeKey);
  if (body !== undefined) await setValue(clientSel(n, '[data-testid=client-message]'), body);
  await page.click(clientSel(n, '[data-testid=client-send]'));
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'console-test-'));
  await cp(path.join(root, 'specs/topics.yaml'), path.join(dir, 'topics.yaml'));
  await cp(path.join(root, 'specs/events'), path.join(dir, 'events'), { recursive: true });
  const ready = await startServer('topics.yaml');
  urls = ready.urls;
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  page = await browser.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console.error: ${m.text()}`); });
  const res = await page.goto(urls.console, { waitUntil: 'load' });
  assert.equal(res.status(), 200, 'GET / answers 200');
});

after(async () => {
  await browser?.close().catch(() => {});
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

// ---- the tests, in order: each builds on the state the previous left ---------------------------
test('the page is self-contained and shows the spec from /@dev/info', async () => {
  const html = await (await fetch(urls.console)).text();
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i, 'no external URL in the page');
  await waitSelector('#topics li[data-topic="orders"]', 'the topic orders');
  await waitSelector('#topics li[data-topic="big-payments"]', 'the topic big-payments');
  for (const route of ['subscribe', 'unsubscribe', 'publish']) await waitSelector(`#routes li[data-route="${route}"]`, `the route ${route}`);
  assert.match(await text('#spec-summary'), /prod/);
  const ws = new URL(urls.websocket);
  assert.equal(await page.$eval('#connect-url', (e) => e.value), `ws://${new URL(urls.console).host}${ws.pathname}`);
  assert.match(await text('#connect-command'), /^npx wscat -c 'ws:\/\/.*\/prod'$/);
});

test('two clients connect through the UI, each showing its state and connectionId', async () => {
  await page.click('#connect-client');
  await page.click('#connect-client');
  for (const n of [1, 2]) {
    await waitFor((s) => document.querySelector(s)?.textContent === 'open', `client ${n} open`, clientSel(n, '[data-testid=client-state]'));
    await waitSelector(`${clientSel(n)}[data-connection-id]`, `client ${n}'s connectionId`);
  }
  const [a, b] = [await clientId(1), await clientId(2)];
  assert.notEqual(a, b);
  for (const id of [a, b]) await waitRecord((r) => r.kind === 'connect' && r.connectionId === id, `connect ${id}`);
  assert.equal((await text(clientSel(1, '[data-testid=client-connection-id]'))).trim(), a);
});

test('client 1 subscribes through the route form; the prefill is sensible and the reply shows', async () => {
  await select(clientSel(1, '[data-testid=client-route]'), 'subscribe');
  const prefill = await page.$eval(clientSel(1, '[data-testid=client-message]'), (e) => e.value);
  assert.deepEqual(JSON.parse(prefill), { action: 'subscribe', topics: ['orders', 'big-payments'] });
  await select(clientSel(1, '[data-testid=client-route]'), 'publish');
  assert.deepEqual(Object.keys(JSON.parse(await page.$eval(clientSel(1, '[data-testid=client-message]'), (e) => e.value))), ['action', 'detail']);

  await send(1, 'subscribe', '{"action":"subscribe","topics":["orders"]}');
  const id = await clientId(1);
  // the server saw the message from the connection the panel names: the panel's id is right
  await waitRecord((r) => r.kind === 'subscribed' && r.connectionId === id, `subscribed for client 1 (${id})`);
  await waitFor((s) => [...document.querySelectorAll(s)].some((li) => li.textContent.includes('"type":"subscribed"')),
    'the subscribed reply in client 1', clientSel(1, 'li[data-kind=reply]'));
});

test('an error reply (unknown topic) is shown in client 2', async () => {
  await send(2, 'subscribe', '{"action":"subscribe","topics":["no-such-topic"]}');
  await waitFor((s) => [...document.querySelectorAll(s)].some((li) => li.textContent.includes('unknown-topic')),
    'the unknown-topic error in client 2', clientSel(2, 'li[data-kind=error]'));
  const reply = JSON.parse(await page.$eval(clientSel(2, 'li[data-kind=error] pre'), (e) => e.textContent));
  assert.equal(reply.type, 'error');
  assert.equal(reply.code, 'unknown-topic');
  await waitSelector('#trace-list li[data-kind=refused]', 'a refused record in the trace pane');
});

let eventId;
test('an event put through the form reaches the subscribed client only', async () => {
  await select('#put-topic', 'big-payments');
  assert.equal(await page.$eval('#put-source', (e) => e.value), 'shop.payments');
  assert.ok(JSON.parse(await page.$eval('#put-detail', (e) => e.value)).amount > 1000, 'a matching amount');
  await select('#put-topic', 'orders');
  assert.equal(await page.$eval('#put-source', (e) => e.value), 'shop.orders');
  await setValue('#put-detail-type', HOSTILE_TYPE);
  await setValue('#put-detail', JSON.stringify({ orderId: 'o-1', note: HOSTILE_DETAIL }));
  await page.click('#put-send');
  await waitSelector('#put-results li[data-event-id]', 'the PutEvents EventId');
  eventId = await attr('#put-results li[data-event-id]', 'data-event-id');
  assert.match(await text('#put-results li[data-event-id]'), new RegExp(eventId));

  const frame = clientSel(1, `li[data-kind=event][data-event-id="${eventId}"]`);
  await waitSelector(frame, `the event ${eventId} in client 1`);
  const delivered = JSON.parse(await page.$eval(`${frame} pre`, (e) => e.textContent));
  assert.equal(delivered.type, 'event');
  assert.equal(delivered.topic, 'orders');
  assert.equal(delivered.event.id, eventId);
  assert.equal(delivered.event.detail.note, HOSTILE_DETAIL);
  await waitFor((id) => [...document.querySelectorAll('#trace-list li[data-kind=delivered]')].some((li) => li.textContent.includes(id)),
    'a delivered record in the trace pane', eventId);
  await waitRecord((r) => r.kind === 'done' && r.eventId === eventId, `done for ${eventId}`);
  await new Promise((r) => setTimeout(r, 200)); // frames already on the wire land
  assert.equal(await page.$$eval(clientSel(2, 'li[data-kind=event]'), (l) => l.length), 0, 'client 2 got no event');
});

test('hostile text from events is displayed as text, never as markup', async () => {
  assert.ok(eventId, 'needs the event of the previous test');
  await new Promise((r) => setTimeout(r, 300)); // an injected <img src=x> would have fired onerror by now
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.equal(await page.$$eval('img, svg', (l) => l.filter((e) => !e.closest('#diagram')).length), 0, 'no element from the event');
  const frame = clientSel(1, `li[data-kind=event][data-event-id="${eventId}"]`);
  assert.ok((await text(frame)).includes(HOSTILE_DETAIL), 'the detail shown verbatim');
  assert.ok((await text(frame)).includes(HOSTILE_TYPE), 'the detail-type shown verbatim');
  await waitFor((t) => [...document.querySelectorAll('#trace-list li[data-kind=event]')].some((li) => li.textContent.includes(t)),
    'the hostile detail-type as text in the trace pane', HOSTILE_TYPE);
});

test('the stack diagram is drawn by Mermaid and lights the last event\'s way', async () => {
  assert.ok(eventId, 'needs the event of the previous tests');
  const info = await (await fetch(new URL('/@dev/info', urls.console))).json();
  const built = await new Promise((resolve, reject) => {
    const p = spawn(bin, ['diagram', path.join(dir, 'topics.yaml')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (b) => { out += b; });
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`diagram exited ${code}`))));
  });
  assert.equal(info.diagram, built, 'the console shows the diagram `diagram` prints');
  // Every edge the server says the event took is an edge of that diagram.
  const done = await waitRecord((r) => r.kind === 'done' && r.eventId === eventId, `done for ${eventId}`);
  const edges = new Set([...info.diagram.matchAll(/^\s*(\S+) (?:-->|-\.->|~~~)(?:\|"[^"]*"\|)? (\S+)\s*$/gm)].map((m) => `${m[1]} ${m[2]}`));
  assert.ok(done.path.edges.length >= 6, `a path: ${JSON.stringify(done.path)}`);
  for (const [from, to] of done.path.edges) assert.ok(edges.has(`${from} ${to}`), `${from} -> ${to} is drawn`);
  assert.ok(done.path.nodes.includes('TopicOrdersRule') && !done.path.nodes.includes('TopicBigPaymentsRule'), 'the rule that matched');
  // The page drew it with the vendored Mermaid, the path lit.
  await waitFor((id) => document.querySelector('#diagram')?.dataset.eventId === id && document.querySelector('#diagram svg'),
    'the diagram with the last event lit', eventId);
  const lit = await page.$$eval('#diagram g.node.lit', (l) => l.map((g) => g.id));
  for (const node of ['Bus', 'TopicOrdersRule', 'DeliveryStateMachine', 'DelivererStateMachine', 'Receivers']) {
    assert.ok(lit.some((id) => id.includes(`-${node}-`)), `${node} lit (lit: ${lit.join(', ')})`);
  }
  assert.ok(!lit.some((id) => id.includes('-TopicBigPaymentsRule-')), 'the rule that did not match stays dark');
  assert.match(await text('#diagram-path'), new RegExp(`${eventId}: Bus → Rules → TopicOrdersRule`));
  assert.equal(await text('#diagram-source'), info.diagram);
  // An event a client publishes lights its route too.
  await send(1, 'publish', JSON.stringify({ action: 'publish', detail: { hello: 'diagram' } }));
  const published = await waitRecord((r) => r.kind === 'published' && r.ok === true && r.eventId !== eventId, 'a published record');
  await waitFor((id) => document.querySelector('#diagram')?.dataset.eventId === id
      && document.querySelector('#diagram').dataset.lit.split(' ').includes('RoutePublish'),
    'the publishing route lit', published.eventId);
  const routeLit = await page.$$eval('#diagram g.node.lit', (l) => l.map((g) => g.id));
  assert.ok(routeLit.some((id) => id.includes('-RoutePublish-')), `the route's node lit (${routeLit.join(', ')})`);
});

test('the trace pane filters by kind', async () => {
  const boxes = await page.$$('#trace-filters input[type=checkbox]');
  for (const b of boxes) if ((await b.evaluate((e) => e.value)) !== 'delivered') await b.click();
  const visible = await page.$$eval('#trace-list li', (l) => l.filter((li) => !li.hidden).map((li) => li.dataset.kind));
  assert.ok(visible.length > 0 && visible.every((k) => k === 'delivered'), `only delivered shown: ${visible}`);
  await page.click('#trace-all');
  const kinds = new Set(await page.$$eval('#trace-list li', (l) => l.filter((li) => !li.hidden).map((li) => li.dataset.kind)));
  for (const k of ['connect', 'subscribed', 'event', 'delivered']) assert.ok(kinds.has(k), `${k} shown again`);
});

test('client 2 disconnects through the UI', async () => {
  const id = await clientId(2);
  await page.click(clientSel(2, '[data-testid=client-disconnect]'));
  await waitFor((s) => document.querySelector(s)?.textContent === 'closed', 'client 2 closed', clientSel(2, '[data-testid=client-state]'));
  await waitRecord((r) => r.kind === 'disconnect' && r.connectionId === id, `disconnect ${id}`);
  await waitFor((i) => [...document.querySelectorAll('#trace-list li[data-kind=disconnect]')].some((li) => li.textContent.includes(i)),
    'the disconnect record in the trace pane', id);
  assert.equal(await attr(clientSel(1, '[data-testid=client-state]'), 'data-state'), 'open', 'client 1 still open');
});

test('the keyboard alone connects a client and sends (Tab, Enter, Ctrl+Enter)', async () => {
  await page.focus('#connect-url');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'connect-client');
  await page.keyboard.press('Enter');
  await waitFor((s) => document.querySelector(s)?.textContent === 'open', 'client 3 open', clientSel(3, '[data-testid=client-state]'));
  await page.focus(clientSel(3, '[data-testid=client-message]'));
  await page.keyboard.down('Control');
  await page.keyboard.press('Enter');
  await page.keyboard.up('Control');
  await waitSelector(clientSel(3, 'li[data-kind=sent]'), 'the message sent by Ctrl+Enter');
  await waitSelector(clientSel(3, 'li[data-kind=reply]'), 'the reply to it');
});

test('a spec change on disk reloads the page\'s view of the spec', async () => {
  const spec = path.join(dir, 'topics.yaml');
  const yaml = (await readFile(spec, 'utf8'))
    .replace('topics: [orders, big-payments] }', 'topics: [orders, big-payments, refunds] }')
    .replace(/\ntopics:\n/, '\ntopics:\n  refunds:\n    pattern: { source: [shop.refunds] }\n');
  assert.match(yaml, /refunds\]/);
  await writeFile(spec, yaml);
  await waitRecord((r) => r.kind === 'reload' || r.kind === 'reload-failed', 'a reload record');
  assert.equal(records.findLast((r) => r.kind.startsWith('reload')).kind, 'reload', 'the edited spec is valid');
  await waitSelector('#topics li[data-topic="refunds"]', 'the new topic after reload');
  assert.match(await text('#banner'), /reloaded/);
});

// The watcher once reacted to its own reads of the spec (inotify OPEN events) and reloaded
// every 100 ms after an edit.
test('one edit of the spec gives one reload record', async () => {
  const first = records.findIndex((r) => r.kind === 'reload');
  await new Promise((r) => setTimeout(r, 1000));
  const reloads = records.slice(first).filter((r) => r.kind === 'reload').length;
  assert.equal(reloads, 1, `${reloads} reload records within a second of one edit`);
});

test('no script error on the page; the server stops on SIGTERM with status 0', async () => {
  assert.deepEqual(pageErrors, []);
  if (process.env.CONSOLE_SCREENSHOT) {
    await page.setViewport({ width: 1400, height: 1000 });
    await page.screenshot({ path: process.env.CONSOLE_SCREENSHOT, fullPage: true });
  }
  await browser.close();
  browser = null;
  server.kill('SIGTERM');
  const { code, signal } = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ code: 'timeout' }), 5000))]);
  assert.equal(code, 0, `exit status (signal ${signal})`);
});
