// The ceiling for `npm run bench`: a bare node:http server that answers a client_credentials request with
// the same kind of token Sigil and the peer issue (an ES256 JWT access token, RFC 9068 claims), and does
// nothing else: no client lookup, no database, no audit. What this does per second on a core is the most
// any Node token server can do there; the bench reports Sigil's share of it.
//
// Run as its own process: node bench/ceiling/server.mjs, configured by env CEILING_PORT, CEILING_ISSUER.
// Prints one line `ready <origin> <jwks json>` when listening.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const kid = 'ceiling-es256';
const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid })).toString('base64url');
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] };

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const form = new URLSearchParams(body);
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      jti: randomBytes(16).toString('base64url'),
      sub: 'bench-client',
      iat,
      exp: iat + 3600,
      scope: form.get('scope') ?? '',
      client_id: 'bench-client',
      iss: process.env.CEILING_ISSUER ?? 'http://ceiling',
      aud: form.get('resource') ?? '',
    };
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const jwt = `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const out = JSON.stringify({ access_token: jwt, expires_in: 3600, token_type: 'Bearer', scope: claims.scope });
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' }).end(out);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.CEILING_PORT ?? 0), '127.0.0.1', () => {
  console.log(`ready http://127.0.0.1:${server.address().port} ${JSON.stringify(jwks)}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
