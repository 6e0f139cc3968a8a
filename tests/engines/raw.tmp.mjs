import { evaluateBounded } from './sfn/jsonata.mjs';
import jsonata from 'jsonata';
const vals = Array.from({ length: 64000 }, (_, i) => i % 10);
for (const [n, e] of [['in', '$exists($vals[$ in $v])'], ['count', '$count($vals)'], ['type', '$exists($vals[$type($) = "string"])'], ['lookupObjs', '$count($lookup($objs, "x"))'], ['sum', '$sum($vals)'], ['string-contains', '$contains("," & $join($string($vals)) & ",", ",99,")']]) {
  const objs = vals.map((x) => ({ x }));
  let t = performance.now();
  await evaluateBounded(e, { vals, v: ['a', 'b'], objs }, { measureOnly: true });
  const b = performance.now() - t;
  t = performance.now();
  await jsonata(e).evaluate({}, { vals, v: ['a', 'b'], objs });
  console.log(n, 'bounded', b.toFixed(0), 'ms; plain', (performance.now() - t).toFixed(0), 'ms');
}
