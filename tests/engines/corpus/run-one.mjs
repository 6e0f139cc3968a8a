// Runs one scenario of the corpus on one executor, for debugging: prints every step as it runs,
// and on failure the stack trace and what the executor can tell (the dev server's last trace
// records and stderr).
//
//   node tests/engines/corpus/run-one.mjs tests/scenarios/topics-stale.yaml [engines|dev]
//   node tests/engines/corpus/run-one.mjs topics/stale dev        (a scenario name works too)
// Exit 1 on failure. CORPUS_TIMEOUT_MS (dev waits, default 10000); CORPUS_DEV_BIN (the binary the
// dev executor runs, default target/release/lambdaless-gen).

import fs from 'node:fs';
import path from 'node:path';
import { loadScenario, loadCorpus } from './corpus.mjs';
import { runScenario } from './check.mjs';
import { executorFor, unavailable, shutdown } from './run.mjs';

const [which, name = 'engines'] = process.argv.slice(2);
if (!which) {
  console.log('usage: run-one.mjs SCENARIO-FILE|NAME [engines|dev]');
  process.exit(2);
}
const scenario = fs.existsSync(which) ? loadScenario(path.resolve(which)) : loadCorpus().find((s) => s.name === which);
if (!scenario) {
  console.log(`no scenario ${which}; names: ${loadCorpus().map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const why = await unavailable(name);
if (why) {
  console.log(`FAIL ${name}: the executor cannot run: ${why}`);
  process.exit(1);
}
if (scenario.only && scenario.only !== name) console.log(`note: the scenario says only ${scenario.only}: ${scenario.why}; running it anyway`);
const executor = await executorFor(name);
console.log(`${scenario.name} (${scenario.file}) on ${name}, spec ${scenario.spec}: ${scenario.about}`);
const t0 = performance.now();
try {
  const { skippedSteps } = await runScenario(scenario, executor, { trace: (m) => console.log(`  ${m}`) });
  for (const s of skippedSteps) console.log(`  skipped ${s}`);
  console.log(`ok   ${name} ${scenario.name} (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
} catch (e) {
  console.log(`FAIL ${name} ${scenario.name}: ${e.message}\n${e.stack}`);
  if (executor.diagnose) console.log(executor.diagnose());
  process.exitCode = 1;
}
await shutdown([name]);
