// The reference OpenID Provider: npm oidc-provider with the same client, an ES256 key, the same token lifetimes and
// JWT (ES256) access tokens, like WaIdentity's. Usage: node reference-op.mjs PORT TOKENS_FILE TOKEN_COUNT
// It writes TOKEN_COUNT refresh tokens (one rotation family each) to TOKENS_FILE once it listens.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Provider from 'oidc-provider';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, LIFETIMES } from './lib/servers.mjs';

const [port, tokensFile, tokenCount] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4])];
const API = 'urn:waidentity:bench:api';
/**
 * oidc-provider's built-in memory adapter is an LRU of 1,000 entries: under load it evicts the seeded refresh tokens
 * and grants ("refresh token not found"), which WaIdentity's database never does. This adapter keeps everything in
 * plain Maps, with the same semantics, so both servers hold their whole state.
 */
const store = new Map();
const grants = new Map();
class MapAdapter {
  constructor(model) { this.model = model; }
  key(id) { return `${this.model}:${id}`; }
  async upsert(id, payload) {
    store.set(this.key(id), payload);
    if (payload.grantId) {
      if (!grants.has(payload.grantId)) grants.set(payload.grantId, []);
      grants.get(payload.grantId).push(this.key(id));
    }
  }
  async find(id) { return store.get(this.key(id)); }
  async findByUid(uid) { for (const v of store.values()) if (v.uid === uid) return v; return undefined; }
  async findByUserCode(code) { for (const v of store.values()) if (v.userCode === code) return v; return undefined; }
  async consume(id) { const v = store.get(this.key(id)); if (v) v.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { store.delete(this.key(id)); }
  async revokeByGrantId(grantId) { for (const k of grants.get(grantId) ?? []) store.delete(k); grants.delete(grantId); }
}

const key = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

const provider = new Provider(`http://127.0.0.1:${port}`, {
  adapter: MapAdapter,
  clients: [{
    client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT_URI], response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'], id_token_signed_response_alg: 'ES256',
    token_endpoint_auth_method: 'client_secret_basic', scope: 'openid offline_access api',
  }],
  jwks: { keys: [{ ...key, kid: 'bench-es256', use: 'sig', alg: 'ES256' }] },
  scopes: ['openid', 'offline_access', 'api'],
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => API,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'api', audience: API, accessTokenTTL: LIFETIMES.accessSeconds, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
    },
  },
  enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
  rotateRefreshToken: true,
  ttl: {
    AccessToken: LIFETIMES.accessSeconds, ClientCredentials: LIFETIMES.accessSeconds, IdToken: LIFETIMES.idSeconds,
    RefreshToken: LIFETIMES.refreshAbsoluteHours * 3600, Grant: LIFETIMES.refreshAbsoluteHours * 3600,
  },
});

const server = provider.listen(port, '127.0.0.1');

// Refresh tokens as a completed login would leave them: a grant with openid offline_access and the API scope.
const client = await provider.Client.find(CLIENT_ID);
const tokens = [];
for (let i = 0; i < tokenCount; i++) {
  const grant = new provider.Grant({ accountId: `user-${i}`, clientId: CLIENT_ID });
  grant.addOIDCScope('openid offline_access');
  grant.addResourceScope(API, 'api');
  const grantId = await grant.save();
  const token = new provider.RefreshToken({
    client, accountId: `user-${i}`, grantId, gty: 'authorization_code', scope: 'openid offline_access api', resource: API,
    authTime: Math.floor(Date.now() / 1000), sessionUid: crypto.randomUUID(),
  });
  tokens.push(await token.save());
}
fs.writeFileSync(tokensFile + '.tmp', JSON.stringify(tokens));
fs.renameSync(tokensFile + '.tmp', tokensFile);

process.on('SIGTERM', () => server.close(() => process.exit(0)));
