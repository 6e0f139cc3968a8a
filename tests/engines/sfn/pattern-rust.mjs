// EventBridge pattern matching (TestEventPattern, rules) for the engine tests: the project's own
// Rust matcher (src/pattern/, checked against EventBridge's recorded conformance cases by cargo test)
// through `target/release/lambdaless-gen test-pattern`: exit 0 match, 1 no match, 2 invalid.
// tests/engines/run builds the release binary first; there is no fallback.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const rustBinary = fileURLToPath(new URL('../../../target/release/lambdaless-gen', import.meta.url));

export class InvalidEventPattern extends Error {
  constructor(reason) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = 'InvalidEventPatternException';
  }
}

/** true / false, or throws InvalidEventPattern. */
export function testEventPattern(patternText, eventText) {
  if (!existsSync(rustBinary)) throw new Error(`${rustBinary} is missing: build it with cargo build --release --locked (tests/engines/run does)`);
  // TestEventPattern takes JSON only; `test-pattern --pattern` also reads YAML.
  try {
    JSON.parse(patternText);
  } catch (e) {
    throw new InvalidEventPattern(`invalid pattern JSON: ${e.message}`);
  }
  try {
    execFileSync(rustBinary, ['test-pattern', '--quiet', '--pattern', patternText, '--event', '-'], { input: eventText, stdio: ['pipe', 'ignore', 'pipe'] });
    return true;
  } catch (e) {
    if (e.status === 1) return false;
    if (e.status === 2) throw new InvalidEventPattern(String(e.stderr).replace(/^error: /, '').split('\n')[0]);
    throw e;
  }
}
