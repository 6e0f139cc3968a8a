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

import airspeed  # noqa: E402

import apigw  # noqa: E402
from apigw import render, render_ex  # noqa: E402


class EscapeJavaScript(unittest.TestCase):
    def esc(self, s):
        return render("$util.escapeJavaScript($input.body)", s)

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

    def test_round_trip_inside_json_string_with_the_quote_fix(self):
        tpl = '{"m":"$util.escapeJavaScript($input.body).replaceAll("\\\\\'","\'")"}'
        body = 'he said "hi" it\'s \\ </script> \u2028 😀\n\t\x00'
        self.assertEqual(json.loads(render(tpl, body))["m"], body)

    def test_null_and_wrong_type_arguments(self):
        self.assertEqual(render("[$util.escapeJavaScript($nope)]", "{}"), "[]")
        out, warnings = render_ex("#set($n = 5)$util.escapeJavaScript($n)", "{}")
        self.assertEqual(out, "$util.escapeJavaScript($n)")
        self.assertEqual(len(warnings), 1)


class InputAndUtil(unittest.TestCase):
    BODY = json.dumps({"s": "x\"y", "n": 5, "b": True, "z": None, "o": {"a": 1, "l": [1, {"c": "d"}]}, "l": ["a", "b"], "k.dot": "é"})

    def test_body_is_raw(self):
        self.assertEqual(render("$input.body", ' {"a" : 1} '), ' {"a" : 1} ')
        self.assertEqual(render("$input.body", "not json"), "not json")

    def test_json_selections(self):
        r = lambda p: render(f"$input.json('{p}')", self.BODY)  # noqa: E731
        self.assertEqual(r("$.s"), '"x\\"y"')
        self.assertEqual([r("$.n"), r("$.b"), r("$.z")], ["5", "true", "null"])
        self.assertEqual(json.loads(r("$.o")), {"a": 1, "l": [1, {"c": "d"}]})
        self.assertEqual(json.loads(r("$")), json.loads(self.BODY))
        self.assertEqual([r("$.l[1]"), r("$.l[-1]"), r("$.o.l[1].c")], ['"b"', '"b"', '"d"'])
        self.assertEqual(render("$input.json(\"$['k.dot']\")", self.BODY), '"é"')

    def test_json_missing_path(self):
        self.assertEqual(render("[$input.json('$.missing')]", self.BODY), "[]")
        self.assertEqual(render("[$input.json('$.missing')]", self.BODY, missing_json="null"), "[null]")
        self.assertEqual(render("[$input.json('$.o.missing.deeper')][$input.json('$.s[0]')][$input.json('$.l.a')]", self.BODY), "[][][]")
        self.assertEqual(render("[$input.json('$.a')]", ""), "[]")

    def test_invalid_json_body(self):
        with self.assertRaises(Exception) as cm:
            render("$input.json('$.a')", "not json")
        self.assertIsInstance(cm.exception.__cause__ or cm.exception, apigw.InvalidJsonBody)

    def test_base64(self):
        self.assertEqual(render("$util.base64Encode($input.json('$.s'))", json.dumps({"s": "héllo 😀"})), "ImjDqWxsbyDwn5iAIg==")

    def test_what_is_not_emulated_fails_loudly(self):
        for tpl in ["$input.path('$.s')", "$input.params('q')", "$util.urlEncode('a')", "$input.json('$..s')", "$input.json('$.l[*]')"]:
            with self.subTest(tpl), self.assertRaises(airspeed.TemplateExecutionError) as cm:
                render(tpl, self.BODY)
            self.assertIsInstance(cm.exception.__cause__, apigw.NotEmulated)


class ContextAndVelocity(unittest.TestCase):
    def test_context_and_stage_variables(self):
        tpl = ('$context.connectionId|$context.routeKey|$context.requestTimeEpoch|$context.eventType|'
               '$context.stage|$context.apiId|$context.domainName|$context.connectedAt|$context.requestId|'
               '$stageVariables.arn|$context.identity.sourceIp')
        out = render(tpl, "{}", context={"connectionId": "c1", "routeKey": "subscribe"},
                     stage_variables={"arn": "arn:aws:states:us-east-1:1:stateMachine:x"})
        parts = out.split("|")
        self.assertEqual(parts[0:2], ["c1", "subscribe"])
        self.assertEqual(parts[2], str(apigw.DEFAULT_CONTEXT["requestTimeEpoch"]))
        self.assertEqual(parts[9:], ["arn:aws:states:us-east-1:1:stateMachine:x", "192.0.2.10"])
        self.assertTrue(all(parts), parts)

    def test_java_integer_arithmetic(self):
        self.assertEqual(render("#set($a = 7 / 2)$a #set($b = -7 / 2)$b #set($d = 7.0 / 2)$d #set($z = 1 / 0)[$!z]", "{}"), "3 -3 3.5 []")
        self.assertEqual(render("#set($t = $context.requestTimeEpoch / 1000)#set($e = $t + 5400)$t $e", "{}",
                                context={"requestTimeEpoch": 1700000001999}), "1700000001 1700005401")

    def test_string_methods_are_java_like(self):
        self.assertEqual(render('#set($u = "😀a")$u.length()', "{}"), "3")  # 😀 is 2 UTF-16 code units
        self.assertEqual(render('#set($s = "x-y-z")$s.replaceAll("-(\\w)", "+$1$0")', "{}"), "x+y-y+z-z")

    def test_if_on_missing_reference_is_true_and_quiet_references(self):
        self.assertEqual(render("#if($nope)yes#{else}no#end [$!nope]", "{}"), "yes []")
        self.assertEqual(render('#set($p = "$!input.json(\'$.p\')")#if($p == "")empty#end', "{}"), "empty")


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
