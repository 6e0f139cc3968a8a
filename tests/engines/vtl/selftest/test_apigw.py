"""Self-tests of the API Gateway mapping-template emulation (vtl/apigw.py).

Run: .tools/venv/bin/python -m unittest discover -s tests/engines/vtl/selftest
"""

import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import apigw  # noqa: E402
from apigw import render, render_ex  # noqa: E402


class EscapeJavaScript(unittest.TestCase):
    def esc(self, s):
        return render("$util.escapeJavaScript($input.path('$.s'))", json.dumps({"s": s}))

    def test_basic_escapes(self):
        self.assertEqual(self.esc('a"b'), 'a\\"b')
        self.assertEqual(self.esc("a\\b"), "a\\\\b")
        self.assertEqual(self.esc("</script>"), "<\\/script>")
        self.assertEqual(self.esc("\b\f\n\r\t"), "\\b\\f\\n\\r\\t")
        self.assertEqual(self.esc("\x01\x1f"), "\\u0001\\u001F")

    def test_single_quote_quirk_is_not_json(self):
        self.assertEqual(self.esc("it's"), "it\\'s")
        with self.assertRaises(ValueError):
            json.loads('"' + self.esc("it's") + '"')

    def test_non_ascii_and_utf16_surrogates(self):
        self.assertEqual(self.esc("é"), "\\u00E9")
        self.assertEqual(self.esc("€"), "\\u20AC")
        self.assertEqual(self.esc("😀"), "\\uD83D\\uDE00")
        self.assertEqual(self.esc("\x7f"), "\x7f")  # commons-lang leaves DEL alone
        self.assertEqual(json.loads('"' + self.esc("😀 é \"q\" \\ / \n") + '"'), "😀 é \"q\" \\ / \n")

    def test_round_trip_inside_json_string(self):
        tpl = '{"m":"$util.escapeJavaScript($input.body)"}'
        body = 'he said "hi" \\ </script> \u2028 😀\n\t\x00'
        self.assertEqual(json.loads(render(tpl, body))["m"], body)

    def test_null_argument_renders_empty(self):
        self.assertEqual(render("[$util.escapeJavaScript($input.path('$.nope'))]", "{}"), "[]")

    def test_wrong_type_argument_renders_reference_text(self):
        out, warnings = render_ex("$util.escapeJavaScript($input.path('$.n'))", '{"n": 5}')
        self.assertEqual(out, "$util.escapeJavaScript($input.path('$.n'))")
        self.assertEqual(len(warnings), 1)


class InputFunctions(unittest.TestCase):
    BODY = json.dumps({"s": "x\"y", "n": 5, "f": 1.5, "b": True, "z": None, "o": {"a": 1, "l": [1, {"c": "d"}]},
                       "l": ["a", "b"], "u": "😀a"})

    def test_body_is_raw(self):
        self.assertEqual(render("$input.body", ' {"a" : 1} '), ' {"a" : 1} ')

    def test_json_selections(self):
        r = lambda p: render(f"$input.json('{p}')", self.BODY)  # noqa: E731
        self.assertEqual(r("$.s"), '"x\\"y"')
        self.assertEqual(r("$.n"), "5")
        self.assertEqual(r("$.b"), "true")
        self.assertEqual(r("$.z"), "null")
        self.assertEqual(json.loads(r("$.o")), {"a": 1, "l": [1, {"c": "d"}]})
        self.assertEqual(json.loads(r("$")), json.loads(self.BODY))
        self.assertEqual(r("$.l[1]"), '"b"')
        self.assertEqual(render("$input.json(\"$['s']\")", self.BODY), '"x\\"y"')

    def test_json_missing_path(self):
        self.assertEqual(render("[$input.json('$.missing')]", self.BODY), "[]")
        self.assertEqual(render("[$input.json('$.missing')]", self.BODY, missing_json="null"), "[null]")
        self.assertEqual(render("[$input.json('$.o.missing.deeper')]", self.BODY), "[]")

    def test_path_values(self):
        r = lambda t: render(t, self.BODY)  # noqa: E731
        self.assertEqual(r("$input.path('$.s')"), 'x"y')
        self.assertEqual(r("$input.path('$.n')"), "5")
        self.assertEqual(r("#if($input.path('$.n') == 5)five#end"), "five")
        self.assertEqual(r("$input.path('$.o')"), '{a=1, l=[1,{"c":"d"}]}')
        self.assertEqual(r("$input.path('$.l')"), '["a","b"]')
        self.assertEqual(r("$input.path('$.l').size()"), "2")
        self.assertEqual(r("$input.path('$.o').size()"), "2")
        self.assertEqual(r("[$input.path('$.missing')]"), "[]")
        # API Gateway quirk kept by airspeed: a missing/null reference is TRUE in #if
        self.assertEqual(r("#if($input.path('$.missing'))yes#{else}no#end"), "yes")
        self.assertEqual(r("#if($input.path('$.b'))yes#{else}no#end"), "yes")
        self.assertEqual(r("$input.path('$.l[*]').size()"), "2")

    def test_utf16_length_and_substring(self):
        r = lambda t: render(t, self.BODY)  # noqa: E731
        self.assertEqual(r("$input.path('$.u').length()"), "3")  # 😀 is 2 UTF-16 code units
        self.assertEqual(r("$input.path('$.u').substring(2)"), "a")
        self.assertEqual(r("$input.path('$.u').indexOf('a')"), "2")
        self.assertEqual(r("$input.path('$.u').indexOf('q')"), "-1")
        self.assertEqual(render("$input.body.length()", "ab\u00e9"), "3")

    def test_invalid_json_body(self):
        with self.assertRaises(Exception) as cm:
            render("$input.json('$.a')", "not json")
        self.assertIsInstance(cm.exception.__cause__ or cm.exception, apigw.InvalidJsonBody)
        self.assertEqual(render("$input.body", "not json"), "not json")

    def test_params(self):
        out = render("$input.params('q')|$input.params('h')|[$input.params('none')]", "{}",
                     params={"querystring": {"q": "1"}, "header": {"h": "2"}})
        self.assertEqual(out, "1|2|[]")


