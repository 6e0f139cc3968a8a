// Node client for vtl/apigw.py --serve: renders API Gateway mapping templates with airspeed-ext
// from Node (one long-lived Python process, JSON lines over stdin/stdout).
//
//   const vtl = new VtlRenderer();
//   const r = await vtl.render({ template, body, context, stageVariables, missingJson });
//   // r = { ok: true, output, warnings } | { ok: false, kind, error }
//   vtl.close();

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..', '..');
export const PYTHON = process.env.ENGINES_PYTHON ?? path.join(REPO_ROOT, '.tools', 'venv', 'bin', 'python');

export class VtlRenderer {
  constructor(python = PYTHON) {
    this.proc = spawn(python, [path.join(here, 'apigw.py'), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.queue = [];
    this.buf = '';
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk) => {
      this.buf += chunk;
      let nl;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        const waiter = this.queue.shift();
        if (waiter) waiter.resolve(JSON.parse(line));
      }
    });
    this.proc.on('exit', (code) => {
      for (const w of this.queue.splice(0)) w.reject(new Error(`apigw.py exited with ${code}`));
    });
  }

  render(req) {
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.proc.stdin.write(JSON.stringify(req) + '\n');
    });
  }

  close() {
    this.proc.stdin.end();
  }
}
