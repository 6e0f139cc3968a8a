// Runs one scenario of the corpus on one executor and checks every expectation. The executors
// (engines.mjs, dev.mjs) implement the same small interface; everything the corpus promises
// (claiming frames, exactly-once, event envelopes, the final "nothing left over") is here, once.
//
// Executor interface (all async unless noted; `name` is a client name of the scenario):
//   executor.name, executor.region                         'engines' | 'dev', the region events carry
//   open(scenario)                                         a fresh stack of scenario.specPath
//   close()                  -> null, or a problem found while tearing down (fails the scenario)
//   connect(name, { unsigned, noApiKey })  -> { id } | { refused: status }  (credentials left out on purpose)
//   send(name, { text } | { binary })  -> { published: [{ id, source, detailType }] }, once fully handled
//   disconnect(name), markStale(name)
//   putEvent({ source, detailType, detailText, resources })  -> { id }, once every rule has finished,
//                               or { refused: { code, message } } (the entry's ErrorCode and ErrorMessage)
//   frames(name, want?)      -> every frame the client received so far (parsed JSON or {unparsable});
//                               `want(frames)` says what the step waits for (the dev executor waits,
//                               bounded, for frames still on the wire; the engines have them all)
//   closed(name)             -> { code } once the stack closed the client's socket, or null
//   forgotten(name)          -> null when the stack holds nothing of the client, else a description
//   undelivered()            -> the records of undelivered work so far
//   crowd(as, count, text)   -> [{ name, id, sent }]: `count` clients connected and subscribed with `text`
//   wait(ms)                 time passes: the engines move their virtual clock (the topic index
//                            catches up, stack.mjs INDEX_LAG_MS); dev's index has no lag
// An executor throws Unsupported(why) for what it cannot do; the scenario then fails with that why
// (a scenario that only one executor can run must say so with `only:`).

import { isDeepStrictEqual as deepEqual } from 'node:util';
import { expand, waitMs } from './corpus.mjs';

export class Unsupported extends Error {
  constructor(why) {
    super(`not supported by this executor: ${why}`);
  }
}

export class Mismatch extends Error {}

export const j = (v, n = 400) => {
  const s = JSON.stringify(v);
  return s && s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s;
};

/** `pattern` matches `value`: maps by their listed keys (recursively), everything else by deep equality. */
export function subset(pattern, value) {
  if (pattern && typeof pattern === 'object' && !Array.isArray(pattern)) {
    return !!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(pattern).every((k) => k in value && subset(pattern[k], value[k]));
  }
  return deepEqual(pattern, value);
}

