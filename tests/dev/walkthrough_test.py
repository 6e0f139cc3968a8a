"""The README's local walkthrough ("Run it locally"), run as written on a fresh checkout.

Every command of the README's ```sh blocks between `<!-- walkthrough: ... -->` and
`<!-- end of walkthrough -->` is run in order, in a fresh folder that holds the repository's
`examples/` (as a clone does), with only these substitutions: `lambdaless-gen` is the release
binary, `python3` this interpreter (whose packages the pinned `pip install` line names), the
server gets `--port 0` and the README's `127.0.0.1:3000` becomes the port it picked (so a
busy port 3000 cannot fail the test). The `aws` line runs when the AWS CLI is installed.

Checked: `dev` prints the ready lines the README shows, an unsigned client is refused with a
trace that says what is missing and how to add it, the signed example client subscribes, the
documented event commands put events, and the client receives them.

    .tools/venv/bin/python tests/dev/walkthrough_test.py   (after cargo build --release)
"""

import json
import os
import queue
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, "target", "release", "lambdaless-gen")
PATIENCE = 10


def readme_part():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("<!-- walkthrough:")
    end = text.index("<!-- end of walkthrough -->", start)
    return text[start:end]


def blocks(part, kind):
    return [b for k, b in re.findall(r"```(\w+)\n(.*?)```", part, re.S) if k == kind]


def commands(block):
    """Each command of a shell block as (env, argv): continuation lines joined, comments
    dropped, leading VAR=value words as the environment."""
    out = []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        env = {}
        while words and re.match(r"^[A-Z_]+=", words[0]):
            k, v = words.pop(0).split("=", 1)
            env[k] = v
        if words:
            out.append((env, words))
    return out


class Lines:
    """A process's output lines, read in the background."""

    def __init__(self, stream):
        self.q = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.q.put(line.rstrip("\n"))

    def next(self, timeout=PATIENCE):
        line = self.q.get(timeout=timeout)
        self.seen.append(line)
        return line

    def wait(self, pred, what):
        deadline = time.monotonic() + PATIENCE
        for line in self.seen:
            if pred(line):
                return line
        while time.monotonic() < deadline:
            try:
                line = self.next(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if pred(line):
                return line
        raise AssertionError(f"no {what} within {PATIENCE} s; seen:\n" + "\n".join(self.seen))


class Walkthrough(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="walkthrough-")
        os.symlink(os.path.join(ROOT, "examples"), os.path.join(self.dir, "examples"))
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def spawn(self, env, argv, unset=()):
        env = {k: v for k, v in {**os.environ, **env}.items() if k not in unset}
        p = subprocess.Popen(argv, cwd=self.dir, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p, Lines(p.stdout)

    def test_the_readme_walkthrough_as_written(self):
        part = readme_part()
        sh = [c for b in blocks(part, "sh") for c in commands(b)]
        ready_text = blocks(part, "text")[0].rstrip("\n").splitlines()
        programs = [argv[0] for _, argv in sh]
        self.assertEqual(programs, ["lambdaless-gen", "lambdaless-gen", "pip", "python3", "curl", "aws"],
                         "the walkthrough's commands changed: update this test")
        port = None
        client = dev = None
        events = 0
        for env, argv in sh:
            if port:
                argv = [w.replace("127.0.0.1:3000", f"127.0.0.1:{port}") for w in argv]
            program, args = argv[0], argv[1:]
            if program == "lambdaless-gen" and args[0] == "init":
                r = subprocess.run([BIN, *args], cwd=self.dir, capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, r.stderr)
            elif program == "lambdaless-gen" and args[0] == "dev":
                self.assertNotIn("AWS_ACCESS_KEY_ID", env)
                # A new user's shell: no credentials or region of their own.
                _, dev = self.spawn(env, [BIN, *args, "--port", "0"], unset=(
                    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"))
                printed = [dev.next() for _ in ready_text]
                port = re.search(r"ws://127\.0\.0\.1:(\d+)/", printed[1]).group(1)
                norm = lambda l: re.sub(r"ready in [0-9.]+ ms", "ready in N ms",
                                        l.replace("127.0.0.1:3000", f"127.0.0.1:{port}"))
                self.assertEqual([norm(l) for l in printed], [norm(l) for l in ready_text],
                                 "dev prints what the README shows")
                self.unsigned_client_is_told_how_to_sign(port, dev)
            elif program == "pip":
                self.assertEqual(args[:1], ["install"])
                with open(os.path.join(ROOT, "tests", "dev", "requirements.txt")) as f:
                    pins = f.read().split()
                for pin in args[1:]:
                    self.assertIn(pin, pins, "the README pins what the tests install")
            elif program == "python3":
                _, client = self.spawn(env, [sys.executable, *args])
                line = client.next()
                self.assertIn(f"It prints `{line}`", part.replace("\n", " "),
                              "the client prints what the README says")
                self.assertEqual(json.loads(line)["type"], "subscribed")
            elif program in ("curl", "aws"):
                if shutil.which(program) is None:
                    print(f"walkthrough: {program} is not installed; its line was not run", file=sys.stderr)
                    continue
                r = subprocess.run(argv, cwd=self.dir, env={**os.environ, **env},
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                answer = json.loads(r.stdout)
                self.assertEqual(answer["FailedEntryCount"], 0, answer)
                event_id = answer["Entries"][0]["EventId"]
                got = json.loads(client.next())
                self.assertEqual((got["type"], got["topic"]), ("event", "orders"), got)
                self.assertEqual(got["event"]["id"], event_id)
                self.assertEqual(got["event"]["detail"], {"orderId": "o-1"})
                dev.wait(lambda l: " delivered " in l and event_id in l and "count=1" in l,
                         f"the delivered trace line of {event_id}")
                events += 1
            else:
                self.fail(f"unexpected command {argv}")
        self.assertGreaterEqual(events, 1, "an event was put with a documented command")

    def unsigned_client_is_told_how_to_sign(self, port, dev):
        """`npx wscat -c ws://127.0.0.1:3000/live` (here: the same upgrade, unsigned) gets 403,
        and the trace says that a signature is missing and how to add one."""
        import asyncio
        import websockets.exceptions

        async def connect():
            async with websockets.connect(f"ws://127.0.0.1:{port}/live"):
                pass

        with self.assertRaises(websockets.exceptions.InvalidHandshake) as refused:
            asyncio.run(connect())
        e = refused.exception  # InvalidStatusCode (the legacy client) or InvalidStatus
        status = getattr(e, "status_code", None) or getattr(getattr(e, "response", None), "status_code", None)
        self.assertEqual(status, 403, repr(e))
        line = dev.wait(lambda l: "connect-refused" in l, "a connect-refused trace line")
        self.assertIn('detail="api.auth is iam: the request carries no SigV4 signature', line)
        self.assertIn(f"examples/clients/python/signed_client.py ws://127.0.0.1:{port}/live", line)


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=2).result.wasSuccessful() else 1)
