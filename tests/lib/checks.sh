# Sourced by the test runners (tests/engines/run): how a sub-suite's result is counted. Every
# check carries its own exit status; a log's summary line alone never makes a check pass.
#
#   one NAME STATUS LOGFILE     a single check: passes only when STATUS is 0
#   count STATUS LOGFILE        a sub-suite that prints "N passed, M failed" last: its N and M
#                               are added, and it fails as a whole (one more failure) when its
#                               exit STATUS is not 0 while the summary says nothing failed, or
#                               when there is no summary line at all
#   checks_total                prints "N passed, M failed"; returns 1 when anything failed
#
# Callers take the status right after the command, before anything else runs:
#   some command >"$log" 2>&1; status=$?; ...; count "$status" "$log"
# (`one NAME $? LOG` after a `$(...)` in NAME would pass the substitution's status instead).

passed=${passed:-0}
failed=${failed:-0}

_checks_tail() { tail -n 40 "$1" | sed 's/^/     /'; }

one() {
  if [[ "$#" != 3 || ! "$2" =~ ^[0-9]+$ ]]; then
    echo "FAIL one: called as one $*: expected NAME STATUS LOGFILE" >&2
    failed=$((failed + 1))
    return
  fi
  if [[ "$2" == 0 ]]; then
    passed=$((passed + 1))
    echo "ok   $1"
  else
    failed=$((failed + 1))
    echo "FAIL $1 (exit status $2)"
    _checks_tail "$3"
  fi
}

count() {
  if [[ "$#" != 2 || ! "$1" =~ ^[0-9]+$ ]]; then
    echo "FAIL count: called as count $*: expected STATUS LOGFILE" >&2
    failed=$((failed + 1))
    return
  fi
  local status="$1" log="$2" line n m
  line="$(grep -E '[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)"
  if [[ -z "$line" ]]; then
    failed=$((failed + 1))
    echo "FAIL $(basename "$log" .log): no summary line (exit status $status; crashed?)"
    _checks_tail "$log"
    return
  fi
  n="$(sed -E 's/^(.* )?([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$line")"
  m="$(sed -E 's/^(.* )?([0-9]+) passed, ([0-9]+) failed$/\3/' <<<"$line")"
  passed=$((passed + n))
  failed=$((failed + m))
  if [[ "$status" != 0 && "$m" == 0 ]]; then
    failed=$((failed + 1))
    echo "FAIL $(basename "$log" .log): exit status $status although its summary says \"$line\""
    _checks_tail "$log"
  fi
}

checks_total() {
  echo "$passed passed, $failed failed"
  [[ "$failed" == 0 ]]
}
