// Waiting in the dev executor (dev.mjs): on a condition, re-checked whenever something arrives
// (a trace record, a frame, a close, the server's exit), with a timeout that fails loudly.
//
//   await until(host, () => cond || null, 'what we wait for', timeoutMs?)
// `host` has `waiters` (a Set the host calls on every arrival: its `kick()`), `records` and
// `stderr` (quoted when the wait times out) and `exited` (the server died: fail at once).

import { Mismatch, j } from './check.mjs';

export const TIMEOUT = Number(process.env.CORPUS_TIMEOUT_MS ?? 10000);

/** A pause between retries of a throttled request (back-off), never a synchronisation. */
export const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `ready()` is true (re-checked on every `kick`), or rejects after TIMEOUT ms. */
export function until(host, ready, what, timeout = TIMEOUT) {
  return new Promise((resolve, reject) => {
    const check = () => {
      let v;
      try {
        v = ready();
      } catch (e) {
        return finish(() => reject(e));
      }
      if (v) finish(() => resolve(v));
      else if (host.exited) finish(() => reject(new Mismatch(`the server exited (${j(host.exited)}) while the executor waited for ${what}: ${host.stderr.slice(-600)}`)));
    };
    const timer = setTimeout(() => finish(() => reject(new Mismatch(`timed out after ${timeout} ms waiting for ${what}; last trace records: ${j(host.records.slice(-6), 900)}${host.stderr ? `; server stderr: ${host.stderr.slice(-400)}` : ''}`))), timeout);
    const finish = (f) => {
      clearTimeout(timer);
      host.waiters.delete(check);
      f();
    };
    host.waiters.add(check);
    check();
  });
}

