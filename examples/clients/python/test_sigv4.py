"""The signer against fixed vectors: AWS's published presigned-URL example, and the AWS SDK's
own signer (botocore) on an API Gateway WebSocket URL, for the same credentials and time."""

import datetime
import os
import unittest
from urllib.parse import parse_qs, urlsplit

from sigv4 import presign

# AWS's example credentials and request, "Example: A presigned URL" in
# https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
EXAMPLE = dict(access_key="AKIAIOSFODNN7EXAMPLE",
               secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
WHEN = datetime.datetime(2013, 5, 24, tzinfo=datetime.timezone.utc)


class Presign(unittest.TestCase):
    def test_aws_published_example(self):
        url = presign("https://examplebucket.s3.amazonaws.com/test.txt", **EXAMPLE,
                      region="us-east-1", service="s3", now=WHEN, expires=86400,
                      payload_hash="UNSIGNED-PAYLOAD")
        self.assertEqual(
            url,
            "https://examplebucket.s3.amazonaws.com/test.txt"
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")

    def test_same_signature_as_the_aws_sdk_for_a_websocket_url(self):
        try:
            from botocore.auth import SigV4QueryAuth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
        except ImportError:
            # scripts/test installs it (requirements-test.txt) and sets REQUIRE_BOTOCORE.
            if os.environ.get("REQUIRE_BOTOCORE"):
                raise
            self.skipTest("botocore is not installed")
        import unittest.mock as mock
        url = "wss://abc123.execute-api.eu-west-1.amazonaws.com/prod"
        ours = presign(url, **EXAMPLE, session_token="token/with+chars", region="eu-west-1",
                       now=WHEN, expires=60)
        creds = Credentials(EXAMPLE["access_key"], EXAMPLE["secret_key"], "token/with+chars")
        request = AWSRequest(method="GET", url=url.replace("wss://", "https://"))
        with mock.patch("botocore.auth.get_current_datetime", return_value=WHEN):
            SigV4QueryAuth(creds, "execute-api", "eu-west-1", expires=60).add_auth(request)
        theirs = parse_qs(urlsplit(request.url).query)
        self.assertEqual(parse_qs(urlsplit(ours).query), theirs)


if __name__ == "__main__":
    unittest.main()
