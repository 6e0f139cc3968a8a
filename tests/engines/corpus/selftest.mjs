// Self-test of the corpus checker (check.mjs): scenarios of the corpus, mutated so that they must
// fail, run on an executor; each mutation must fail with the expected complaint, and the unmutated
// scenario must pass. Shows that the checks are not vacuous (a dropped expectation is caught by
// "nothing left over", a wrong reply, topic, envelope or count by its step).
//
//   node tests/engines/corpus/selftest.mjs [--executor engines|dev]      (default engines)
// One line per mutation, last line "N passed, M failed".

import path from 'node:path';
import { loadScenario, CORPUS_DIR } from './corpus.mjs';
import { runScenario } from './check.mjs';
import { executorFor, shutdown } from './run.mjs';

const find = (s, pred) => {
  const i = s.steps.findIndex(pred);
  if (i < 0) throw new Error(`${s.name}: no step to mutate`);
  return i;
};
const is = (kind, f = () => true) => (st) => st.kind === kind && f(st.arg);
const clone = (s) => structuredClone(s);

// [scenario file, what, mutate(scenario) -> scenario, the failure message must match]
const MUTATIONS = [
  ['topics-delivery', 'a dropped expect-delivery is a frame nobody expected', (s) => (s.steps.splice(find(s, is('expect-delivery')), 1), s), /frame\(s\) nobody expected/],
  ['topics-delivery', 'a delivery to a client that is not subscribed', (s) => (s.steps.splice(find(s, is('expect-nothing', (a) => a.client === 'B')), 1, { kind: 'expect-delivery', arg: { client: 'B', topic: 'orders', event: 'order' } }), s), /B received event order on topic orders 0 time/],
  ['topics-delivery', 'the wrong topic', (s) => ((s.steps[find(s, is('expect-delivery'))].arg.topic = 'big-payments'), s), /0 time\(s\), expected once/],
  ['topics-delivery', 'a full event expected where a summary arrives', (s) => (delete s.steps[find(s, is('expect-delivery', (a) => a.summary))].arg.summary, s), /fields \["detail","detail-type","id","source","time"\]/],
  ['topics-delivery', 'another detail than the one put', (s) => ((s.steps[find(s, is('expect-delivery'))].arg.detail = { orderId: 'o-2' }), s), /detail .*expected \{"orderId":"o-2"\}/],
  ['topics-subscribe', 'a reply that differs in one field', (s) => ((s.steps[find(s, is('expect-reply'))].arg.message.topics = ['big-payments']), s), /no frame equal to/],
  ['topics-subscribe', 'a subset match that does not hold', (s) => {
    const st = s.steps[find(s, is('expect-reply'))];
    st.arg = { client: st.arg.client, match: { type: 'subscribed', route: 'other' } };
    return s;
  }, /no frame matching/],
  ['topics-refusals', 'another refusal code', (s) => ((s.steps[find(s, is('expect-reply'))].arg.message.code = 'unknown-topic'), s), /no frame equal to/],
  ['topics-too-large', 'a dropped expect-undelivered is a record nobody expected', (s) => (s.steps.splice(find(s, is('expect-undelivered')), 1), s), /undelivered records nobody expected/],
  ['topics-too-large', 'an undelivered record for the wrong topic', (s) => ((s.steps[find(s, is('expect-undelivered'))].arg.topic = 'big-payments'), s), /no undelivered record matching/],
  ['topics-stale', 'a stale client expected to receive', (s) => (s.steps.splice(find(s, is('expect-forgotten')), 0, { kind: 'expect-delivery', arg: { client: 'B', topic: 'orders', event: 'e1' } }), s), /B received event e1 on topic orders 0 time/],
  ['topics-unsubscribe', 'forgotten while still connected', (s) => (s.steps.push({ kind: 'expect-forgotten', arg: { client: 'B' } }), s), /the stack still holds B/],
  ['topics-crowd', 'a crowd expected to receive an event for another topic', (s) => (s.steps.splice(find(s, is('expect-nothing')), 1, { kind: 'expect-delivery', arg: { crowd: 'P', topic: 'big-payments', event: 'e3', summary: true } }), s), /received event e3 on topic big-payments 0 time/],
  ['topics-crowd', 'a vanished member expected to receive', (s) => (s.steps.splice(find(s, is('expect-forgotten')), 0, { kind: 'expect-delivery', arg: { client: 'P.7', topic: 'orders', event: 'e2' } }), s), /P\.7 received event e2 on topic orders 0 time/],
  ['topics-publish', 'a publish route expected to publish another source', (s) => ((s.steps[find(s, is('send', (a) => a.publishes))].arg.publishes.source = 'shop.orders'), s), /published event source "app.clients", expected "shop.orders"/],
  ['topics-publish', 'a published event nobody named', (s) => (delete s.steps[find(s, is('send', (a) => a.publishes))].arg.publishes, s), /published 1 event\(s\); say so with publishes/],
  ['loopback-topics', 'once per topic, not once per client', (s) => (s.steps.splice(find(s, is('expect-delivery', (a) => a.topic === 'vip-orders' && a.client === 'A')), 1), s), /frame\(s\) nobody expected/],
];

async function main(argv) {
  const name = argv[0] === '--executor' ? argv[1] : 'engines';
  const executor = await executorFor(name);
  let passed = 0;
  let failed = 0;
  const base = new Map();
  for (const [file, what, mutate, want] of MUTATIONS) {
    if (!base.has(file)) {
      const s = loadScenario(path.join(CORPUS_DIR, `${file}.yaml`));
      base.set(file, s);
      try {
        await runScenario(s, executor);
        passed++;
        console.log(`ok   ${name} selftest ${s.name} passes unmutated`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${name} selftest ${s.name} fails unmutated: ${e.message}`);
      }
    }
    let error = null;
    try {
      await runScenario(mutate(clone(base.get(file))), executor);
    } catch (e) {
      error = e;
    }
    if (error && want.test(error.message)) {
      passed++;
      console.log(`ok   ${name} selftest ${file}: ${what}`);
    } else {
      failed++;
      console.log(`FAIL ${name} selftest ${file}: ${what}: ${error ? `failed otherwise: ${error.message}` : 'the mutated scenario passed'}`);
    }
  }
  await shutdown([name]);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main(process.argv.slice(2)).catch((e) => {
  console.log(`FAIL corpus selftest: ${e.stack ?? e}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
