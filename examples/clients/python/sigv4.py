"""SigV4 query-string signing (presigning) of a WebSocket URL for API Gateway's `$connect`.

Browsers and most WebSocket libraries cannot sign the upgrade request's headers the way
AWS SDKs sign HTTP calls, so the signature goes into the URL's query string, as AWS's
"Authenticating requests: using query parameters (Signature Version 4)" describes:
https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
API Gateway checks it for `api.auth: iam` (the caller needs `execute-api:Invoke` on the stack's
`ConnectExecuteApiArn` output).

Standard library only, so it can be read (and audited) in one sitting.
"""

import datetime
import hashlib
import hmac
from urllib.parse import quote, urlsplit, urlunsplit

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_PAYLOAD = hashlib.sha256(b"").hexdigest()


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _encode(value):
    # RFC 3986 unreserved characters stay; everything else is percent-encoded.
    return quote(value, safe="-_.~")


def presign(url, *, access_key, secret_key, region, service="execute-api",
            session_token=None, now=None, expires=60, payload_hash=EMPTY_PAYLOAD):
    """The URL with the `X-Amz-*` query parameters that sign a GET of it.

    `now` (a UTC datetime) and `payload_hash` are parameters so that tests can reproduce
    AWS's published examples; `wss://` signs exactly like `https://`.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = now.strftime("%Y%m%d")
    scope = f"{day}/{region}/{service}/aws4_request"
    parts = urlsplit(url)
    params = [(k, v) for k, v in (p.split("=", 1) if "=" in p else (p, "")
                                  for p in parts.query.split("&") if p)]
    params += [
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", f"{access_key}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(expires)),
        ("X-Amz-SignedHeaders", "host"),
    ]
    if session_token:
        params.append(("X-Amz-Security-Token", session_token))
    query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params))
    path = quote(parts.path or "/", safe="/-_.~")
    canonical = "\n".join(["GET", path, query, f"host:{parts.netloc}\n", "host", payload_hash])
    to_sign = "\n".join([ALGORITHM, amz_date, scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(("AWS4" + secret_key).encode("utf-8"), day)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return urlunsplit((parts.scheme, parts.netloc, parts.path,
                       f"{query}&X-Amz-Signature={signature}", ""))
