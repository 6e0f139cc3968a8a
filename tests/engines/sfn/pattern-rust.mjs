// EventBridge matching for the emulated `testEventPattern`, delegated to the project's own
// Rust matcher (src/pattern, checked against EventBridge's recorded conformance cases)
// through `lambdaless-gen test-pattern`: exit 0 match, 1 no match, 2 invalid pattern/event.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { InvalidEventPattern } from './pattern-standin.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const rustBinary = path.join(root, 'target/release/lambdaless-gen');

export const rustMatcher = {
  name: 'rust (lambdaless-gen test-pattern)',
  testEventPattern(patternText, eventText) {
    try {
      execFileSync(rustBinary, ['test-pattern', '--quiet', '--pattern', patternText, '--event', '-'], {
        input: eventText,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      return true;
    } catch (e) {
      if (e.status === 1) return false;
      if (e.status === 2) throw new InvalidEventPattern(String(e.stderr || 'invalid pattern').trim());
      throw e;
    }
  },
};

/** The Rust matcher when the release binary exists, else the documented JS stand-in. */
export function defaultMatcher(standin) {
  return existsSync(rustBinary) ? rustMatcher : standin;
}
