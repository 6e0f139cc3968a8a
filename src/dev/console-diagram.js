// The console's stack diagram: `diagrams/stack.mmd` as `build` writes it (from /@dev/info),
// drawn by the Mermaid the dev server vendors, with the last event's way through the stack
// lit: the nodes and edges of the `path` in its `done` trace record, and the route that
// published it (its `published` record). Loaded by console.html, which calls
// stackDiagram.info(info) on every /@dev/info and stackDiagram.trace(record) on every record.
'use strict';

window.stackDiagram = (() => {
  const LIT = '#e8590c';
  let info = null;        // the last /@dev/info
  let mermaid = null;     // Promise of window.mermaid, initialized
  let last = null;        // { eventId, nodes: [...], edges: [[from, to], ...] }
  let drawn = '';         // the Mermaid text on screen
  let seq = 0;
  const origins = new Map(); // eventId -> route key that published it
  const $ = (s) => document.querySelector(s);

  function load() {
    mermaid ??= new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = info.mermaid;
      s.onload = () => resolve(window.mermaid);
      s.onerror = () => reject(new Error(`cannot load ${info.mermaid}`));
      document.head.append(s);
    }).then((m) => {
      const dark = matchMedia('(prefers-color-scheme: dark)').matches;
      m.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
      return m;
    });
    return mermaid;
  }

  /** The path with the publishing route in front, when a route published the event. */
  function withOrigin(path) {
    const key = origins.get(path.eventId);
    const route = key && info?.routes.find((r) => r.key === key);
    if (!route) return path;
    return {
      eventId: path.eventId,
      nodes: ['Clients', 'Api', route.id, ...path.nodes],
      edges: [['Clients', 'Api'], [route.id, 'Bus'], ...path.edges],
    };
  }

  /** `text` with `path` lit: its nodes classed, its groups and links styled. */
  function lit(text, path) {
    if (!path) return text;
    const groups = new Set([...text.matchAll(/^\s*subgraph (\S+)/gm)].map((m) => m[1]));
    const links = [];
    let n = 0;
    for (const line of text.split('\n')) {
      const m = line.match(/^\s*(\S+) (?:-->|-\.->|~~~)(?:\|"[^"]*"\|)? (\S+)\s*$/);
      if (!m) continue;
      if (path.edges.some(([f, t]) => f === m[1] && t === m[2])) links.push(n);
      n += 1;
    }
    // A rule past the ones drawn one by one is counted in `MoreRules`; `class` on an id the
    // text does not declare would draw a stray node.
    const declared = new Set([...text.matchAll(/^\s*(\w+)(?:\[|\(|\{|>)/gm)].map((m) => m[1]));
    const shown = (id) => (declared.has(id) ? id : declared.has('MoreRules') && /Rule$/.test(id) ? 'MoreRules' : null);
    const nodes = [...new Set(path.nodes.filter((id) => !groups.has(id)).map(shown).filter(Boolean))];
    let out = `${text.replace(/\n+$/, '')}\n    classDef lit stroke:${LIT},stroke-width:4px\n`;
    if (nodes.length) out += `    class ${nodes.join(',')} lit\n`;
    for (const g of path.nodes.filter((id) => groups.has(id))) out += `    style ${g} stroke:${LIT},stroke-width:3px\n`;
    if (links.length) out += `    linkStyle ${links.join(',')} stroke:${LIT},stroke-width:3px\n`;
    return out;
  }

  async function draw() {
    if (!info?.diagram) return;
    $('#diagram-source').textContent = info.diagram;
    const path = last && withOrigin(last);
    $('#diagram-path').textContent = path
      ? `last event ${path.eventId}: ${path.nodes.join(' → ') || 'on another bus than the stack\'s: no rule saw it'}`
      : 'no event yet: put one on the bus to see its way through the stack';
    const text = lit(info.diagram, path);
    if (text === drawn) return;
    const box = $('#diagram');
    let m;
    try { m = await load(); } catch (e) { box.textContent = `${e.message}; the Mermaid source is below`; return; }
    const mine = ++seq;
    try {
      const { svg } = await m.render(`stack-diagram-${mine}`, text);
      if (mine !== seq) return;
      box.innerHTML = svg; // Mermaid's own output, sanitized by it (securityLevel strict)
      drawn = text;
      box.dataset.eventId = path?.eventId ?? '';
      box.dataset.lit = path ? path.nodes.join(' ') : '';
    } catch (e) {
      box.textContent = `cannot draw the diagram: ${e.message}`;
    }
  }

  // At most one drawing per 150 ms: a burst of events redraws once, with the last one lit.
  let queued = false;
  function soon() {
    if (queued) return;
    queued = true;
    setTimeout(() => { queued = false; draw(); }, 150);
  }

  return {
    info(next) { info = next; soon(); },
    trace(r) {
      if (r.kind === 'published' && typeof r.eventId === 'string') {
        origins.set(r.eventId, r.route);
        if (last?.eventId === r.eventId) soon();
      } else if (r.kind === 'done' && typeof r.eventId === 'string' && r.path && Array.isArray(r.path.nodes)) {
        last = { eventId: r.eventId, nodes: r.path.nodes, edges: r.path.edges ?? [] };
        soon();
      }
    },
  };
})();
