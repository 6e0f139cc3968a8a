"""Emulation of the Amazon API Gateway (WebSocket API) mapping-template environment on top of
airspeed-ext (LocalStack's Velocity engine for Python, pinned in ../requirements.txt).

API Gateway renders integration request/response templates with Apache Velocity 1.7 (Java).
airspeed is a Python re-implementation, so this module supplies what API Gateway adds
(`$input`, `$util`, `$context`, `$stageVariables`) and patches the few places where Python
semantics would differ from Java semantics in ways that matter for our templates.

Public API
----------
render(template_text, body, context=None, stage_variables=None, params=None, missing_json=None) -> str
render_ex(...) -> (str, warnings)       # warnings: list of strings (e.g. Velocity method mismatch)
escape_javascript(s), java_url_encode(s), java_url_decode(s), utf16_len(s)
Command line: `python apigw.py --serve` reads JSON lines {"template", "body", "context",
"stageVariables", "params", "missingJson"} on stdin and answers one JSON line each:
{"ok": true, "output": str, "warnings": [...]} or {"ok": false, "error": str, "kind": str}.

Emulated behaviour and documented choices (see also the self-tests in selftest/)
------------------------------------------------------------------------------
$input.body        The raw message text, unchanged (WebSocket frame payload).
$input.json(p)     JSON text of the JSONPath selection (compact, non-ASCII kept raw; API Gateway's
                   exact spacing/escaping of this text is not documented - any valid JSON is the
                   contract). A string selection gives a quoted JSON string.
                   MISSING PATH: API Gateway's documentation does not say; community reports
                   describe an empty string (so `"k": $input.json('$.missing')` renders `"k": ,`).
                   Default here: "" (MISSING_JSON). Because this is uncertain, callers that check
                   generated templates should render under both "" and "null"
                   (`missing_json="null"`); a template is robust only if both give valid output.
$input.path(p)     The parsed selection: dict (JavaMap), list (JsonList), str, int/float, bool, None.
                   Missing path -> None (renders as empty text: airspeed, like API Gateway, treats
                   unresolved references as quiet).  Indefinite paths ([*], .., .*) give a list.
                   If the body is not JSON, $input.path/$input.json raise InvalidJsonBody (API
                   Gateway fails the integration request; the client gets an error, nothing runs).
$input.params(n)   path, querystring, header maps searched in that order; missing -> "".
$util.escapeJavaScript(s)
                   Java commons-lang StringEscapeUtils.escapeJavaScript, applied per UTF-16 code
                   unit: " -> \\"   \\ -> \\\\   ' -> \\'  (API Gateway's well-known quirk: \\' is NOT a
                   valid JSON escape)   / -> \\/   \\b \\f \\n \\r \\t;  other code units < 0x20 and
                   every code unit > 0x7F -> \\uXXXX (upper-case hex; non-BMP characters become a
                   surrogate pair \\uD83D\\uDE00).  0x7F (DEL) is left as is, as in commons-lang 2.6
                   and 3.x (the brief said "> 0x7e"; both Java libraries use > 0x7f).
$util.urlEncode/urlDecode   java.net.URLEncoder/URLDecoder with UTF-8: unreserved a-zA-Z0-9 . - * _,
                   space <-> '+', everything else %XX of the UTF-8 bytes (upper-case hex).
$util.base64Encode/base64Decode   standard Base64 over UTF-8 bytes.
$util.parseJson(s) the parsed JSON value (JavaMap/JsonList/...); invalid JSON raises.
Type mismatch      Velocity 1.7 does not convert arguments: calling $util.escapeJavaScript (or the
                   other String-taking $util methods) with a number/boolean/map/list finds no method
                   and Velocity renders the reference text literally (`$util.escapeJavaScript(...)`).
                   We emulate that (airspeed's REPLACE_FORMAL_TEXT) and add a warning.
                   A null argument gives null -> empty text.
$context           WebSocket request context: connectionId, routeKey, eventType, requestId,
                   extendedRequestId, messageId, messageDirection, stage, apiId, domainName,
                   connectedAt (int ms), requestTimeEpoch (int ms), requestTime, identity.sourceIp,
                   identity.userAgent, plus anything the caller passes (caller wins).
$stageVariables    the dict given by the caller.
Java semantics patched into airspeed:
  * String.length()/substring()/indexOf()/lastIndexOf() count UTF-16 code units (Python counts code
    points), indexOf returns -1 when absent; more java.lang.String methods (isEmpty, equals,
    equalsIgnoreCase, trim, toLowerCase, toUpperCase, endsWith, replace, split, charAt, concat).
  * Map methods size/isEmpty/containsKey/get/keySet/values/remove; maps render as Java's
    {k=v, k2=v2}; JSON arrays from $input.path render as JSON text (LocalStack observed this on AWS).
Kept from airspeed on purpose (LocalStack recorded these against real API Gateway):
  * `#if($ref)` is TRUE when $ref is undefined or null (API Gateway renders missing references as ""
    and Velocity 1.7 treats "" as true). So `#if($input.path('$.x'))` does NOT test presence;
    compare with "" or use `$input.path('$.x').length()` / `#if("$!x" != "")` instead.
  * Arithmetic: int / int truncates toward zero, % takes the dividend's sign, x / 0 is null (Java /
    Velocity); airspeed used Python floor division.
  * `#set($x = <null>)` assigns null (Velocity 1.7 would keep the old value; unobservable unless a
    template re-uses a variable inside #foreach).
Known deviations: number formatting of doubles follows Python (1e+20 vs Java 1.0E20); Java regex
in replaceAll/matches/split is approximated by Python `re`; no 10 MB/128 KB payload limits; no
$context.authorizer unless the caller provides it.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from typing import Any

import airspeed
import airspeed.operators as _ops

MISSING_JSON = ""  # what $input.json(path) renders for a path that selects nothing (see above)


class InvalidJsonBody(Exception):
    """$input.path/$input.json on a body that is not JSON (API Gateway fails the request)."""


# --------------------------------------------------------------------------- UTF-16 helpers


def _u16(s: str) -> bytes:
    return s.encode("utf-16-le", "surrogatepass")


def _from_u16(b: bytes) -> str:
    return b.decode("utf-16-le", "surrogatepass")


def utf16_len(s: str) -> int:
    return len(_u16(s)) // 2


def _u16_index(s: str, sub: str, start: int = 0, last: bool = False) -> int:
    hay, needle = _u16(s), _u16(sub)
    pos = hay.rfind(needle) if last else hay.find(needle, start * 2)
    # keep searching for a code-unit-aligned hit
    while pos != -1 and pos % 2:
        pos = hay.rfind(needle, 0, pos) if last else hay.find(needle, pos + 1)
    return -1 if pos == -1 else pos // 2


def _substring(s: str, start: int, end: int | None = None) -> str:
    u = _u16(s)
    n = len(u) // 2
    if end is None:
        end = n
    if start < 0 or end > n or start > end:
        # Java throws StringIndexOutOfBoundsException; Velocity logs it and renders the reference
        return _ops.REPLACE_FORMAL_TEXT
    return _from_u16(u[start * 2 : end * 2])


# --------------------------------------------------------------------------- Java-like values


def java_str(v: Any) -> str:
    """String conversion the way a Java object's toString() would print inside Velocity."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (JavaMap, JsonList)):
        return str(v)
    if isinstance(v, dict):
        return str(JavaMap(v))
    if isinstance(v, list):
        return "[" + ", ".join(java_str(x) for x in v) + "]"
    return str(v)


