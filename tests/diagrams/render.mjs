// Renders Mermaid diagrams with the official renderer (@mermaid-js/mermaid-cli's renderMermaid) in
// ONE headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM), and says which fail.
//
//   node render.mjs [--png DIR] [--broken DIR]... [--no-readme] [--verbose] PATH...
//
// PATH: a directory (every *.mmd under it, recursively; a directory without one is a failure) or
// one .mmd file. Every ```mermaid block of the repository's README.md is rendered too, unless
// --no-readme.
// A diagram fails when mermaid throws (parse or render error), when the SVG holds mermaid's error
// picture ("Syntax error" / "error-icon") or its "Maximum text size" stand-in, or when it draws no
// node. --broken DIR: diagrams under DIR are broken on purpose and rendered first; each must fail
// (a self-test: a checker that cannot see a failure proves nothing); one that renders is a failure.
// --png DIR: also writes a PNG of each good diagram, named after its path (slashes become "__").
// --verbose: the browser's console messages of each diagram.
// Each render is bounded (DIAGRAM_TIMEOUT_MS, 30 s); after one times out the rest are reported as
// not rendered rather than each waiting out its own bound.
//
// Prints "ok <path>" or "FAIL <path>: <message>" per diagram, last line
// "diagrams: N rendered, M failed"; exit status 1 when anything failed or nothing was rendered.
import { readFile, readdir, mkdir, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer';
import { renderMermaid } from '@mermaid-js/mermaid-cli';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PER_DIAGRAM_MS = Number(process.env.DIAGRAM_TIMEOUT_MS ?? 30_000);
const JOBS = 2; // pages rendering at once in the one browser (the machines have 2 cores)

function usage(message) {
  console.error(`render.mjs: ${message}`);
  console.error('usage: node render.mjs [--png DIR] [--broken DIR]... [--no-readme] [--verbose] PATH...');
  process.exit(2);
}

const args = process.argv.slice(2);
const paths = [];
const broken = [];
let pngDir = null;
let readme = true;
let verbose = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--png' || a === '--broken') {
    if (i + 1 >= args.length) usage(`${a} needs a directory`);
    if (a === '--png') pngDir = path.resolve(args[++i]);
    else broken.push(args[++i]);
  } else if (a === '--no-readme') readme = false;
  else if (a === '--verbose') verbose = true;
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else paths.push(a);
}

// What to render: {name, source, mustFail}; name is the path relative to the repository root.
const rel = (p) => path.relative(root, path.resolve(p)) || p;

async function mmdFiles(p) {
  const s = await stat(p).catch(() => null);
  if (!s) usage(`no such file or directory: ${p}`);
  if (s.isFile()) return [p];
  const out = [];
  for (const e of await readdir(p, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.mmd')) out.push(path.join(e.parentPath ?? e.path, e.name));
  }
  return out.sort();
}

function readmeBlocks(text, name) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```mermaid\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) j++;
    if (j === lines.length) {
      blocks.push({ name: `${name}:${i + 1}`, source: null, error: 'the ```mermaid block is never closed' });
    } else {
      blocks.push({ name: `${name}:${i + 1}`, source: lines.slice(start, j).join('\n') + '\n' });
    }
    i = j;
  }
  return blocks;
}

const jobs = [];
const brokenFiles = new Set();
for (const dir of broken) {
  const files = await mmdFiles(dir);
  if (files.length === 0) usage(`--broken ${dir} holds no .mmd file`);
  for (const f of files) {
    brokenFiles.add(path.resolve(f));
    jobs.push({ name: rel(f), file: f, mustFail: true });
  }
}
for (const p of paths) {
  const files = (await mmdFiles(p)).filter((f) => !brokenFiles.has(path.resolve(f)));
  // A directory with nothing to render is a failure: a test that renders nothing proves nothing.
  if (files.length === 0) jobs.push({ name: rel(p), error: 'no .mmd file here: no diagram was generated', mustFail: false });
  for (const f of files) jobs.push({ name: rel(f), file: f, mustFail: false });
}
if (readme) {
  const readmePath = path.join(root, 'README.md');
  jobs.push(...readmeBlocks(await readFile(readmePath, 'utf8'), rel(readmePath)).map((b) => ({ ...b, mustFail: false })));
}

