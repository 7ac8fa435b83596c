// The peer for `npm run bench`: node-oidc-provider v9 (the engine under Logto) configured like Sigil's
// bench setup: one confidential client (client_credentials, client_secret_basic), two resource servers with
// scope read:bench: https://bench.api (JWT access tokens signed ES256) and https://bench-opaque.api (opaque
// access tokens), and token introspection. An in-memory Map adapter (like its default, without the LRU's 1,000-entry
// cap) is used, so the peer persists nothing to disk per request (Sigil writes an audit record per token request to SQLite).
//
// A second client signs a person in (authorization_code + refresh_token, client_secret_basic), as a
// Traditional app with a Logto SDK does against Sigil; the login and consent interaction is answered at once
// for the one bench account (no UI: the bench measures the token endpoint, not a sign-in page).
//
// Run as its own process: node bench/peer/provider.mjs, configured by env
//   PEER_PORT, PEER_CLIENT_ID, PEER_CLIENT_SECRET, PEER_RESOURCE, PEER_OPAQUE_RESOURCE, PEER_SCOPE,
//   PEER_CODE_CLIENT_ID, PEER_CODE_CLIENT_SECRET, PEER_REDIRECT_URI
// It prints one line `ready <issuer> <discovery json>` when listening.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PEER_PORT ?? 0);
const clientId = process.env.PEER_CLIENT_ID ?? 'bench-client';
const clientSecret = process.env.PEER_CLIENT_SECRET ?? randomBytes(24).toString('base64url');
const resource = process.env.PEER_RESOURCE ?? 'https://bench.api';
const opaqueResource = process.env.PEER_OPAQUE_RESOURCE ?? 'https://bench-opaque.api';
const scope = process.env.PEER_SCOPE ?? 'read:bench';
const codeClientId = process.env.PEER_CODE_CLIENT_ID ?? 'bench-web';
const codeClientSecret = process.env.PEER_CODE_CLIENT_SECRET ?? randomBytes(24).toString('base64url');
const redirectUri = process.env.PEER_REDIRECT_URI ?? 'http://127.0.0.1:9/callback';
const ACCOUNT = 'bench-user';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'bench-es256', alg: 'ES256', use: 'sig' };

const server = createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

// In memory like the default adapter, but a plain Map: the default keeps at most 1,000 entries (an LRU), so
// the codes minted for a run were evicted by the sessions, interactions and grants minted after them.
const entries = new Map();
const byGrant = new Map();
class MapAdapter {
  constructor(name) { this.name = name; }
  key(id) { return `${this.name}:${id}`; }
  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    if (payload.grantId) byGrant.set(payload.grantId, [...(byGrant.get(payload.grantId) ?? []), key]);
    if (payload.uid) entries.set(`uid:${payload.uid}`, { payload: id, expiresAt: Infinity });
    if (payload.userCode) entries.set(`userCode:${payload.userCode}`, { payload: id, expiresAt: Infinity });
  }
  async find(id) {
    const entry = entries.get(this.key(id));
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  }
  async findByUid(uid) { const id = entries.get(`uid:${uid}`)?.payload; return id ? this.find(id) : undefined; }
  async findByUserCode(code) { const id = entries.get(`userCode:${code}`)?.payload; return id ? this.find(id) : undefined; }
  async consume(id) { const entry = entries.get(this.key(id)); if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { entries.delete(this.key(id)); }
  async revokeByGrantId(grantId) { for (const key of byGrant.get(grantId) ?? []) entries.delete(key); byGrant.delete(grantId); }
}

const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      // The only key is ES256, so the client's (unused) ID token alg must say so too.
      id_token_signed_response_alg: 'ES256',
      scope,
    },
    {
      client_id: codeClientId,
      client_secret: codeClientSecret,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'offline_access', scope],
  ttl: { ClientCredentials: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator === opaqueResource) return { scope, audience: opaqueResource, accessTokenTTL: 3600, accessTokenFormat: 'opaque' };
        if (indicator !== resource) throw new Provider.errors.InvalidTarget();
        return {
          scope,
          audience: resource,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
  },
});

// The bench account logs in and consents at once: openid, offline_access and the resource's scope.
async function interaction(req, res) {
  try {
    const details = await provider.interactionDetails(req, res);
    const grant = (details.grantId && (await provider.Grant.find(details.grantId))) || new provider.Grant({ accountId: ACCOUNT, clientId: details.params.client_id });
    grant.addOIDCScope(`openid offline_access ${scope}`); // the bench scope is also listed in `scopes` (client_credentials)
    grant.addResourceScope(resource, scope);
    const grantId = await grant.save();
    // Log in only when asked: a new login replaces the session, which other flows in flight still use.
    const login = details.prompt.name === 'login' ? { login: { accountId: ACCOUNT } } : {};
    await provider.interactionFinished(req, res, { ...login, consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
}

const callback = provider.callback();
server.on('request', (req, res) => (req.url?.startsWith('/interaction/') ? interaction(req, res) : callback(req, res)));
server.keepAliveTimeout = 65_000;
// The discovery document names the token endpoint; read it so the runner never guesses the path.
const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
console.log(`ready ${issuer} ${JSON.stringify(discovery)}`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
