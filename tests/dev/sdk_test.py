"""The dev server through an AWS SDK (botocore, pinned in examples/clients/python/requirements-test.txt):
PutEvents and the @connections API work unchanged against `--endpoint-url`, errors included.

    .tools/venv/bin/python tests/dev/sdk_test.py   (after cargo build --release)
"""

import asyncio
import datetime
import json
import os
import subprocess
import sys
import unittest

import botocore.session
import websockets

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, "target", "release", "lambdaless-gen")


class SdkAgainstDev(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = subprocess.Popen(
            [BIN, "dev", "specs/topics.yaml", "--port", "0", "--log", "json"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        ready = json.loads(cls.proc.stdout.readline())
        cls.urls = ready["urls"]
        session = botocore.session.get_session()
        creds = dict(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        cls.events = session.create_client("events", endpoint_url=cls.urls["events"], **creds)
        stage_url = cls.urls["websocket"].replace("ws://", "http://")
        cls.api = session.create_client("apigatewaymanagementapi", endpoint_url=stage_url, **creds)

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=5)

    def connection_id(self):
        for line in self.proc.stdout:
            record = json.loads(line)
            if record["kind"] == "connect":
                return record["connectionId"]
        raise AssertionError("no connect record")

    def test_put_events_and_connections_api(self):
        asyncio.run(self.scenario())

    async def scenario(self):
        async with websockets.connect(self.urls["websocket"]) as ws:
            cid = self.connection_id()
            await ws.send(json.dumps({"action": "subscribe", "topics": ["orders"]}))
            self.assertEqual(json.loads(await ws.recv())["type"], "subscribed")
            when = datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.timezone.utc)
            r = self.events.put_events(Entries=[
                {"EventBusName": "live-orders-orders", "Source": "shop.orders", "DetailType": "OrderPlaced",
                 "Detail": json.dumps({"orderId": "o-1"}), "Time": when, "Resources": ["arn:x"]},
                {"Source": "shop.orders", "DetailType": "OrderPlaced", "Detail": "[]"},
            ])
            self.assertEqual(r["FailedEntryCount"], 1)
            self.assertEqual(r["Entries"][1]["ErrorCode"], "MalformedDetail")
            event = json.loads(await ws.recv())["event"]
            self.assertEqual(event["id"], r["Entries"][0]["EventId"])
            self.assertEqual(event["time"], "2024-05-01T12:00:00Z")
            self.assertEqual(event["resources"], ["arn:x"])
            with self.assertRaises(self.events.exceptions.ClientError) as too_many:
                self.events.put_events(Entries=[{"Source": "a", "DetailType": "b", "Detail": "{}"}] * 11)
            self.assertEqual(too_many.exception.response["Error"]["Code"], "ValidationException")

            self.api.post_to_connection(ConnectionId=cid, Data=b'{"hello":1}')
            self.assertEqual(json.loads(await ws.recv()), {"hello": 1})
            info = self.api.get_connection(ConnectionId=cid)
            self.assertEqual(info["Identity"]["SourceIp"], "127.0.0.1")
            self.assertIsInstance(info["ConnectedAt"], datetime.datetime)
            with self.assertRaises(self.api.exceptions.GoneException):
                self.api.post_to_connection(ConnectionId="AAAAAAAAAAAAAAA=", Data=b"x")
            with self.assertRaises(self.api.exceptions.PayloadTooLargeException):
                self.api.post_to_connection(ConnectionId=cid, Data=b"x" * 140_000)
            self.api.delete_connection(ConnectionId=cid)
            with self.assertRaises(websockets.ConnectionClosed):
                await ws.recv()


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=2).result.wasSuccessful() else 1)