class JavaMap(dict):
    """A JSON object as API Gateway hands it to Velocity: prints like java.util.Map {k=v}."""

    def __str__(self) -> str:
        return "{" + ", ".join(f"{k}={java_str(v)}" for k, v in self.items()) + "}"


class JsonList(list):
    """A JSON array from $input.path: prints as JSON text (observed API Gateway behaviour)."""

    def __str__(self) -> str:
        return json.dumps(to_plain(self), separators=(",", ":"), ensure_ascii=False)


def to_vtl(v: Any) -> Any:
    if isinstance(v, dict):
        return JavaMap((k, to_vtl(x)) for k, x in v.items())
    if isinstance(v, list):
        return JsonList(to_vtl(x) for x in v)
    return v


def to_plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: to_plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_plain(x) for x in v]
    return v


# --------------------------------------------------------------------------- JSONPath (subset)

_TOKEN = re.compile(
    r"""\.\.(?P<deep>[A-Za-z0-9_$@-]+|\*)"""
    r"""|\.(?P<name>[A-Za-z0-9_$@-]+|\*)"""
    r"""|\[\s*(?P<idx>-?\d+)\s*\]"""
    r"""|\[\s*\*\s*\]"""
    r"""|\[\s*'(?P<sq>(?:[^'\\]|\\.)*)'\s*\]"""
    r"""|\[\s*"(?P<dq>(?:[^"\\]|\\.)*)"\s*\]"""
)

