// Fault injection into any state of a running execution (not only Task calls, which AwsWorld.fail
// covers): engine.mjs patches aws-local-stepfunctions to call `beforeState` when a state starts,
// inside the state's own error handling, so a thrown error is the state's error, seen by its
// Retry and Catch as on AWS. Executions are found by their ARN ($$.Execution.Id), so concurrent
// worlds do not see each other's faults.
//
//   const stop = watch(executionArn, (stateName, stateType, input) => { if (...) throw error; });
//   ... stop() when the execution has ended

const watchers = new Map(); // execution ARN -> (stateName, stateType, input) => void (may throw)
const clocks = new Map(); // execution ARN -> () => virtual milliseconds

/** Calls `fn(stateName, stateType, input)` before each state of the execution `arn` runs. */
export function watch(arn, fn) {
  watchers.set(arn, fn);
  return () => watchers.delete(arn);
}

/** Called by the patched engine before a state runs. */
export function beforeState(stateName, stateDefinition, context, input) {
  const fn = watchers.get(context?.Execution?.Id);
  if (fn) fn(stateName, stateDefinition.Type, input);
}

/**
 * The execution's clock (virtual milliseconds): what `$$.Execution.StartTime` and
 * `$$.State.EnteredTime` read. Without one, the wall clock.
 */
export function clock(arn, now) {
  clocks.set(arn, now);
  return () => clocks.delete(arn);
}

/** `$$.State.EnteredTime` for a state of the execution `context` belongs to, now. */
export function enteredTime(context) {
  const now = clocks.get(context?.Execution?.Id);
  return new Date(now ? now() : Date.now()).toISOString();
}
