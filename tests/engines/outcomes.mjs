// What the delivery tests read back from a stack (stack.mjs) after events went through it: who
// received what, the executions' outcomes, the records of undelivered work and their replays.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './vtl/render.mjs';
import { j } from './stack.mjs';

/** The builds to test: ENGINES_BUILDS (space-separated folders), else every target/engines/<stem>. */
export function buildsUnderTest() {
  const engines = path.join(REPO_ROOT, 'target/engines');
  return process.env.ENGINES_BUILDS?.split(/\s+/).filter(Boolean) ?? (fs.existsSync(engines) ? fs.readdirSync(engines).map((d) => path.join(engines, d)).filter((d) => fs.existsSync(path.join(d, 'template.yaml'))) : []);
}

/** How many times each connection received an event with this id. */
export function receipts(s, eventId) {
  const counts = new Map();
  for (const d of s.world.deliveries) {
    let msg;
    try {
      msg = JSON.parse(d.data);
    } catch {
      continue;
    }
    if (msg?.event?.id === eventId) counts.set(d.connectionId, (counts.get(d.connectionId) ?? 0) + 1);
  }
  return counts;
}

/** Asserts every id got the event exactly once (`except` got it never). */
export function exactlyOnce(s, eventId, ids, except = []) {
  const counts = receipts(s, eventId);
  const wrong = ids.filter((id) => (counts.get(id) ?? 0) !== (except.includes(id) ? 0 : 1));
  assert(wrong.length === 0, `${wrong.length} of ${ids.length} subscribers wrong (e.g. ${wrong.slice(0, 3).map((id) => `${id}: ${counts.get(id) ?? 0}`).join(', ')})`);
}

/** Every execution ended well, and none outgrew the 256 KiB payload. */
export function allSucceeded(s) {
  const bad = s.world.executions.filter((x) => x.status !== 'SUCCEEDED');
  assert(bad.length === 0, bad.slice(0, 3).map((x) => `${x.machine}: ${x.status} ${x.error?.Error}: ${x.error?.Cause?.slice(0, 200)}`).join(' | '));
}

/** Replays a record: starts the execution it names with its input, and waits for everything. */
export async function replay(s, record) {
  assert(record.replay, `record without replay: ${j(record)}`);
  const x = s.world.start(record.replay.stateMachineArn, record.replay.input, { who: 'operator replay' });
  await s.world.settle();
  return x;
}

export const records = (s) => s.world.messages('UndeliveredQueue');
