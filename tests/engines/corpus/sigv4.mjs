// SigV4 query-string signing (presigning) of a WebSocket URL for `$connect` with `api.auth: iam`,
// the JavaScript twin of examples/clients/python/sigv4.py (same canonical request, same defaults).
//
//   presign('ws://127.0.0.1:3000/live', { accessKey, secretKey, region, sessionToken, now, expires })

import { createHash, createHmac } from 'node:crypto';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_PAYLOAD = createHash('sha256').update('').digest('hex');
const hmac = (key, text) => createHmac('sha256', key).update(text, 'utf8').digest();
// RFC 3986 unreserved characters stay; everything else is percent-encoded
const encode = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function presign(url, { accessKey, secretKey, region, service = 'execute-api', sessionToken = null, now = new Date(), expires = 60 }) {
  const u = new URL(url);
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const params = [...u.searchParams.entries()];
  params.push(['X-Amz-Algorithm', ALGORITHM], ['X-Amz-Credential', `${accessKey}/${scope}`], ['X-Amz-Date', amzDate], ['X-Amz-Expires', String(expires)], ['X-Amz-SignedHeaders', 'host']);
  if (sessionToken) params.push(['X-Amz-Security-Token', sessionToken]);
  const query = params
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const path = (u.pathname || '/').split('/').map((s) => encode(decodeURIComponent(s))).join('/');
  const canonical = ['GET', path, query, `host:${u.host}\n`, 'host', EMPTY_PAYLOAD].join('\n');
  const toSign = [ALGORITHM, amzDate, scope, createHash('sha256').update(canonical, 'utf8').digest('hex')].join('\n');
  let key = hmac(`AWS4${secretKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return `${u.protocol}//${u.host}${u.pathname}?${query}&X-Amz-Signature=${signature}`;
}
