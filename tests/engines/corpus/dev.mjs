// The dev executor of the scenario corpus (interface: check.mjs): `lambdaless-gen dev SPEC --port 0
// --log json` (one server per scenario), driven through real clients as /work/notes/dev-contract.md
// describes: WebSocket clients (`ws`), PutEvents over HTTP (fetch), the /@dev hooks.
//
// Synchronisation, never a bare sleep: every action waits, with a timeout that fails loudly
// (CORPUS_TIMEOUT_MS, default 10000), for the trace records (/@dev/trace) that say it is over:
// `done {connectionId}` for a connect, message or disconnect, `done {eventId}` for a put event and
// for every event a message published (and every `event` seen meanwhile). Frames travel on other
// sockets than the trace, so before reading a client's frames the executor pings it and waits for
// the pong: the server wrote everything it had for the client before answering the ping.
// * Clients: connected one at a time, so the next `connect` trace record names the new connection.
// * crowd: members connect one at a time and subscribe all at once; one the stage throttles (429 on
//   the upgrade, "Too Many Requests" to the message) tries again after a back-off, as a client
//   would, and its throttled answers are dropped from its inbox (the engines do not throttle).
// * auth: iam specs: the URL is presigned with SigV4 (sigv4.mjs) with AWS_ACCESS_KEY_ID /
//   AWS_SECRET_ACCESS_KEY (default AWS's documented example pair); api_key: required sends
//   x-api-key with the first key /@dev/info lists.
// * mark-stale: POST /@dev/connections/{id}/stale. forgotten: a `gone` or `disconnect` record for
//   the connection, and GET @connections/{id} answering 410.

import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';
import { REPO_ROOT } from './corpus.mjs';
import { Mismatch, j } from './check.mjs';
import { presign } from './sigv4.mjs';
import { until, pause } from './wait.mjs';

const BINARY = process.env.CORPUS_DEV_BIN ?? path.join(REPO_ROOT, 'target', 'release', 'lambdaless-gen');
const FRAME_WAIT = Number(process.env.CORPUS_FRAME_WAIT_MS ?? 2000);
const CREDENTIALS = { accessKey: process.env.AWS_ACCESS_KEY_ID ?? 'AKIAIOSFODNN7EXAMPLE', secretKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: process.env.AWS_SESSION_TOKEN };

export class DevExecutor {
  name = 'dev';
  region = 'us-east-1';

  kick() {
    for (const w of [...this.waiters]) w();
  }

  /** The first trace record at or after index `from` that `pred` accepts: its index. */
  find(pred, from = 0) {
    for (let i = from; i < this.records.length; i++) if (pred(this.records[i])) return i;
    return -1;
  }

  record(pred, from, what) {
    return until(this, () => {
      const i = this.find(pred, from);
      return i >= 0 ? { i, r: this.records[i] } : null;
    }, what);
  }

  /** Null when the binary has a `dev` command, else why not. */
  static available() {
    const r = spawnSync(BINARY, ['dev', '--help'], { encoding: 'utf8' });
    return r.status === 0 ? null : `${path.relative(REPO_ROOT, BINARY)} dev --help: ${(r.error?.message ?? r.stderr ?? '').trim().split('\n')[0]}`;
  }

  async open(scenario) {
    Object.assign(this, { records: [], waiters: new Set(), clients: new Map(), stderr: '', exited: null });
    this.proc = spawn(BINARY, ['dev', scenario.specPath, '--port', '0', '--log', 'json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stderr.setEncoding('utf8').on('data', (d) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
      this.kick();
    });
    const lines = readline.createInterface({ input: this.proc.stdout });
    let first = null;
    lines.on('line', (l) => {
      first ??= l;
      this.kick();
    });
    await until(this, () => {
      if (this.exited) throw new Mismatch(`lambdaless-gen dev exited (${j(this.exited)}) before its ready line: ${this.stderr.slice(-800)}`);
      return first !== null;
    }, 'the ready line');
    let ready;
    try {
      ready = JSON.parse(first);
    } catch {}
    if (ready?.kind !== 'ready' || !ready.urls?.websocket || !ready.urls?.events) throw new Mismatch(`the first stdout line is not the ready record: ${j(first)}`);
    this.urls = ready.urls;
    this.base = new URL(ready.urls.events).origin;
    this.info = await this.http('GET', '/@dev/info').then((r) => r.json());
    this.region = this.info.region ?? this.region;
    this.trace = new WebSocket(`${this.base.replace(/^http/, 'ws')}/@dev/trace`);
    this.trace.on('message', (data) => {
      this.records.push(JSON.parse(data.toString()));
      this.kick();
    });
    await new Promise((resolve, reject) => this.trace.once('open', resolve).once('error', reject));
  }

