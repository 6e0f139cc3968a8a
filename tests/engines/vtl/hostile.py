"""Renders every generated mapping template with hostile client messages (airspeed-ext + apigw.py).

Usage: python hostile.py MODEL_JSON...   (model.json files written by `node model.mjs OUT_DIR`)

For every route's request template and every hostile body, under both interpretations of a missing
$input.json path ("" and "null", see apigw.py), it checks that:
  * the template renders (a body that is not JSON may be refused: API Gateway fails the request);
  * no Velocity method-resolution failure happens (apigw.py warnings);
  * the rendered request is strict JSON without duplicate keys;
  * StartExecution requests: stateMachineArn is the stage variable's machine, `input` is a string
    holding a JSON object (<= 256 KB, or the request is refused by Step Functions by design);
  * PutEvents requests: 1..10 Entries with Source/DetailType/EventBusName and a Detail string
    holding a JSON object;
  * what the client sent round-trips: every field the template reads ($input.json/$input.path)
    is found in the input/Detail either as the same JSON value or base64 of its JSON text;
    `$input.body` likewise for the whole message.
Response templates are rendered with representative service responses and must give strict JSON.
Prints FAIL lines, one summary line per route, and last "hostile: N passed, M failed".
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import airspeed  # noqa: E402

import apigw  # noqa: E402

SFN_INPUT_LIMIT = 256 * 1024
EVENT_ENTRY_LIMIT = 256 * 1024
CONNECTION_ID = "L0SM9cOFvHcCIhw="

HOSTILE_STRINGS = {
    "double-quotes": 'he said "hi" ""',
    "backslashes": "C:\\path\\to\\file \\\\ \\n \\u0041 \\",
    "single-quotes": "it's O'Brien's ''",
    "script-tag": "</script><script>alert(1)</script>",
    "control-chars": "\x00\x01\x07\b\t\n\x0b\f\r\x1b\x1f\x7f",
    "non-bmp": "😀🚀𝄞 👩‍👩‍👧",
    "non-ascii": "café Ünïcödé 日本語 עברית \u2028\u2029 \ufeff",
    "velocity-syntax": "$context.connectionId #set($x = 1) ${util} ## not a comment",
    "json-injection": '","stateMachineArn":"arn:aws:states:us-east-1:999999999999:stateMachine:evil","x":"',
    "empty-string": "",
}


JSON_NULL = object()  # marker: the field is present and holds JSON null


def hostile_values():
    """(label, value) pairs for one message field; None value means the field is missing."""
    out = [("missing", None)]
    for name, s in HOSTILE_STRINGS.items():
        out.append((f"string/{name}", s))
        out.append((f"list/{name}", [s, "ok"]))
        out.append((f"pattern/{name}", {"detail": {"msg": [s], name: [{"prefix": s}]}}))
    out += [
        ("wrong-type/number", 42),
        ("wrong-type/float", -1.5e300),
        ("wrong-type/true", True),
        ("wrong-type/null", JSON_NULL),
        ("wrong-type/nested", {"a": {"b": [1, "x", None, {"c": False}]}}),
        ("wrong-type/empty-object", {}),
        ("wrong-type/empty-list", []),
        ("big/120KB", {"detail": {"blob": ["x" * (120 * 1024)]}}),
        ("big/120KB-non-ascii", {"detail": {"blob": ["é😀" * (20 * 1024)]}}),
    ]
    # (label, value, present-with-JSON-null)
    return [(label, (None if v is JSON_NULL else v), v is JSON_NULL) for label, v in out]


class DupKey(ValueError):
    pass


def strict_loads(text):
    def pairs(items):
        d = {}
        for k, v in items:
            if k in d:
                raise DupKey(f"duplicate key {k!r}")
            d[k] = v
        return d

    def bad_constant(c):
        raise ValueError(f"non-JSON constant {c}")

    return json.loads(text, object_pairs_hook=pairs, parse_constant=bad_constant)


def fields_read(template: str):
    fields = set(re.findall(r"\$!?\{?input\.(?:json|path)\(\s*(['\"])\$\.([A-Za-z0-9_-]+)\1\s*\)", template))
    return sorted({f for _, f in fields}), re.search(r"\$!?\{?input\.body", template) is not None


def representations(doc):
    """All JSON subtrees and, for strings, their base64-decoded JSON values."""
    stack = [doc]
    while stack:
        v = stack.pop()
        yield v
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str) and v:
            try:
                raw = base64.b64decode(v, validate=True)
                text = raw.decode("utf-8")
            except (binascii.Error, ValueError):
                continue
            yield ("base64-text", text)
            try:
                yield json.loads(text)
            except ValueError:
                pass


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def round_trips(value, doc):
    return any(same(value, r) or (isinstance(r, tuple) and r[1] == value) for r in representations(doc))


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def result(self, ok, name, reason=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {name}: {reason}")
        return ok


def render(template, body, route, model, missing_json, event_type="MESSAGE"):
    ctx = {
        "connectionId": CONNECTION_ID,
        "routeKey": route["routeKey"],
        "eventType": event_type,
        "stage": (model.get("api") or {}).get("stage") or "dev",
        "apiId": (model.get("api") or {}).get("id") or "a1b2c3d4e5",
    }
    return apigw.render_ex(template, body, ctx, model.get("stageVariables") or {}, missing_json)


def check_request(route, model, label, body_text, sent, field_values, reads_body):
    """Returns (ok, reason, note)."""
    integ = route.get("integration") or {}
    action = integ.get("action")
    notes = []
    for missing_json in ("", "null"):
        mode = f"missing-json={missing_json or 'empty'}"
        try:
            out, warnings = render(route["requestTemplate"], body_text, route, model, missing_json)
        except Exception as e:  # noqa: BLE001
            cause = e.__cause__ if isinstance(e, airspeed.TemplateExecutionError) and e.__cause__ else e
            if isinstance(cause, apigw.InvalidJsonBody) and sent is None:
                notes.append("refused: body is not JSON")
                continue
            return False, f"[{mode}] render error {type(cause).__name__}: {str(cause)[:300]}", None
        if warnings:
            return False, f"[{mode}] {warnings[0]}", None
        try:
            doc = strict_loads(out)
        except ValueError as e:
            at = getattr(e, "pos", None)
            snippet = out[max(0, (at or 0) - 60): (at or 0) + 40] if at is not None else out[:120]
            return False, f"[{mode}] rendered request is not valid JSON ({e}); near: {snippet!r}", None
        if action == "StartExecution":
            arns = set((model.get("stageVariables") or {}).values())
            if doc.get("stateMachineArn") not in arns:
                return False, f"[{mode}] stateMachineArn {doc.get('stateMachineArn')!r} is not a stage variable's machine", None
            inp = doc.get("input")
            if not isinstance(inp, str):
                return False, f"[{mode}] StartExecution input is not a string: {type(inp).__name__}", None
            if len(inp.encode("utf-8", "surrogatepass")) > SFN_INPUT_LIMIT:
                notes.append("refused: input over 256 KB (StartExecution rejects it)")
                continue
            try:
                payload = strict_loads(inp)
            except ValueError as e:
                return False, f"[{mode}] StartExecution input is not JSON ({e}): {inp[:200]!r}", None
            if not isinstance(payload, dict):
                return False, f"[{mode}] StartExecution input is not a JSON object", None
            target = payload
        elif action == "PutEvents":
            entries = doc.get("Entries")
            if not isinstance(entries, list) or not 1 <= len(entries) <= 10:
                return False, f"[{mode}] PutEvents Entries must be a list of 1..10", None
            target = []
            for e in entries:
                for f in ("Source", "DetailType", "EventBusName", "Detail"):
                    if not isinstance(e.get(f), str) or not e.get(f):
                        return False, f"[{mode}] PutEvents entry {f} missing or not a non-empty string", None
                if len(e["Detail"].encode("utf-8", "surrogatepass")) > EVENT_ENTRY_LIMIT:
                    notes.append("refused: Detail over 256 KB (PutEvents rejects the entry)")
                    continue
                try:
                    detail = strict_loads(e["Detail"])
                except ValueError as ex:
                    return False, f"[{mode}] PutEvents Detail is not JSON ({ex}): {e['Detail'][:200]!r}", None
                if not isinstance(detail, dict):
                    return False, f"[{mode}] PutEvents Detail is not a JSON object", None
                target.append(detail)
        else:
            target = doc
        for field, (present, value) in field_values.items():
            # JSON null carries no value: a template may treat it as "missing" (refused by design)
            if present and value is not None and not round_trips(value, target):
                return False, f"[{mode}] field `{field}` = {json.dumps(value)[:80]} does not round-trip into the request", None
        if reads_body and body_text and not round_trips(body_text, target) and not round_trips(sent, target):
            return False, f"[{mode}] $input.body does not round-trip", None
    return True, "", "; ".join(sorted(set(notes))) or None


RESPONSES = {
    "PutEvents": [
        ("success", {"Entries": [{"EventId": "11710aed-b79e-4468-a20b-bb3c0c3b4860"}], "FailedEntryCount": 0}, True),
        ("failed-entry", {"Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "it's \"bad\""}], "FailedEntryCount": 1}, False),
        ("service-error", {"__type": "ValidationException", "message": "Detail is malformed"}, False),
    ],
    "StartExecution": [
        ("success", {"executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e", "startDate": 1.7e9}, True),
        ("service-error", {"__type": "InvalidExecutionInput", "message": "bad"}, False),
    ],
}


def check_response(route, model, ck, name):
    action = (route.get("integration") or {}).get("action")
    for label, resp, success in RESPONSES.get(action, [("generic", {"ok": True}, True)]):
        for missing_json in ("", "null"):
            test = f"{name} response/{label} [missing-json={missing_json or 'empty'}]"
            try:
                out, warnings = render(route["responseTemplate"], json.dumps(resp), route, model, missing_json)
                doc = strict_loads(out)
            except Exception as e:  # noqa: BLE001
                ck.result(False, test, f"{type(e).__name__}: {str(e)[:200]}")
                continue
            if warnings:
                ck.result(False, test, warnings[0])
                continue
            if isinstance(doc, dict) and "ok" in doc and doc["ok"] is not success:
                ck.result(False, test, f"reply says ok={doc['ok']} for a {label} response")
                continue
            ck.result(True, test)


def main(argv):
    ck = Checker()
    for model_path in argv:
        with open(model_path, encoding="utf-8") as f:
            model = json.load(f)
        spec = model.get("name") or os.path.basename(os.path.dirname(model_path))
        rse = ((model.get("api") or {}).get("routeSelectionExpression") or "$request.body.action")
        m = re.match(r"^\$request\.body\.([A-Za-z0-9_-]+)$", rse)
        selector = m.group(1) if m else None
        for route in model.get("routes", []):
            name = f"{spec} {route['routeKey']}"
            if not route.get("requestTemplate"):
                continue
            fields, reads_body = fields_read(route["requestTemplate"])
            before = (ck.passed, ck.failed)
            notes = set()
            base = {}
            if selector and not route["routeKey"].startswith("$"):
                base[selector] = route["routeKey"]
            cases = []
            for label, value, present_null in hostile_values():
                for field in fields or ["message"]:
                    body = dict(base)
                    present = value is not None or present_null
                    if present:
                        body[field] = value
                    fv = {f: (f == field and present, value if f == field else None) for f in fields}
                    cases.append((f"{field}={label}", json.dumps(body, ensure_ascii=False), body, fv))
            if route["routeKey"] in ("$connect", "$disconnect"):
                cases = [("no-body", "", {}, {f: (False, None) for f in fields})] + cases[:6]
            if route["routeKey"] == "$default" or not selector:
                cases.append(("not-json", "this is {not json", None, {f: (False, None) for f in fields}))
                cases.append(("json-string", json.dumps("just a string"), "just a string", {f: (False, None) for f in fields}))
                cases.append(("json-array", json.dumps([1, 2]), [1, 2], {f: (False, None) for f in fields}))
            for label, text, sent, fv in cases:
                ok, reason, note = check_request(route, model, label, text, sent, fv, reads_body)
                ck.result(ok, f"{name} request/{label}", reason)
                if note:
                    notes.add(f"{label}: {note}")
            if route.get("responseTemplate"):
                check_response(route, model, ck, name)
            p, fl = ck.passed - before[0], ck.failed - before[1]
            extra = f" (reads {', '.join(fields) or 'no message field'}{', $input.body' if reads_body else ''})"
            print(f"{'ok  ' if not fl else 'FAIL'} hostile {name}: {p} passed, {fl} failed{extra}")
            for n in sorted(notes)[:5]:
                print(f"       note {n}")
    print(f"hostile: {ck.passed} passed, {ck.failed} failed")
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
