import fs from 'node:fs';
import jsonata from 'jsonata';
const m = fs.readFileSync('/work/main/src/emit/jsonata/matcher.jsonata', 'utf8');
const text = `(${m})($pattern, $event)`;
const expr = jsonata(text);
const entries = new Map(), exits = new Map();
let depth = 0, deepest = 0;
expr.assign(Symbol.for('jsonata.__evaluate_entry'), (node, input, env) => { if (env.isParallelCall) return; depth++; deepest = Math.max(deepest, depth); entries.set(node, (entries.get(node) ?? 0) + 1); });
expr.assign(Symbol.for('jsonata.__evaluate_exit'), (node, input, env) => { if (env.isParallelCall) return; depth--; exits.set(node, (exits.get(node) ?? 0) + 1); });
const items = [{ sku: 's1' }, { sku: 's2' }];
const pattern = JSON.parse(process.argv[2] ?? 'null') ?? { detail: { $or: Array.from({ length: 10 }, (_, i) => ({ items: { sku: ['n' + i] } })) } };
const event = { detail: { items } };
const v = await expr.evaluate({}, { pattern, event });
console.log('value', v, 'depth end', depth, 'deepest', deepest);
const rows = [];
for (const [node, n] of entries) { const x = exits.get(node) ?? 0; if (n !== x) rows.push([n - x, node.type, node.position, m.slice(Math.max(0, node.position - 60 - 1), node.position - 1).replace(/\s+/g, ' ')]); }
rows.sort((a, b) => b[0] - a[0]);
for (const r of rows.slice(0, 25)) console.log(r.join(' | '));