_MISSING = object()


def _parse_path(path: str):
    path = path.strip()
    if not path.startswith("$"):
        raise ValueError(f"JSONPath must start with $: {path!r}")
    steps, pos, definite = [], 1, True
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m:
            raise ValueError(f"unsupported JSONPath {path!r} at {pos}")
        if m.group("deep") is not None:
            steps.append(("deep", m.group("deep")))
            definite = False
        elif m.group("name") is not None:
            if m.group("name") == "*":
                steps.append(("wild", None))
                definite = False
            else:
                steps.append(("key", m.group("name")))
        elif m.group("idx") is not None:
            steps.append(("idx", int(m.group("idx"))))
        elif m.group("sq") is not None:
            steps.append(("key", m.group("sq").replace("\\'", "'")))
        elif m.group("dq") is not None:
            steps.append(("key", m.group("dq").replace('\\"', '"')))
        else:
            steps.append(("wild", None))
            definite = False
        pos = m.end()
    return steps, definite


def _children(v):
    if isinstance(v, dict):
        return list(v.values())
    if isinstance(v, list):
        return list(v)
    return []


def _descend(v):
    yield v
    for c in _children(v):
        yield from _descend(c)


def jsonpath(doc: Any, path: str):
    """Returns the selection, or _MISSING for a definite path that selects nothing."""
    steps, definite = _parse_path(path)
    current = [doc]
    for kind, arg in steps:
        nxt = []
        for v in current:
            if kind == "key":
                if isinstance(v, dict) and arg in v:
                    nxt.append(v[arg])
            elif kind == "idx":
                if isinstance(v, list) and -len(v) <= arg < len(v):
                    nxt.append(v[arg])
            elif kind == "wild":
                nxt.extend(_children(v))
            elif kind == "deep":
                for d in _descend(v):
                    if arg == "*":
                        nxt.extend(_children(d))
                    elif isinstance(d, dict) and arg in d:
                        nxt.append(d[arg])
        current = nxt
    if definite:
        return current[0] if current else _MISSING
    return current


# --------------------------------------------------------------------------- $input, $util


class Input:
    def __init__(self, body: str, params: dict | None, missing_json: str):
        self._body = body if body is not None else ""
        self._params = {"path": {}, "querystring": {}, "header": {}}
        for k, v in (params or {}).items():
            self._params[k] = dict(v)
        self._missing_json = missing_json
        self._parsed = _MISSING

    @property
    def body(self) -> str:
        return self._body

    def _doc(self):
        if self._parsed is _MISSING:
            if self._body.strip() == "":
                self._parsed = None
            else:
                try:
                    self._parsed = json.loads(self._body)
                except ValueError as e:
                    raise InvalidJsonBody(f"request body is not JSON: {e}") from None
        return self._parsed

    def path(self, p="$"):
        doc = self._doc()
        if doc is None:
            return None
        r = jsonpath(doc, str(p))
        return None if r is _MISSING else to_vtl(r)

    def json(self, p="$"):
        doc = self._doc()
        r = _MISSING if doc is None else jsonpath(doc, str(p))
        if r is _MISSING:
            return self._missing_json
        return json.dumps(r, separators=(",", ":"), ensure_ascii=False)

    def params(self, name=None):
        if name is None:
            return JavaMap((k, JavaMap(v)) for k, v in self._params.items())
        for k in ("path", "querystring", "header"):
            if name in self._params.get(k, {}):
                return self._params[k][name]
        return ""


