// Runs the scenario corpus (tests/scenarios/*.yaml) on both executors: the generated artifacts in
// the engines (engines.mjs, the reference) and `lambdaless-gen dev` through real clients (dev.mjs).
//
//   node tests/engines/corpus/run.mjs [--executor engines|dev] [--verbose] [NAME-FILTER...]
//
// One line per scenario per executor: "ok   dev topics/subscribe (0.3 s)", "FAIL engines
// seed/patterns: step 4 (expect-reply): ...", or "skip dev fanout/crowd: <why>"; last line
// "N passed, M failed" (skips are neither); exit 1 on failure. A filter keeps the scenarios whose
// name contains it. Needs target/release/lambdaless-gen; the engines need tests/engines/install.sh
// and read target/engines/<stem> builds (tests/engines/run makes them; see engines.mjs).

import { loadCorpus } from './corpus.mjs';
import { runScenario } from './check.mjs';

async function classOf(name) {
  if (name === 'engines') return (await import('./engines.mjs')).EnginesExecutor;
  if (name === 'dev') return (await import('./dev.mjs')).DevExecutor;
  throw new Error(`unknown executor ${name} (engines, dev)`);
}

export const executorFor = async (name) => new (await classOf(name))();
/** Null when the executor can run here, else why not. */
export const unavailable = async (name) => (await classOf(name)).available();

export async function shutdown(names) {
  if (names.includes('engines')) (await import('./engines.mjs')).EnginesExecutor.shutdown();
}

/** Runs one scenario on one executor; resolves { status: 'ok'|'FAIL'|'skip', line }. */
export async function runOne(scenario, executor, { trace } = {}) {
  const label = `${executor.name} ${scenario.name}`;
  if (scenario.only && scenario.only !== executor.name) return { status: 'skip', line: `skip ${label}: only ${scenario.only}: ${scenario.why}` };
  const t0 = performance.now();
  try {
    const { skippedSteps } = await runScenario(scenario, executor, { trace });
    const secs = ((performance.now() - t0) / 1000).toFixed(2);
    const note = skippedSteps.length ? `; ${skippedSteps.length} step(s) skipped: ${skippedSteps.join(' / ')}` : '';
    return { status: 'ok', line: `ok   ${label} (${secs} s${note})` };
  } catch (e) {
    const secs = ((performance.now() - t0) / 1000).toFixed(2);
    return { status: 'FAIL', line: `FAIL ${label} (${secs} s): ${e.message}${trace && e.stack ? `\n${e.stack}` : ''}` };
  }
}

async function main(argv) {
  let executors = ['engines', 'dev'];
  const filters = [];
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--executor') executors = [argv[++i]];
    else if (argv[i] === '--verbose') verbose = true;
    else filters.push(argv[i]);
  }
  const corpus = loadCorpus().filter((s) => !filters.length || filters.some((f) => s.name.includes(f)));
  let passed = 0;
  let failed = 0;
  const t0 = performance.now();
  for (const name of executors) {
    const te = performance.now();
    const why = await unavailable(name);
    if (why) {
      console.log(`FAIL ${name} (all ${corpus.length} scenarios): the executor cannot run: ${why}`);
      failed++;
      continue;
    }
    const executor = await executorFor(name);
    for (const scenario of corpus) {
      const r = await runOne(scenario, executor, { trace: verbose ? (m) => console.log(`     ${m}`) : undefined });
      console.log(r.line);
      if (r.status === 'ok') passed++;
      if (r.status === 'FAIL') failed++;
    }
    console.log(`     ${name}: ${corpus.length} scenarios in ${((performance.now() - te) / 1000).toFixed(1)} s`);
  }
  await shutdown(executors);
  console.log(`     corpus: ${corpus.length} scenarios on ${executors.join(' and ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e) => {
    console.log(`FAIL corpus: ${e.stack ?? e}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  });
}
