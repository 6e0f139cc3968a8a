import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
const N = 10000;
const strs = Array.from({ length: N }, (_, i) => 'v' + i.toString(36));
const ips4 = Array.from({ length: N }, (_, i) => `11.${(i >> 8) & 255}.${i & 255}.1`);
const ips6 = Array.from({ length: N }, (_, i) => `2001:db9::${i.toString(16)}`);
const nums = Array.from({ length: N }, (_, i) => i + 0.5);
const cases = {
  literal: [['zz'], strs], prefix: [[{ prefix: 'zz' }], strs], suffix: [[{ suffix: 'zz' }], strs],
  eic: [[{ 'equals-ignore-case': 'ZZ' }], strs], eicU: [[{ 'equals-ignore-case': 'ÄZ' }], strs],
  wild2: [[{ wildcard: 'a*b*c' }], strs], abList: [[{ 'anything-but': strs.slice(0, 3) }], strs.slice(0, 3).concat(strs.slice(0,3))],
  numeric: [[{ numeric: ['>', 1e9] }], nums], numLit: [[5.25], nums],
  cidr4: [[{ cidr: '10.0.0.0/8' }], ips4], cidr6: [[{ cidr: '2001:db8::/32' }], ips6], ip4lit: [['10.0.0.1'], ips4],
};
for (const [k, [alts, vals]] of Object.entries(cases)) {
  const t = performance.now();
  const r = await evaluateBounded(text, { pattern: { detail: { items: { x: alts } } }, event: { detail: { items: vals.map((x) => ({ x })) } } }, { measureOnly: true });
  const ms = performance.now() - t;
  console.log(k.padEnd(8), r.value, 'depth', r.depth, (ms).toFixed(0), 'ms', (1000 * ms / vals.length).toFixed(1), 'µs/value');
}
