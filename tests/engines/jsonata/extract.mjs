// Prints the JSONata matcher a built deliverer definition embeds (the function its EvaluatePattern
// state applies to the subscriber's pattern and the event), so that
// tests/engines/jsonata/conformance.mjs checks the text AWS would run.
//   node tests/engines/jsonata/extract.mjs target/engines/seed/statemachines/deliverer.asl.json
// Fails unless exactly one distinct matcher is embedded.
import fs from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: extract.mjs DELIVERER.asl.json');
const def = JSON.parse(fs.readFileSync(file, 'utf8'));
const seen = new Set();
const walk = (d) =>
  Object.values(d.States ?? {}).forEach((s) => {
    const m = /^\{% \((.*)\)\(\$parse\(\$states\.input\.subscriber\.pattern\.S\),\$states\.input\.event\) %\}$/s.exec(typeof s.Output === 'string' ? s.Output : '');
    if (m) seen.add(m[1]);
    (s.Branches ?? []).forEach(walk);
    if (s.ItemProcessor) walk(s.ItemProcessor);
  });
walk(def);
if (seen.size !== 1) throw new Error(`expected one embedded matcher in ${file}, found ${seen.size}`);
process.stdout.write([...seen][0]);
