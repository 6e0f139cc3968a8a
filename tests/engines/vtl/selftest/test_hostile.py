"""Self-test of hostile.py: it must pass a correct template and catch typical escaping bugs."""

import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import hostile  # noqa: E402

ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:m"
GOOD = ('#set($p = "$!input.json(\'$.pattern\')")'
        '{"stateMachineArn":"$stageVariables.arn","input":"{\\"p\\":\\"$util.base64Encode($p)\\"}"}')
BUGS = {
    # escapeJavaScript inside a JSON string: \' is not valid JSON
    "escapeJavaScript": '#set($p = "$!input.json(\'$.pattern\')"){"stateMachineArn":"$stageVariables.arn","input":"{\\"p\\":$util.escapeJavaScript($p)}"}',
    # raw $input.json inside a JSON string: quotes break out
    "raw-json-in-string": '{"stateMachineArn":"$stageVariables.arn","input":"{\\"p\\":$input.json(\'$.pattern\')}"}',
    # $input.json unquoted: a missing field renders nothing -> invalid JSON under missing-json=""
    "unguarded-missing": '{"stateMachineArn":"$stageVariables.arn","input":"$util.escapeJavaScript($input.json(\'$.pattern\')).replaceAll("\\\\\'","\'")","x":$input.json(\'$.pattern\')}',
}


def run(template):
    model = {"name": "t", "api": {"routeSelectionExpression": "$request.body.action"}, "stageVariables": {"arn": ARN},
             "routes": [{"routeKey": "sub", "integration": {"action": "StartExecution"}, "requestTemplate": template}]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(model, f)
    out = io.StringIO()
    try:
        with redirect_stdout(out):
            rc = hostile.main([f.name])
    finally:
        os.unlink(f.name)
    return rc, out.getvalue()


class Hostile(unittest.TestCase):
    def test_good_template_passes(self):
        rc, out = run(GOOD)
        self.assertEqual(rc, 0, out)
        self.assertIn(", 0 failed", out.splitlines()[-1])

    def test_bugs_are_caught(self):
        for name, tpl in BUGS.items():
            with self.subTest(name):
                rc, out = run(tpl)
                self.assertEqual(rc, 1, f"{name} not caught:\n{out}")


if __name__ == "__main__":
    unittest.main()
