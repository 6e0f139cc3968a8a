"""Emulation of the Amazon API Gateway (WebSocket API) mapping-template environment on top of
airspeed-ext (LocalStack's Velocity engine for Python, pinned in ../requirements.txt).

API Gateway renders integration request/response templates with Apache Velocity 1.7 (Java).
airspeed is a Python re-implementation, so this module supplies what API Gateway adds
(`$input`, `$util`, `$context`, `$stageVariables`) and patches the places where Python semantics
would differ from Java semantics in ways that matter for the generated templates. It emulates
what the generated templates use; any other `$input.x` / `$util.x` raises NotEmulated (the render
fails) instead of rendering nothing.

Public API
----------
render(template_text, body, context=None, stage_variables=None, missing_json=None) -> str
render_ex(...) -> (str, warnings)       # warnings: list of strings (e.g. Velocity method mismatch)
escape_javascript(s), utf16_len(s)
Command line: `python apigw.py --serve` reads JSON lines {"template", "body", "context",
"stageVariables", "missingJson"} on stdin and answers one JSON line each:
{"ok": true, "output": str, "warnings": [...]} or {"ok": false, "error": str, "kind": str}.

Emulated behaviour and documented choices (see also the self-tests in selftest/)
------------------------------------------------------------------------------
$input.body        The raw message text, unchanged (WebSocket frame payload).
$input.json(p)     JSON text of the selection of a definite JSONPath ($, .name, ['name'], [n]);
                   compact, non-ASCII kept raw (API Gateway's exact spacing/escaping of this text
                   is not documented - any valid JSON is the contract). A string selection gives a
                   quoted JSON string.
                   MISSING PATH: API Gateway's documentation does not say; community reports
                   describe an empty string (so `"k": $input.json('$.missing')` renders `"k": ,`).
                   Default here: "" (MISSING_JSON). Because this is uncertain, callers that check
                   generated templates should render under both "" and "null"
                   (`missing_json="null"`); a template is robust only if both give valid output.
                   If the body is not JSON, $input.json raises InvalidJsonBody (API Gateway fails
                   the integration request; the client gets an error, nothing runs).
$util.escapeJavaScript(s)
                   Java commons-lang StringEscapeUtils.escapeJavaScript, applied per UTF-16 code
                   unit: " -> \\"   \\ -> \\\\   ' -> \\'  (API Gateway's well-known quirk: \\' is NOT a
                   valid JSON escape)   / -> \\/   \\b \\f \\n \\r \\t;  other code units < 0x20 and
                   every code unit > 0x7F -> \\uXXXX (upper-case hex; non-BMP characters become a
                   surrogate pair \\uD83D\\uDE00).  0x7F (DEL) is left as is, as in commons-lang 2.6
                   and 3.x.
$util.base64Encode standard Base64 over UTF-8 bytes.
Type mismatch      Velocity 1.7 does not convert arguments: calling a String-taking $util method
                   with a number/boolean/map/list finds no method and Velocity renders the reference
                   text literally (`$util.escapeJavaScript(...)`). We emulate that (airspeed's
                   REPLACE_FORMAL_TEXT) and add a warning. A null argument gives null -> empty text.
$context           WebSocket request context: connectionId, routeKey, eventType, requestId,
                   extendedRequestId, messageId, messageDirection, stage, apiId, domainName,
                   connectedAt (int ms), requestTimeEpoch (int ms), requestTime, identity.sourceIp,
                   identity.userAgent, plus anything the caller passes (caller wins).
$stageVariables    the dict given by the caller.
Java semantics patched into airspeed:
  * String.length() counts UTF-16 code units (Python counts code points); String.replaceAll(regex,
    replacement) with $1 group references (Java regex approximated by Python `re`).
  * Arithmetic: int / int truncates toward zero, x / 0 is null (Java / Velocity); airspeed used
    Python floor division.
Kept from airspeed on purpose (LocalStack recorded these against real API Gateway):
  * `#if($ref)` is TRUE when $ref is undefined or null (API Gateway renders missing references as ""
    and Velocity 1.7 treats "" as true). Compare with "" (`#if("$!x" != "")`) to test presence.
  * `#set($x = <null>)` assigns null (Velocity 1.7 would keep the old value; unobservable unless a
    template re-uses a variable inside #foreach).
Known deviations: other java.lang.String methods run with Python semantics; number formatting of
doubles follows Python (1e+20 vs Java 1.0E20); no 10 MB/128 KB payload limits.
"""

from __future__ import annotations

import base64
import json
import re
import sys

import airspeed
import airspeed.operators as _ops

MISSING_JSON = ""  # what $input.json(path) renders for a path that selects nothing (see above)


class InvalidJsonBody(Exception):
    """$input.json on a body that is not JSON (API Gateway fails the request)."""


class NotEmulated(Exception):
    """A part of the mapping-template environment the generated templates do not use."""


class _Strict:
    """Unknown attributes raise NotEmulated (airspeed would render them as empty text)."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotEmulated(f"${type(self).__name__.lower()}.{name} is not emulated by tests/engines/vtl/apigw.py")


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


# --------------------------------------------------------------------------- $input, $util

_STEP = re.compile(r"""\.(?P<name>[A-Za-z0-9_$@-]+)|\[\s*(?P<idx>-?\d+)\s*\]|\[\s*'(?P<sq>(?:[^'\\]|\\.)*)'\s*\]|\[\s*"(?P<dq>(?:[^"\\]|\\.)*)"\s*\]""")
_MISSING = object()