// The first lines of mermaid's message, without the page's stack.
function shortMessage(e) {
  const text = String(e?.message ?? e);
  const lines = [];
  for (const line of text.split('\n')) {
    if (/^\s*at\s|https?:\/\/\S+:\d+:\d+|\(<anonymous>\)/.test(line)) break;
    lines.push(line);
  }
  return lines.join('\n').trim().replace(/^Error: (?=Error:)/, '');
}

// Mermaid's cryptic messages for mistakes seen while writing this test, and what they mean.
const HINTS = [
  [/Cannot set properties of undefined \(setting 'style'\)/, 'a linkStyle index past the last edge gives this (mermaid\'s bounds check misses it: the index arrives as a string)'],
  [/Cannot read properties of undefined \(reading 'shape'\)/, 'a state with the id "root" gives this (mermaid uses that id itself)'],
  [/No such shape: roundedWithTitle/, 'a composite state with an empty body gives this'],
];

// Mermaid numbers lines after dropping `%%` comment lines (and leading blank lines): say which
// line of the file it means.
function withFileLine(message, source) {
  const m = /^(Parse|Lexical) error on line (\d+)/.exec(message);
  if (!m || /^\s*---/.test(source)) return message; // front matter: leave the number alone
  const kept = [];
  source.split('\n').forEach((line, i) => {
    if (/^\s*%%(?!\{)./.test(line)) return;
    if (kept.length === 0 && line.trim() === '') return;
    kept.push(i + 1);
  });
  const fileLine = kept[Number(m[2]) - 1];
  return fileLine === undefined || fileLine === Number(m[2]) ? message : message.replace(m[0], `${m[0]} (line ${fileLine} of the file)`);
}

function explain(e, source) {
  let message = withFileLine(shortMessage(e), source);
  for (const [re, hint] of HINTS) if (re.test(message)) message += `\n(${hint})`;
  return message;
}

// Why an SVG that mermaid returned is still a failure, or null.
function svgProblem(svg) {
  if (/Syntax error in text|class="error-icon"|class="error-text"/.test(svg)) return "mermaid drew its error picture ('Syntax error in text')";
  if (/Maximum text size in diagram exceeded/.test(svg)) return 'mermaid drew its "Maximum text size in diagram exceeded" stand-in (the source is over its 50,000 characters)';
  const nodes = svg.match(/<g\b[^>]*\bclass="node(?:\s[^"]*)?"[^>]*>/g) ?? [];
  if (nodes.length === 0) return 'the SVG has no node: nothing was drawn';
  // No id can hold a space or a quote; mermaid made one from a misread statement, e.g.
  // `state "Label" as X <<choice>>` (the <<choice>> rule takes the whole line as the id).
  for (const node of nodes) {
    const id = /\bid="([^"]*)"/.exec(node)?.[1] ?? '';
    if (/\s|&quot;/.test(id)) return `a node's id holds a space or a quote, so mermaid misread a statement: ${id.replace(/&quot;/g, '"')}`;
  }
  return null;
}