const FULL = ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version'];
const SUMMARY = ['detail', 'detail-type', 'id', 'source', 'time'];
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Runs `scenario` on `executor`; resolves { skippedSteps: [why...] } or throws Mismatch/Unsupported. */
export async function runScenario(scenario, executor, { trace = () => {} } = {}) {
  const clients = new Map(); // name -> { id, claimed: Set of frame indexes, gone }
  const crowds = new Map(); // name -> [member names]
  const events = new Map(); // alias -> { id, source, detailType, detail?, resources?, seen: {full, summary} }
  const claimedRecords = new Set();
  const skippedSteps = [];
  const idOf = (name) => {
    const c = clients.get(name);
    if (!c) throw new Mismatch(`client ${name} is not connected in this scenario`);
    return c.id;
  };
  const eventOf = (alias) => {
    const e = events.get(alias);
    if (!e) throw new Mismatch(`event ${alias} was not put or published earlier in the scenario`);
    return e;
  };
  const unclaimed = async (name, want) => {
    idOf(name);
    const c = clients.get(name);
    const frames = await executor.frames(name, want && ((fs) => want(fs.filter((_, i) => !c.claimed.has(i)))));
    return frames.map((f, i) => ({ f, i })).filter(({ i }) => !c.claimed.has(i));
  };
  const members = (arg) => {
    if (arg.crowd && !crowds.has(arg.crowd)) throw new Mismatch(`no crowd ${arg.crowd} in this scenario`);
    return arg.crowd ? crowds.get(arg.crowd).filter((m) => !clients.get(m).gone) : [arg.client];
  };

  async function expectNothing(name) {
    const left = await unclaimed(name);
    if (left.length) throw new Mismatch(`${name} received ${left.length} frame(s) nobody expected: ${j(left.map((x) => x.f))}`);
  }

  function checkEvent(alias, got, summary) {
    const e = eventOf(alias);
    const keys = Object.keys(got ?? {}).sort();
    const want = summary ? SUMMARY : FULL;
    const problems = [];
    if (!deepEqual(keys, want)) problems.push(`fields ${j(keys)}, expected ${j(want)}`);
    if (got.source !== e.source) problems.push(`source ${j(got.source)}, expected ${j(e.source)}`);
    if (got['detail-type'] !== e.detailType) problems.push(`detail-type ${j(got['detail-type'])}, expected ${j(e.detailType)}`);
    if (e.detail !== undefined && !deepEqual(got.detail, e.detail)) problems.push(`detail ${j(got.detail)}, expected ${j(e.detail)}`);
    if (!TIME.test(got.time)) problems.push(`time ${j(got.time)} is not YYYY-MM-DDTHH:MM:SSZ`);
    if (!summary) {
      if (got.version !== '0') problems.push(`version ${j(got.version)}`);
      if (got.region !== executor.region) problems.push(`region ${j(got.region)}, expected ${executor.region}`);
      if (!/^\d{12}$/.test(got.account)) problems.push(`account ${j(got.account)}`);
      if (!deepEqual(got.resources, e.resources ?? [])) problems.push(`resources ${j(got.resources)}, expected ${j(e.resources ?? [])}`);
    }
    // every client sees the same event: the first delivery of each form is the reference
    const form = summary ? 'summary' : 'full';
    if (e.seen[form] && !deepEqual(e.seen[form], got)) problems.push(`differs from the same event delivered before: ${j(e.seen[form])}`);
    e.seen[form] ??= got;
    if (e.seen.full && e.seen.summary && !deepEqual(Object.fromEntries(SUMMARY.map((k) => [k, e.seen.full[k]])), e.seen.summary)) problems.push(`the summary ${j(e.seen.summary)} is not the full event's ${j(e.seen.full)}`);
    if (problems.length) throw new Mismatch(`event ${alias}: ${problems.join('; ')}`);
  }

  const STEPS = {
    async connect({ client, refused, unsigned, 'no-api-key': noKey }) {
      if (clients.has(client) && !clients.get(client).gone) throw new Mismatch(`${client} is already connected`);
      const r = await executor.connect(client, { unsigned: !!unsigned, noApiKey: !!noKey });
      if (refused !== undefined) {
        if (r.refused !== refused) throw new Mismatch(`connect ${client}: expected refusal ${refused}, got ${r.refused ? `refusal ${r.refused}` : `connection ${r.id}`}`);
        return;
      }
      if (r.refused) throw new Mismatch(`connect ${client}: refused with ${r.refused}`);
      clients.set(client, { id: r.id, claimed: new Set() });
    },
    async send({ client, body, text, binary, publishes }) {
      idOf(client);
      const msg = binary !== undefined ? { binary: expand(binary, idOf) } : { text: text !== undefined ? expand(text, idOf) : JSON.stringify(expand(body, idOf)) };
      const r = await executor.send(client, msg);
      if (publishes) {
        if (r.published.length !== 1) throw new Mismatch(`${client}'s message published ${r.published.length} events, expected 1`);
        const [p] = r.published;
        for (const [k, f] of [['source', 'source'], ['detail-type', 'detailType']]) if (publishes[k] !== undefined && p[f] !== publishes[k]) throw new Mismatch(`published event ${k} ${j(p[f])}, expected ${j(publishes[k])}`);
        events.set(publishes.as, { id: p.id, source: p.source, detailType: p.detailType, seen: {} });
      } else if (r.published.length) throw new Mismatch(`${client}'s message published ${r.published.length} event(s); say so with publishes:`);
    },
    async 'expect-reply'({ client, message, match }) {
      const want = expand(message ?? match, idOf);
      const ok = (f) => (message !== undefined ? deepEqual(f, want) : subset(want, f));
      const left = await unclaimed(client, (fs) => fs.some(ok));
      const hit = left.find(({ f }) => ok(f));
      if (!hit) throw new Mismatch(`${client}: no frame ${message !== undefined ? 'equal to' : 'matching'} ${j(want)}; unclaimed frames: ${j(left.map((x) => x.f))}`);
      clients.get(client).claimed.add(hit.i);
    },
    async 'put-event'({ as, source, 'detail-type': detailType, detail, 'detail-text': detailText, resources, refused }) {
      if (events.has(as)) throw new Mismatch(`event ${as} is already named`);
      const [src, type, d, text] = expand([source, detailType, detail, detailText], idOf);
      const r = await executor.putEvent({ source: src, detailType: type, detailText: text ?? JSON.stringify(d), resources });
      if (refused) {
        if (!r.refused || !subset(refused, r.refused)) throw new Mismatch(`PutEvents: expected the entry refused with ${j(refused)}, got ${j(r)}`);
        return;
      }
      if (r.refused) throw new Mismatch(`PutEvents refused the entry: ${j(r.refused)}`);
      events.set(as, { id: r.id, source: src, detailType: type, detail: d ?? JSON.parse(text), resources: resources ?? [], seen: {} });
    },
    async 'expect-delivery'(arg) {
      const e = eventOf(arg.event);
      if (arg.detail !== undefined) e.detail = expand(arg.detail, idOf);
      const mine = (f) => f?.type === 'event' && f.topic === arg.topic && f.event?.id === e.id;
      for (const name of members(arg)) {
        const left = await unclaimed(name, (fs) => fs.some(mine));
        const hits = left.filter(({ f }) => mine(f));
        if (hits.length !== 1) throw new Mismatch(`${name} received event ${arg.event} on topic ${arg.topic} ${hits.length} time(s), expected once; unclaimed frames: ${j(left.map((x) => x.f))}`);
        const frame = hits[0].f;
        if (!deepEqual(Object.keys(frame).sort(), ['event', 'topic', 'type'])) throw new Mismatch(`${name}: the event frame has fields ${j(Object.keys(frame))}`);
        checkEvent(arg.event, frame.event, !!arg.summary);
        clients.get(name).claimed.add(hits[0].i);
      }
    },
    async 'expect-nothing'(arg) {
      for (const name of members(arg)) await expectNothing(name);
    },
    async 'expect-closed'({ client, code }) {
      idOf(client);
      const c = await executor.closed(client);
      if (!c || c.code !== code) throw new Mismatch(`${client}: expected the stack to close the connection with ${code}, got ${c ? c.code : 'still open'}`);
      clients.get(client).gone = true;
    },
    async 'mark-stale'({ client }) {
      idOf(client);
      await executor.markStale(client);
      clients.get(client).gone = true;
    },
    async disconnect({ client }) {
      idOf(client);
      await executor.disconnect(client);
      clients.get(client).gone = true;
    },
    async 'expect-forgotten'({ client }) {
      idOf(client);
      const left = await executor.forgotten(client);
      if (left) throw new Mismatch(`the stack still holds ${client}: ${left}`);
    },
    async 'expect-undelivered'({ event, topic, reason, match }) {
      const e = eventOf(event);
      const recs = await executor.undelivered();
      const want = { eventId: e.id, topic, reason, ...expand(match ?? {}, idOf) };
      const i = recs.findIndex((r, k) => !claimedRecords.has(k) && subset(want, r));
      if (i < 0) throw new Mismatch(`no undelivered record matching ${j(want)}; records: ${j(recs)}`);
      claimedRecords.add(i);
    },
    async wait({ for: d }) {
      await executor.wait(waitMs(d));
    },
    async crowd({ as, count, body, reply }) {
      if (crowds.has(as) || clients.has(as)) throw new Mismatch(`${as} is already a name`);
      const list = await executor.crowd(as, count, JSON.stringify(expand(body, idOf)));
      if (list.length !== count) throw new Mismatch(`crowd ${as}: ${list.length} members, expected ${count}`);
      crowds.set(as, list.map((m) => m.name));
      for (const m of list) clients.set(m.name, { id: m.id, claimed: new Set() });
      const want = expand(reply, idOf);
      for (const m of list.filter((x) => x.sent)) await STEPS['expect-reply']({ client: m.name, message: want });
    },
  };

  await executor.open(scenario);
  let failure = null;
  try {
    for (const [n, step] of scenario.steps.entries()) {
      if (step.only && step.only !== executor.name) {
        skippedSteps.push(`step ${n + 1} (${step.kind}): ${step.why}`);
        continue;
      }
      trace(`step ${n + 1}: ${step.kind} ${j(step.arg, 160)}`);
      try {
        await STEPS[step.kind](step.arg);
      } catch (e) {
        e.message = `step ${n + 1} (${step.kind}): ${e.message}`;
        throw e;
      }
    }
    // nothing left over: every frame and every undelivered record was expected by a step
    try {
      for (const name of clients.keys()) await expectNothing(name);
      const recs = await executor.undelivered();
      const extra = recs.filter((_, k) => !claimedRecords.has(k));
      if (extra.length) throw new Mismatch(`undelivered records nobody expected: ${j(extra)}`);
    } catch (e) {
      e.message = `after the last step: ${e.message}`;
      throw e;
    }
  } catch (e) {
    failure = e;
  }
  const problem = await executor.close();
  if (failure) throw failure;
  if (problem) throw new Mismatch(`closing the stack: ${problem}`);
  return { skippedSteps };
}