  async close() {
    for (const c of this.clients.values()) c.ws.terminate();
    this.trace?.terminate();
    if (!this.exited) this.proc.kill('SIGTERM');
    try {
      await until(this, () => this.exited, 'the server to exit on SIGTERM');
    } catch (e) {
      this.proc.kill('SIGKILL');
      return e.message;
    }
    return this.exited.code === 0 ? null : `the server exited with ${j(this.exited)} on SIGTERM (contract: exit 0): ${this.stderr.slice(-400)}`;
  }

  diagnose() {
    return `trace (last 30): ${this.records.slice(-30).map((r) => j(r, 300)).join('\n  ')}\nstderr: ${this.stderr.slice(-2000)}`;
  }

  http(method, p, body, headers = {}) {
    return fetch(`${this.base}${p}`, { method, body, headers });
  }

  client(name) {
    const c = this.clients.get(name);
    if (!c) throw new Mismatch(`${name} has no connection`);
    return c;
  }

  /** Waits until no event the trace announced (since `from`) lacks its `done`. */
  async quiet(from, what) {
    await until(this, () => {
      const open = new Set();
      for (const r of this.records.slice(from)) {
        if (r.kind === 'event') open.add(r.eventId);
        if (r.kind === 'done' && r.eventId) open.delete(r.eventId);
      }
      return open.size === 0;
    }, `done records for every event of ${what}`);
  }

  async connect(name, { unsigned = false, noApiKey = false } = {}) {
    let url = this.urls.websocket;
    const headers = {};
    if (this.info.auth === 'iam' && !unsigned) url = presign(url, { ...CREDENTIALS, region: this.region });
    if (this.info.apiKey && !noApiKey) headers['x-api-key'] = this.info.apiKeys?.[0];
    const from = this.records.length;
    const ws = new WebSocket(url, { headers });
    const c = { ws, frames: [], closed: null };
    ws.on('message', (data, binary) => {
      const text = data.toString();
      let f;
      try {
        f = binary ? { binary: text } : JSON.parse(text);
      } catch {
        f = { unparsable: text };
      }
      c.frames.push(f);
      this.kick();
    });
    ws.on('close', (code) => {
      c.closed = { code };
      this.kick();
    });
    const opened = await new Promise((resolve) => {
      ws.once('open', () => resolve({}));
      ws.once('unexpected-response', (req, res) => resolve({ refused: res.statusCode }));
      ws.once('error', (e) => resolve({ error: e.message }));
    });
    if (opened.refused) return { refused: opened.refused };
    if (opened.error) throw new Mismatch(`connect ${name}: ${opened.error}`);
    const { i, r } = await this.record((x) => x.kind === 'connect', from, `the connect record of ${name}`);
    c.id = r.connectionId;
    await this.record((x) => x.kind === 'done' && x.connectionId === c.id, i, `done {connectionId} after connecting ${name}`);
    this.clients.set(name, c);
    return { id: c.id };
  }

  async send(name, msg) {
    const c = this.client(name);
    const from = this.records.length;
    if (msg.binary !== undefined) c.ws.send(Buffer.from(msg.binary, 'utf8'), { binary: true });
    else c.ws.send(msg.text);
    // the message is over at its done, or, when the stack closed the socket, at the disconnect's
    await until(this, () => c.closed || this.find((x) => x.kind === 'done' && x.connectionId === c.id && !x.eventId, from) >= 0, `done {connectionId: ${c.id}} after ${name}'s message`);
    if (c.closed) {
      const { i } = await this.record((x) => x.kind === 'disconnect' && x.connectionId === c.id, from, `the disconnect record of ${name} after its socket closed`);
      await this.record((x) => x.kind === 'done' && x.connectionId === c.id, i, `done {connectionId} after ${name}'s disconnect`);
    }
    await this.quiet(from, `${name}'s message`);
    const published = [];
    for (const p of this.records.slice(from).filter((x) => x.kind === 'published' && x.connectionId === c.id)) {
      const { r } = await this.record((x) => x.kind === 'event' && x.eventId === p.eventId, from, `the event record of published ${p.eventId}`);
      published.push({ id: p.eventId, source: r.source, detailType: r.detailType });
    }
    return { published };
  }

  async disconnect(name) {
    const c = this.client(name);
    const from = this.records.length;
    c.ws.close(1000);
    const { i } = await this.record((x) => x.kind === 'disconnect' && x.connectionId === c.id, from, `the disconnect record of ${name}`);
    await this.record((x) => x.kind === 'done' && x.connectionId === c.id, i, `done {connectionId} after ${name}'s disconnect`);
    await until(this, () => c.closed, `${name}'s socket to close`);
  }

  /** dev updates its subscriber index at once (no DynamoDB index to catch up): nothing to wait for. */
  async wait() {}

