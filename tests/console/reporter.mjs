// node:test reporter for tests/console/run: "ok   name" per passed test, "FAIL name: reason" per
// failed one (with the stack when CONSOLE_VERBOSE=1), the tests' own output, and last
// "console: N passed, M failed".
const verbose = process.env.CONSOLE_VERBOSE === '1';

export default async function* report(source) {
  let passed = 0;
  let failed = 0;
  let lastReason = null; // a failed `before` fails every test with the same reason: say it once
  for await (const { type, data } of source) {
    if (type === 'test:stdout' || type === 'test:stderr') yield data.message;
    else if (type === 'test:diagnostic' && data.nesting === 0 && /^(duration_ms|tests|suites|pass|fail|cancelled|skipped|todo) /.test(data.message)) continue;
    else if (type === 'test:diagnostic') yield `note ${data.message}\n`;
    else if (type !== 'test:pass' && type !== 'test:fail') continue;
    else if (data.todo !== undefined) { // a known gap: reported, not counted
      const cause = data.details?.error?.cause ?? data.details?.error;
      yield `todo ${data.name} (${data.todo}): ${type === 'test:pass' ? 'passes now: drop the todo' : `still fails: ${String(cause?.message ?? cause).split('\n')[0]}`}\n`;
    }
    else if (data.details?.type === 'suite' && type === 'test:pass') continue;
    else if (type === 'test:pass') {
      passed++;
      yield `ok   ${data.name} (${Math.round(data.details?.duration_ms ?? 0)} ms)\n`;
    } else {
      const e = data.details?.error;
      if (data.details?.type === 'suite' && e?.failureType === 'subtestsFailed') continue;
      failed++;
      const cause = e?.cause ?? e;
      const reason = `${cause?.message ?? cause}${verbose && cause?.stack ? `\n${cause.stack}` : ''}`;
      yield `FAIL ${data.name}: ${reason === lastReason ? '(the same)' : reason}\n`;
      lastReason = reason;
    }
  }
  yield `console: ${passed} passed, ${failed} failed\n`;
}
