"""Connects to a lambdaless-gen stack with `api.auth: iam`, subscribes, prints every frame.

    pip install websockets==13.1
    export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... [AWS_SESSION_TOKEN=...]
    python3 signed_client.py wss://abc123.execute-api.eu-west-1.amazonaws.com/prod \\
        --message '{"action":"subscribe","topics":["orders"]}' [--api-key KEY]

The caller's credentials need `execute-api:Invoke` on the stack's `ConnectExecuteApiArn`
output. With `api.api_key: required`, pass the key (`--api-key`): it travels in the
`x-api-key` header.

Against `lambdaless-gen dev` (a `ws://` URL such as ws://127.0.0.1:3000/live) any credentials
do, unless the server was started with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (then the
same ones); the region is `--region`, else AWS_REGION, AWS_DEFAULT_REGION, else us-east-1, as
`dev` takes it.
"""

import argparse
import asyncio
import json
import os
import re
import sys

from websockets.asyncio.client import connect  # websockets 13's client (headers as additional_headers)

from sigv4 import presign


def region_of(url, given=None):
    """The region to sign for: `given`, else the one in an API Gateway URL, else the
    environment's (for `lambdaless-gen dev` and custom domain names)."""
    if given:
        return given
    m = re.match(r"wss://[^.]+\.execute-api\.([a-z0-9-]+)\.", url)
    if m:
        return m.group(1)
    if not re.match(r"wss?://", url):
        sys.exit(f"not a WebSocket URL (wss://... or ws://...): {url}")
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


def credentials():
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key or not secret:
        sys.exit("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to sign with "
                 "(any values do for lambdaless-gen dev, unless it verifies signatures)")
    return key, secret


async def run(url, message, api_key, region):
    key, secret = credentials()
    signed = presign(
        url,
        access_key=key,
        secret_key=secret,
        session_token=os.environ.get("AWS_SESSION_TOKEN"),
        region=region_of(url, region),
    )
    headers = {"x-api-key": api_key} if api_key else {}
    async with connect(signed, additional_headers=headers) as ws:
        await ws.send(message)
        async for frame in ws:
            try:
                print(json.dumps(json.loads(frame)), flush=True)
            except ValueError:  # a frame that is not JSON (a raw @connections post)
                print(frame, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("url", help="the stack's WebSocketUrl output, or the ws:// URL `lambdaless-gen dev` prints")
    p.add_argument("--message", default='{"action":"subscribe"}', help="sent once connected")
    p.add_argument("--api-key", help="with api.api_key: required")
    p.add_argument("--region", help="to sign for (default: the URL's, else AWS_REGION, "
                   "AWS_DEFAULT_REGION, else us-east-1)")
    a = p.parse_args()
    asyncio.run(run(a.url, a.message, a.api_key, a.region))


if __name__ == "__main__":
    main()