function timeout(ms, what) {
  let timer;
  const p = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} did not finish within ${ms / 1000} s`), { timedOut: true })), ms);
  });
  p.clear = () => clearTimeout(timer);
  return p;
}

// renderMermaid opens its page with browser.newPage() and copies the page's console to
// console.warn; this view of the browser gives each diagram its own page log instead.
function browserFor(browser, log) {
  return {
    async newPage() {
      const page = await browser.newPage();
      page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
      return page;
    },
  };
}
console.warn = () => {}; // see browserFor
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(1); throw e; }); // `| head`

let screenshots = Promise.resolve();
function oneAtATime(fn) {
  const run = screenshots.then(fn);
  screenshots = run.catch(() => {});
  return run;
}

let stuck = null; // the diagram whose render timed out: the browser may not answer any more

async function render(browser, job) {
  const log = [];
  if (job.error) return { ok: false, message: job.error, log };
  if (stuck) return { ok: false, message: `not rendered: stopped after ${stuck} timed out (the browser may not answer any more)`, log };
  const source = job.source ?? (await readFile(job.file, 'utf8'));
  if (source.trim() === '') return { ok: false, message: 'the file is empty', log };
  const limit = timeout(PER_DIAGRAM_MS, 'rendering');
  try {
    const view = browserFor(browser, log);
    const { data } = await Promise.race([renderMermaid(view, source, 'svg'), limit]);
    const problem = svgProblem(new TextDecoder().decode(data));
    if (problem) return { ok: false, message: problem, log };
    if (pngDir && !job.mustFail) {
      // One screenshot at a time: in one --png run (two pages at a time, a loaded machine) the
      // browser stopped answering and every later render timed out; screenshots taken
      // concurrently are the suspect (not reproduced since).
      const png = await Promise.race([oneAtATime(() => renderMermaid(view, source, 'png', { viewport: { width: 1200, height: 800, deviceScaleFactor: 2 } })), limit]);
      const file = path.join(pngDir, job.name.replace(/\.mmd$/, '').replace(/[/:]/g, '__') + '.png');
      await writeFile(file, png.data);
    }
    return { ok: true, log };
  } catch (e) {
    if (e?.timedOut) stuck = job.name;
    return { ok: false, message: explain(e, source), log };
  } finally {
    limit.clear();
  }
}

const started = Date.now();
if (pngDir) await mkdir(pngDir, { recursive: true });
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});

let rendered = 0;
let failed = 0;
let refused = 0;
const indent = (s) => s.replace(/\n/g, '\n     ');
try {
  // Broken-on-purpose diagrams first, then the rest; JOBS pages at a time, printed in order.
  const results = new Array(jobs.length);
  let next = 0;
  let printed = 0;
  const print = () => {
    while (printed < jobs.length && results[printed]) {
      const job = jobs[printed];
      const r = results[printed++];
      if (job.mustFail && !r.ok) {
        refused++;
        console.log(`ok   ${job.name} (broken on purpose, refused: ${r.message.split('\n').slice(0, 2).join(' ').replace(/\s+/g, ' ')})`);
      } else if (job.mustFail) {
        failed++;
        console.log(`FAIL ${job.name}: broken on purpose, yet it rendered: this check cannot see a broken diagram`);
      } else if (r.ok) {
        rendered++;
        console.log(`ok   ${job.name}`);
      } else {
        failed++;
        console.log(`FAIL ${job.name}: ${indent(r.message)}`);
      }
      if ((verbose || (!r.ok && !job.mustFail)) && r.log.length) console.log(`     ${indent(r.log.join('\n'))}`);
    }
  };
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      // The self-test runs before anything else is rendered.
      if (!jobs[i].mustFail) while (jobs.slice(0, i).some((j, k) => j.mustFail && !results[k])) await new Promise((r) => setTimeout(r, 10));
      results[i] = await render(browser, jobs[i]);
      print();
    }
  };
  await Promise.all(Array.from({ length: Math.min(JOBS, jobs.length) }, worker));
} finally {
  await browser.close();
}

if (!jobs.some((j) => !j.mustFail)) {
  failed++;
  console.log('FAIL nothing to render');
}
if (broken.length) console.log(`self-test: ${refused} broken diagram${refused === 1 ? '' : 's'} refused as expected`);
if (pngDir) console.log(`PNGs in ${rel(pngDir)}`);
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`diagrams: ${rendered} rendered, ${failed} failed`);
process.exit(failed ? 1 : 0);