def escape_javascript(s: str) -> str:
    out = []
    u = _u16(s)
    for i in range(0, len(u), 2):
        ch = u[i] | (u[i + 1] << 8)
        if ch > 0x7F:
            out.append("\\u%04X" % ch)
        elif ch < 0x20:
            out.append(
                {0x08: "\\b", 0x0A: "\\n", 0x09: "\\t", 0x0C: "\\f", 0x0D: "\\r"}.get(ch, "\\u%04X" % ch)
            )
        else:
            c = chr(ch)
            out.append({"'": "\\'", '"': '\\"', "\\": "\\\\", "/": "\\/"}.get(c, c))
    return "".join(out)


_URL_SAFE = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-*_")


def java_url_encode(s: str) -> str:
    out = []
    for ch in s:
        if ch == " ":
            out.append("+")
            continue
        try:
            bs = ch.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogate: Java substitutes '?'
            bs = b"?"
        for b in bs:
            out.append(chr(b) if b in _URL_SAFE else "%%%02X" % b)
    return "".join(out)


def java_url_decode(s: str) -> str:
    out, i, buf = [], 0, bytearray()
    while i < len(s):
        c = s[i]
        if c == "%":
            if i + 2 >= len(s):
                raise ValueError("URLDecoder: Incomplete trailing escape (%) pattern")
            try:
                buf.append(int(s[i + 1 : i + 3], 16))
            except ValueError:
                raise ValueError("URLDecoder: Illegal hex characters in escape (%) pattern") from None
            i += 3
            continue
        if buf:
            out.append(buf.decode("utf-8", "replace"))
            buf = bytearray()
        out.append(" " if c == "+" else c)
        i += 1
    if buf:
        out.append(buf.decode("utf-8", "replace"))
    return "".join(out)


class Util:
    def __init__(self, warnings: list):
        self._warnings = warnings

    def _string_arg(self, method: str, s):
        if s is None:
            return None
        if isinstance(s, str):
            return s
        self._warnings.append(
            f"$util.{method} called with a {type(s).__name__} ({java_str(s)[:60]}); Velocity 1.7 finds "
            f"no method and renders the reference text literally"
        )
        return _ops.REPLACE_FORMAL_TEXT

    def escapeJavaScript(self, s=None):
        s = self._string_arg("escapeJavaScript", s)
        return s if s is None or s == _ops.REPLACE_FORMAL_TEXT else escape_javascript(s)

    def urlEncode(self, s=None):
        s = self._string_arg("urlEncode", s)
        return s if s is None or s == _ops.REPLACE_FORMAL_TEXT else java_url_encode(s)

    def urlDecode(self, s=None):
        s = self._string_arg("urlDecode", s)
        return s if s is None or s == _ops.REPLACE_FORMAL_TEXT else java_url_decode(s)

    def base64Encode(self, s=None):
        s = self._string_arg("base64Encode", s)
        if s is None or s == _ops.REPLACE_FORMAL_TEXT:
            return s
        return base64.b64encode(s.encode("utf-8", "replace")).decode("ascii")

    def base64Decode(self, s=None):
        s = self._string_arg("base64Decode", s)
        if s is None or s == _ops.REPLACE_FORMAL_TEXT:
            return s
        return base64.b64decode(s).decode("utf-8", "replace")

    def parseJson(self, s=None):
        s = self._string_arg("parseJson", s)
        if s is None or s == _ops.REPLACE_FORMAL_TEXT:
            return s
        return to_vtl(json.loads(s))


# --------------------------------------------------------------------------- airspeed patches


def _java_split(s, regex, limit=0):
    parts = re.split(regex, s)
    if limit == 0:
        while parts and parts[-1] == "":
            parts.pop()
    return JsonList(parts)


def _java_replace_all(s, regex, repl):
    return re.sub(regex, re.sub(r"\$(\d+)", r"\\\1", repl), s)


