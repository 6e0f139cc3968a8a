// node:test reporter for tests/engines/run: "FAIL name: reason" per failed test, "skip name: reason",
// the tests' "note ..." diagnostics and output, "ok   name" per passed test with ENGINES_VERBOSE=1,
// and last "N passed, M failed" (tests, not suites; a suite that fails by itself counts as one).
//   node --test --test-reporter=./tests/engines/reporter.mjs FILES...
const verbose = process.env.ENGINES_VERBOSE === '1';

export default async function* report(source) {
  let passed = 0;
  let failed = 0;
  for await (const { type, data } of source) {
    if (type === 'test:diagnostic' && data.message.startsWith('note ')) yield `${data.message}\n`;
    else if (type === 'test:stdout' || type === 'test:stderr') yield data.message;
    else if (type !== 'test:pass' && type !== 'test:fail') continue;
    else if (data.skip !== undefined) yield `skip ${data.name}${typeof data.skip === 'string' ? `: ${data.skip}` : ''}\n`;
    else if (type === 'test:pass') {
      if (data.details?.type === 'suite') continue;
      passed++;
      if (verbose) yield `ok   ${data.name}\n`;
    } else {
      const e = data.details?.error;
      if (data.details?.type === 'suite' && e?.failureType === 'subtestsFailed') continue;
      failed++;
      const cause = e?.cause ?? e;
      yield `FAIL ${data.name}: ${cause?.message ?? cause}${verbose && cause?.stack ? `\n${cause.stack}` : ''}\n`;
    }
  }
  yield `node --test: ${passed} passed, ${failed} failed\n`;
}