def jsonpath(doc, path: str):
    """The selection of a definite JSONPath, or _MISSING when it selects nothing."""
    path = path.strip()
    if not path.startswith("$"):
        raise ValueError(f"JSONPath must start with $: {path!r}")
    pos, v = 1, doc
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m:
            raise NotEmulated(f"JSONPath {path!r}: only definite paths ($, .name, ['name'], [n]) are emulated")
        pos = m.end()
        if m.group("idx") is not None:
            i = int(m.group("idx"))
            v = v[i] if isinstance(v, list) and -len(v) <= i < len(v) else _MISSING
        else:
            key = m.group("name") or (m.group("sq") or "").replace("\\'", "'") or (m.group("dq") or "").replace('\\"', '"')
            v = v[key] if isinstance(v, dict) and key in v else _MISSING
        if v is _MISSING:
            return v
    return v


class Input(_Strict):
    def __init__(self, body: str, missing_json: str):
        self.body = body if body is not None else ""
        self._missing_json = missing_json

    def json(self, p="$"):
        if self.body.strip() == "":
            r = _MISSING
        else:
            try:
                doc = json.loads(self.body)
            except ValueError as e:
                raise InvalidJsonBody(f"request body is not JSON: {e}") from None
            r = jsonpath(doc, str(p))
        return self._missing_json if r is _MISSING else json.dumps(r, separators=(",", ":"), ensure_ascii=False)


def escape_javascript(s: str) -> str:
    out = []
    u = s.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(u), 2):
        ch = u[i] | (u[i + 1] << 8)
        if ch > 0x7F:
            out.append("\\u%04X" % ch)
        elif ch < 0x20:
            out.append({0x08: "\\b", 0x0A: "\\n", 0x09: "\\t", 0x0C: "\\f", 0x0D: "\\r"}.get(ch, "\\u%04X" % ch))
        else:
            c = chr(ch)
            out.append({"'": "\\'", '"': '\\"', "\\": "\\\\", "/": "\\/"}.get(c, c))
    return "".join(out)


class Util(_Strict):
    def __init__(self, warnings: list):
        self._warnings = warnings

    def _string_arg(self, method: str, s):
        if s is None or isinstance(s, str):
            return s
        self._warnings.append(
            f"$util.{method} called with a {type(s).__name__} ({str(s)[:60]}); Velocity 1.7 finds "
            f"no method and renders the reference text literally"
        )
        return _ops.REPLACE_FORMAL_TEXT

    def escapeJavaScript(self, s=None):
        s = self._string_arg("escapeJavaScript", s)
        return s if s is None or s == _ops.REPLACE_FORMAL_TEXT else escape_javascript(s)

    def base64Encode(self, s=None):
        s = self._string_arg("base64Encode", s)
        return s if s is None or s == _ops.REPLACE_FORMAL_TEXT else base64.b64encode(s.encode("utf-8", "replace")).decode("ascii")


# --------------------------------------------------------------------------- airspeed patches


def _java_replace_all(s, regex, repl):
    return re.sub(regex, re.sub(r"\$(\d+)", r"\\g<\1>", repl), s)


_ops.__additional_methods__[str].update({"length": utf16_len, "replaceAll": _java_replace_all})


def _java_div(a, b):
    # Velocity: integer operands -> integer division truncating toward zero; division by zero -> null
    if b == 0:
        return None
    if all(isinstance(x, int) and not isinstance(x, bool) for x in (a, b)):
        q = abs(a) // abs(b)
        return q if (a >= 0) == (b > 0) else -q
    return a / b


_ops.BinaryOperator.OPERATORS["/"] = _java_div


# --------------------------------------------------------------------------- render

DEFAULT_CONTEXT = {
    "connectionId": "L0SM9cOFvHcCIhw=",
    "routeKey": "$default",
    "eventType": "MESSAGE",
    "requestId": "L0SM9cOFvHcCIhw-req",
    "extendedRequestId": "L0SM9cOFvHcCIhw-ext",
    "messageId": "L0SM9cOFvHcCIhw-msg",
    "messageDirection": "IN",
    "stage": "prod",
    "apiId": "abcdef1234",
    "domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
    "connectedAt": 1700000000000,
    "requestTimeEpoch": 1700000001234,
    "requestTime": "14/Nov/2023:22:13:21 +0000",
    "identity": {"sourceIp": "192.0.2.10", "userAgent": "test-client/1.0"},
}


def render_ex(template_text, body, context=None, stage_variables=None, missing_json=None):
    warnings: list[str] = []
    namespace = {
        "input": Input(body, MISSING_JSON if missing_json is None else missing_json),
        "util": Util(warnings),
        "context": {**DEFAULT_CONTEXT, **(context or {})},
        "stageVariables": dict(stage_variables or {}),
    }
    return airspeed.Template(template_text).merge(namespace), warnings


def render(template_text, body, context=None, stage_variables=None, missing_json=None) -> str:
    return render_ex(template_text, body, context, stage_variables, missing_json)[0]


def _serve():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            out, warnings = render_ex(req["template"], req.get("body", ""), req.get("context"), req.get("stageVariables"), req.get("missingJson"))
            resp = {"ok": True, "output": out, "warnings": warnings}
        except Exception as e:  # noqa: BLE001 - reported to the caller
            cause = e.__cause__ if isinstance(e, airspeed.TemplateExecutionError) and e.__cause__ else e
            resp = {"ok": False, "kind": type(cause).__name__, "error": str(e)}
        sys.stdout.write(json.dumps(resp) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        _serve()
    else:
        sys.exit("usage: apigw.py --serve   (JSON lines on stdin)")
