import jsonata from 'jsonata';
const arr = Array.from({ length: 64000 }, (_, i) => i % 10);
const event = { detail: { x: arr } };
for (const e of ['$keys($event.**)', '$contains($string($event), /\\[\\[|,\\[/)', '[$lookup([$event.detail], "x")]', '$exists([$lookup([$event.detail], "x")][$ in [11]])', '$count([$event.detail]#$i.$lookup($, "x").$i)', '$count($string($event))', '$contains($string($event), /"[^"]*\\.[^"]*":/)']) {
  const t = performance.now();
  const r = await jsonata(e).evaluate({}, { event });
  console.log(e.padEnd(60), JSON.stringify(r)?.slice(0, 40), (performance.now() - t).toFixed(0), 'ms');
}
