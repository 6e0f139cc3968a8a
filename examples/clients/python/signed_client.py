"""Connects to a lambdaless-gen stack with `api.auth: iam`, subscribes, prints every event.

    pip install websockets==13.1
    export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... [AWS_SESSION_TOKEN=...]
    python signed_client.py wss://abc123.execute-api.eu-west-1.amazonaws.com/prod \\
        --message '{"action":"subscribe","topics":["orders"]}' [--api-key KEY]

The caller's credentials need `execute-api:Invoke` on the stack's `ConnectExecuteApiArn`
output. With `api.api_key: required`, pass the key (`--api-key`): it travels in the
`x-api-key` header.
"""

import argparse
import asyncio
import json
import os
import re
import sys

import websockets

from sigv4 import presign


def region_of(url):
    m = re.match(r"wss://[^.]+\.execute-api\.([a-z0-9-]+)\.", url)
    if not m:
        sys.exit(f"not an API Gateway WebSocket URL: {url}")
    return m.group(1)


async def run(url, message, api_key):
    signed = presign(
        url,
        access_key=os.environ["AWS_ACCESS_KEY_ID"],
        secret_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        session_token=os.environ.get("AWS_SESSION_TOKEN"),
        region=region_of(url),
    )
    headers = {"x-api-key": api_key} if api_key else {}
    async with websockets.connect(signed, additional_headers=headers) as ws:
        await ws.send(message)
        async for frame in ws:
            print(json.dumps(json.loads(frame)), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("url", help="the stack's WebSocketUrl output")
    p.add_argument("--message", default='{"action":"subscribe"}', help="sent once connected")
    p.add_argument("--api-key", help="with api.api_key: required")
    a = p.parse_args()
    asyncio.run(run(a.url, a.message, a.api_key))


if __name__ == "__main__":
    main()