class UtilFunctions(unittest.TestCase):
    def test_base64(self):
        out = render("$util.base64Encode($input.path('$.s'))", json.dumps({"s": "héllo 😀"}))
        self.assertEqual(out, "aMOpbGxvIPCfmIA=")
        self.assertEqual(render("$util.base64Decode('aMOpbGxvIPCfmIA=')", "{}"), "héllo 😀")

    def test_url(self):
        out = render("$util.urlEncode($input.path('$.s'))", json.dumps({"s": "a b*~_.-/é"}))
        self.assertEqual(out, "a+b*%7E_.-%2F%C3%A9")
        self.assertEqual(render("$util.urlDecode('a+b%2F%C3%A9')", "{}"), "a b/é")

    def test_parse_json(self):
        out = render("#set($o = $util.parseJson($input.path('$.s')))$o.k $o.l.size()",
                     json.dumps({"s": '{"k": "v", "l": [1,2,3]}'}))
        self.assertEqual(out, "v 3")


class ContextAndVelocity(unittest.TestCase):
    def test_context_and_stage_variables(self):
        tpl = ('$context.connectionId|$context.routeKey|$context.requestTimeEpoch|$context.eventType|'
               '$context.stage|$context.apiId|$context.domainName|$context.connectedAt|$context.requestId|'
               '$stageVariables.arn')
        out = render(tpl, "{}", context={"connectionId": "c1", "routeKey": "subscribe"},
                     stage_variables={"arn": "arn:aws:states:us-east-1:1:stateMachine:x"})
        parts = out.split("|")
        self.assertEqual(parts[0:2], ["c1", "subscribe"])
        self.assertEqual(parts[2], str(apigw.DEFAULT_CONTEXT["requestTimeEpoch"]))
        self.assertEqual(parts[9], "arn:aws:states:us-east-1:1:stateMachine:x")
        self.assertTrue(all(parts), parts)

    def test_request_time_epoch_is_a_number(self):
        self.assertEqual(render("#set($t = $context.requestTimeEpoch + 1)$t", "{}",
                                context={"requestTimeEpoch": 41}), "42")

    def test_java_integer_arithmetic(self):
        self.assertEqual(render("#set($a = 7 / 2)$a #set($b = -7 / 2)$b #set($c = -7 % 3)$c #set($d = 7.0 / 2)$d", "{}"),
                         "3 -3 -1 3.5")
        self.assertEqual(render("#set($t = $context.requestTimeEpoch / 1000)$t", "{}",
                                context={"requestTimeEpoch": 1700000001999}), "1700000001")

    def test_foreach_over_array(self):
        out = render("#foreach($x in $input.path('$.l'))$x#if($foreach.hasNext),#end#end",
                     json.dumps({"l": ["a", "b", "c"]}))
        self.assertEqual(out, "a,b,c")


class ServeMode(unittest.TestCase):
    def test_serve_json_lines(self):
        reqs = [
            {"template": '{"m":"$util.escapeJavaScript($input.body)"}', "body": "q\""},
            {"template": "$input.json('$.a')", "body": "nope"},
        ]
        p = subprocess.run([sys.executable, os.path.join(os.path.dirname(HERE), "apigw.py"), "--serve"],
                           input="".join(json.dumps(r) + "\n" for r in reqs), capture_output=True, text=True,
                           check=True)
        lines = [json.loads(x) for x in p.stdout.splitlines()]
        self.assertTrue(lines[0]["ok"])
        self.assertEqual(json.loads(lines[0]["output"])["m"], 'q"')
        self.assertFalse(lines[1]["ok"])
        self.assertEqual(lines[1]["kind"], "InvalidJsonBody")


if __name__ == "__main__":
    unittest.main()