  async markStale(name) {
    const c = this.client(name);
    const r = await this.http('POST', `/@dev/connections/${encodeURIComponent(c.id)}/stale`);
    if (r.status !== 204) throw new Mismatch(`POST /@dev/connections/${c.id}/stale answered ${r.status}: ${await r.text()}`);
    await until(this, () => c.closed, `${name}'s socket to be dropped after mark-stale`);
  }

  async putEvent({ source, detailType, detailText, resources }) {
    const from = this.records.length;
    const entry = { Source: source, DetailType: detailType, Detail: detailText, EventBusName: this.info.bus, ...(resources ? { Resources: resources } : {}) };
    const r = await this.http('POST', '/', JSON.stringify({ Entries: [entry] }), { 'X-Amz-Target': 'AWSEvents.PutEvents', 'Content-Type': 'application/x-amz-json-1.1' });
    const text = await r.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {}
    if (r.status === 400 && body?.__type) return { refused: { code: body.__type, message: body.message } };
    if (r.status === 200 && body?.FailedEntryCount === 1 && body.Entries?.[0]?.ErrorCode) return { refused: { code: body.Entries[0].ErrorCode, message: body.Entries[0].ErrorMessage } };
    if (r.status !== 200 || body?.FailedEntryCount !== 0 || !body.Entries?.[0]?.EventId) throw new Mismatch(`PutEvents answered ${r.status} ${j(text)}`);
    const id = body.Entries[0].EventId;
    await this.record((x) => x.kind === 'done' && x.eventId === id, from, `done {eventId: ${id}}`);
    await this.quiet(from, `event ${id}`);
    return { id };
  }

  /** Ping-pong: the server has written everything it had for the client. */
  async barrier(c) {
    if (c.closed || c.ws.readyState !== WebSocket.OPEN) return;
    let ponged = false;
    c.ws.once('pong', () => {
      ponged = true;
      this.kick();
    });
    c.ws.ping();
    await until(this, () => ponged || c.closed, `the pong of ${c.id}`);
  }

  async frames(name, want) {
    const c = this.client(name);
    await this.barrier(c);
    // after the barrier every frame the server wrote is here; a short bounded wait for one still
    // on its way (a step that finds it missing fails with the frames there are)
    if (want && !want(c.frames)) await until(this, () => want(c.frames), `the frame ${name} is expected to get`, FRAME_WAIT).catch(() => {});
    return c.frames;
  }

  async closed(name) {
    const c = this.client(name);
    await until(this, () => c.closed, `${name}'s socket to be closed by the server`).catch(() => {});
    return c.closed;
  }

  async forgotten(name) {
    const c = this.client(name);
    const seen = this.find((x) => (x.kind === 'gone' || x.kind === 'disconnect') && x.connectionId === c.id) >= 0;
    const r = await this.http('GET', `${new URL(this.urls.websocket).pathname}/@connections/${encodeURIComponent(c.id)}`);
    if (seen && r.status === 410) return null;
    return `${seen ? '' : 'no gone or disconnect trace record; '}GET @connections/${c.id} answered ${r.status}${r.status === 410 ? '' : ' (not 410)'}`;
  }

  async undelivered() {
    const r = await this.http('GET', '/@dev/undelivered');
    if (r.status !== 200) throw new Mismatch(`GET /@dev/undelivered answered ${r.status}`);
    return r.json();
  }

  async crowd(as, count, text) {
    const list = [];
    for (let i = 0; i < count; i++) {
      const name = `${as}.${i}`;
      let r;
      for (let attempt = 1; (r = await this.connect(name)).refused === 429 && attempt < 20; attempt++) await pause(50 * attempt);
      if (r.refused) throw new Mismatch(`crowd member ${name} refused with ${r.refused}`);
      list.push({ name, id: r.id, sent: true });
    }
    // the subscriptions travel at once, each over at its done; a member the stage throttles
    // ("Too Many Requests") sends again after a pause, as a client would
    let pending = list;
    for (let attempt = 1; pending.length; attempt++) {
      const from = this.records.length;
      for (const m of pending) this.client(m.name).ws.send(text);
      const waiting = new Set(pending.map((m) => m.id));
      await until(this, () => {
        for (const r of this.records.slice(from)) if (r.kind === 'done' && !r.eventId) waiting.delete(r.connectionId);
        return waiting.size === 0;
      }, `done records for ${pending.length} subscriptions of crowd ${as}`);
      await this.quiet(from, `crowd ${as}`);
      const throttled = [];
      for (const m of pending) {
        const c = this.client(m.name);
        await this.barrier(c);
        const n = c.frames.length;
        c.frames = c.frames.filter((f) => f?.message !== 'Too Many Requests');
        if (c.frames.length < n) throttled.push(m);
      }
      if (throttled.length && attempt >= 20) throw new Mismatch(`crowd ${as}: ${throttled.length} members still throttled after ${attempt} attempts`);
      if (throttled.length) await pause(100 * attempt);
      pending = throttled;
    }
    return list;
  }
}
