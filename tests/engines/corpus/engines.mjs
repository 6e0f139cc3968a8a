// The engines executor of the scenario corpus (interface: check.mjs): the generated artifacts run
// by tests/engines (Stack of stack.mjs: VTL in airspeed-ext, state machines in
// aws-local-stepfunctions, emulated DynamoDB, EventBridge, @connections). The reference executor.
//
// Builds: target/engines/<spec stem> as tests/engines/run makes them; a spec outside specs/ (the
// corpus's own, tests/scenarios/specs/), or a build older than its spec or the binary, is built
// into target/corpus/<stem> with target/release/lambdaless-gen.
// * put-event is EventBridge PutEvents on the stack's bus (AwsWorld.putEvents: id, time, account,
//   region, version, resources), then every execution it started, children included, is awaited.
// * Every step ends with every execution SUCCEEDED; any other status fails the scenario.
// * Frames: the @connections posts and route responses of Stack, kept per client in the order they
//   are seen (Stack.received() lists posts before responses, so it is not append-only).
// * crowd: the first member connects and sends for real; the others get copies of its records
//   (as `crowd` in stack.mjs does), so they never send and get no reply.
// * Not emulated (Unsupported): refused connections, binary frames, socket closes, messages no
//   route takes (API Gateway's own answers).

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadBuild } from '../model.mjs';
import { Stack, vtl } from '../stack.mjs';
import { REPO_ROOT } from './corpus.mjs';
import { Unsupported, Mismatch, j } from './check.mjs';

const BINARY = path.join(REPO_ROOT, 'target', 'release', 'lambdaless-gen');
const models = new Map(); // spec path -> model
const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);

function buildFor(specPath) {
  if (models.has(specPath)) return models.get(specPath);
  const stem = path.basename(specPath).replace(/\.ya?ml$/, '');
  let dir = path.join(REPO_ROOT, 'target', 'engines', stem);
  const tpl = path.join(dir, 'template.yaml');
  const fresh = path.dirname(specPath) === path.join(REPO_ROOT, 'specs') && mtime(tpl) >= Math.max(mtime(specPath), mtime(BINARY));
  if (!fresh) {
    dir = path.join(REPO_ROOT, 'target', 'corpus', stem);
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync(BINARY, ['build', specPath, '-o', dir], { stdio: 'pipe' });
  }
  const model = loadBuild(dir);
  if (model.problems.length) throw new Error(`${dir}: ${model.problems.join('; ')}`);
  models.set(specPath, model);
  return model;
}

export class EnginesExecutor {
  name = 'engines';
  region = 'us-east-1';

  async open(scenario) {
    this.st = new Stack(buildFor(scenario.specPath), []);
    this.ids = new Map();
    this.serial = 0;
    this.checked = 0;
    this.log = new Map(); // connection id -> frames, append-only (Stack.received() is not)
    this.seen = { calls: 0, replies: 0 };
  }

  /** Appends what clients received since the last call to their logs. */
  collect() {
    const { world, replies } = this.st;
    const fresh = [...world.calls.slice(this.seen.calls).filter((c) => c.delivery && !c.error).map((c) => c.delivery), ...replies.slice(this.seen.replies)];
    this.seen = { calls: world.calls.length, replies: replies.length };
    for (const { connectionId, data } of fresh) {
      let frame;
      try {
        frame = JSON.parse(data);
      } catch {
        frame = { unparsable: data };
      }
      if (!this.log.has(connectionId)) this.log.set(connectionId, []);
      this.log.get(connectionId).push(frame);
    }
  }

  async close() {
    this.st = null;
    return null;
  }

  /** Every execution since the last check ended SUCCEEDED. */
  settled(what) {
    const xs = this.st.world.executions.slice(this.checked);
    this.checked = this.st.world.executions.length;
    const bad = xs.filter((x) => x.status !== 'SUCCEEDED');
    if (bad.length) throw new Mismatch(`${what}: ${bad.map((x) => `${x.machine} ${x.status} ${x.error?.Error}: ${x.error?.Cause?.slice(0, 200)}`).join(' | ')}`);
  }

  id(name) {
    const id = this.ids.get(name);
    if (!id) throw new Mismatch(`${name} has no connection`);
    return id;
  }

  async connect(name, { unsigned, noApiKey } = {}) {
    if (unsigned || noApiKey) throw new Unsupported('API Gateway authorisation ($connect with AWS_IAM, API keys) is not emulated by the engines');
    const id = `${name.replace(/[^A-Za-z0-9]/g, '')}${String(++this.serial).padStart(4, '0')}conn=`;
    await this.st.connect(id);
    this.settled(`connect ${name}`);
    this.ids.set(name, id);
    return { id };
  }

  async send(name, msg) {
    if (msg.binary !== undefined) throw new Unsupported('binary frames are answered by API Gateway itself, which the engines do not emulate');
    const n = this.st.world.published.length;
    try {
      await this.st.message(this.id(name), msg.text);
    } catch (e) {
      if (/^no route for message/.test(e.message)) throw new Unsupported(`a message no route takes is answered by API Gateway itself (${e.message})`);
      throw e;
    }
    this.settled(`${name} sends ${j(msg.text, 120)}`);
    return { published: this.st.world.published.slice(n).map(({ event }) => ({ id: event.id, source: event.source, detailType: event['detail-type'] })) };
  }

  async disconnect(name) {
    await this.st.disconnect(this.id(name));
    this.settled(`disconnect ${name}`);
  }

  async markStale(name) {
    this.st.world.stale.add(this.id(name));
  }

  async putEvent({ source, detailType, detailText, resources }) {
    const entry = { EventBusName: this.st.busName, Source: source, DetailType: detailType, Detail: detailText, ...(resources ? { Resources: resources } : {}) };
    const r = this.st.world.putEvents([entry]);
    await this.st.world.settle();
    this.settled(`put-event ${source} ${detailType}`);
    const [e] = r.Entries;
    return r.FailedEntryCount ? { refused: { code: e.ErrorCode, message: e.ErrorMessage } } : { id: e.EventId };
  }

  async wait(ms) {
    this.st.wait(ms);
  }

  async frames(name) {
    this.collect();
    return this.log.get(this.id(name)) ?? [];
  }

  async closed() {
    throw new Unsupported('API Gateway closing a socket (1003, 1009) is not emulated by the engines');
  }

  async forgotten(name) {
    const items = this.st.items(this.id(name));
    return items.length ? `${items.length} DynamoDB record(s): ${j(items.map((i) => i.sk?.S))}` : null;
  }

  async undelivered() {
    return this.st.world.messages('UndeliveredQueue');
  }

  async crowd(as, count, text) {
    const list = [];
    for (let i = 0; i < count; i++) {
      const name = `${as}.${i}`;
      const id = `${as}${String(i).padStart(4, '0')}crowd=`;
      this.ids.set(name, id);
      list.push({ name, id, sent: i === 0 });
    }
    await this.st.connect(list[0].id);
    await this.st.message(list[0].id, text);
    this.settled(`crowd ${as}: the first member subscribes`);
    const records = this.st.items(list[0].id);
    if (records.length < 2) throw new Mismatch(`crowd ${as}: the first member holds no subscription (${j(records)})`);
    for (const item of records) for (const m of list.slice(1)) this.st.world.ddb.putItem({ TableName: this.st.table, Item: { ...item, connectionId: { S: m.id } } });
    return list;
  }

  static available() {
    return fs.existsSync(BINARY) ? null : `${path.relative(REPO_ROOT, BINARY)} is missing (cargo build --release --locked)`;
  }

  static shutdown() {
    vtl.close();
  }
}