_STR_METHODS = {
    "length": utf16_len,
    "isEmpty": lambda s: len(s) == 0,
    "substring": _substring,
    "indexOf": lambda s, sub, start=0: _u16_index(s, str(sub), start),
    "lastIndexOf": lambda s, sub: _u16_index(s, str(sub), last=True),
    "charAt": lambda s, i: _substring(s, i, i + 1),
    "equals": lambda s, o: isinstance(o, str) and s == o,
    "equalsIgnoreCase": lambda s, o: isinstance(o, str) and s.lower() == o.lower(),
    "trim": lambda s: s.strip("".join(chr(c) for c in range(0x21))),
    "toLowerCase": lambda s: s.lower(),
    "toUpperCase": lambda s: s.upper(),
    "startsWith": lambda s, p: s.startswith(p),
    "endsWith": lambda s, p: s.endswith(p),
    "contains": lambda s, p: str(p) in s,
    "replace": lambda s, a, b: s.replace(str(a), str(b)),
    "replaceAll": _java_replace_all,
    "matches": lambda s, p: re.fullmatch(p, s) is not None,
    "split": _java_split,
    "concat": lambda s, o: s + o,
    "toString": lambda s: s,
}

_MAP_METHODS = dict(_ops.__additional_methods__[dict])
_MAP_METHODS.update(
    {
        "size": lambda m: len(m),
        "isEmpty": lambda m: len(m) == 0,
        "containsKey": lambda m, k: k in m,
        "get": lambda m, k: m.get(k),
        "keySet": lambda m: JsonList(m.keys()),
        "values": lambda m: JsonList(m.values()),
        "remove": lambda m, k: m.pop(k, None),
        "toString": lambda m: java_str(m),
    }
)
_LIST_METHODS = dict(_ops.__additional_methods__[list])
_LIST_METHODS.update({"toString": lambda v: java_str(v)})

_ops.__additional_methods__[str].update(_STR_METHODS)
for _cls in (dict, JavaMap):
    _ops.__additional_methods__[_cls] = _MAP_METHODS
for _cls in (list, JsonList):
    _ops.__additional_methods__[_cls] = _LIST_METHODS


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _java_div(a, b):
    # Velocity: integer operands -> integer division truncating toward zero; division by zero -> null
    if b == 0:
        return None
    if _is_int(a) and _is_int(b):
        q = abs(a) // abs(b)
        return q if (a >= 0) == (b > 0) else -q
    return a / b


def _java_mod(a, b):
    if b == 0:
        return None
    if _is_int(a) and _is_int(b):
        return a - b * _java_div(a, b)
    import math

    return math.fmod(a, b)


_ops.BinaryOperator.OPERATORS["/"] = _java_div
_ops.BinaryOperator.OPERATORS["%"] = _java_mod

# airspeed prints non-string values with value_to_string(); make maps/lists Java-like.
_orig_value_to_string = _ops.value_to_string


def _value_to_string(value):
    if isinstance(value, (dict, list)):
        return java_str(value)
    return _orig_value_to_string(value)


_ops.value_to_string = _value_to_string


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


def render_ex(template_text, body, context=None, stage_variables=None, params=None, missing_json=None):
    warnings: list[str] = []
    ctx = dict(DEFAULT_CONTEXT)
    ctx.update(context or {})
    namespace = {
        "input": Input(body, params, MISSING_JSON if missing_json is None else missing_json),
        "util": Util(warnings),
        "context": to_vtl(ctx),
        "stageVariables": to_vtl(dict(stage_variables or {})),
    }
    out = airspeed.Template(template_text).merge(namespace)
    return out, warnings


def render(template_text, body, context=None, stage_variables=None, params=None, missing_json=None) -> str:
    return render_ex(template_text, body, context, stage_variables, params, missing_json)[0]


def _serve():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            out, warnings = render_ex(
                req["template"],
                req.get("body", ""),
                req.get("context"),
                req.get("stageVariables"),
                req.get("params"),
                req.get("missingJson"),
            )
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
