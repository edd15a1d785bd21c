// private_key_jwt client authentication (RFC 7523, OIDC Core 9) driven with openid-client against a running IdP. Usage:
//   node private-key-jwt.mjs '<json>'  with {issuer, redirectUri, email, password,
//     signer: {clientId, key} (registered JWKS; code flow), fetcher: {clientId, key, scope} (jwks_uri; client_credentials),
//     impostorKey}   (keys: private JWKs from keys.mjs)
// Prints one line per check (checks.mjs) and exits 1 if any failed.
import * as client from 'openid-client';
import { loopback } from './loopback.mjs';
import { Browser } from './browser.mjs';
import { check, refused, oauthError, said, finish } from './checks.mjs';

const args = JSON.parse(process.argv[2]);
const login = { email: args.email, password: args.password };

async function importKey(jwk) {
  const algorithm = jwk.kty === 'EC' ? { name: 'ECDSA', namedCurve: jwk.crv } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const { kid, alg, ...material } = jwk;
  return { key: await crypto.subtle.importKey('jwk', { ...material, alg }, algorithm, false, ['sign']), kid };
}

/** The last token-endpoint request body each configuration sent, to replay it byte for byte. */
const sent = [];
const recordingFetch = (url, options) => {
  if (options?.body) sent.push({ url, body: options.body.toString() });
  return fetch(url, options);
};

/** A configuration authenticating with private_key_jwt; `modify(header, payload)` changes the assertion before signing. */
async function configure({ clientId }, key, modify, auth) {
  const options = modify ? { [client.modifyAssertion]: modify } : undefined;
  const config = await client.discovery(new URL(args.issuer), clientId,
    { client_id: clientId, redirect_uris: [args.redirectUri], id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'private_key_jwt' },
    auth ?? client.PrivateKeyJwt(key, options), loopback);
  config[client.customFetch] = recordingFetch;
  return config;
}

const signerKey = await importKey(args.signer.key);
const fetcherKey = await importKey(args.fetcher.key);
const signer = await configure(args.signer, signerKey);
const fetcher = await configure(args.fetcher, fetcherKey);
const browser = new Browser();
const tokenEndpoint = `${args.issuer}/connect/token`;
const parEndpoint = `${args.issuer}/connect/par`;
const grant = config => client.clientCredentialsGrant(config, { scope: args.fetcher.scope });
const withAssertion = (change, key = fetcherKey) => configure(args.fetcher, key, change);
const invalidClient = e => e?.status === 401 && e.error === 'invalid_client';

async function codeFlow(config) {
  const verifier = client.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const url = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: args.redirectUri, scope: 'openid profile offline_access', state: checks.expectedState, nonce: checks.expectedNonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const landed = await browser.navigate(url.href, args.redirectUri, login);
  if (!landed.url.startsWith(args.redirectUri)) throw new Error(`no callback: ${landed.status}`);
  return client.authorizationCodeGrant(config, new URL(landed.url), checks);
}

await check('discovery lists private_key_jwt and its signing algorithms', async () => {
  const m = signer.serverMetadata();
  const ok = m.token_endpoint_auth_methods_supported.includes('private_key_jwt')
    && ['ES256', 'RS256', 'PS256'].every(a => m.token_endpoint_auth_signing_alg_values_supported.includes(a));
  return [ok, `${m.token_endpoint_auth_methods_supported} / ${m.token_endpoint_auth_signing_alg_values_supported}`];
});

await check('a client with a registered JWKS pushes, redeems, refreshes and introspects with private_key_jwt (ES256)', async () => {
  const tokens = await codeFlow(signer);
  const refreshed = await client.refreshTokenGrant(signer, tokens.refresh_token);
  const introspected = await client.tokenIntrospection(signer, refreshed.access_token);
  return [!!tokens.claims()?.sub && introspected.active === true && introspected.client_id === args.signer.clientId,
    `sub ${tokens.claims()?.sub}, refreshed ${!!refreshed.access_token}, introspection active ${introspected.active}`];
});

await check('a client with a jwks_uri gets a client_credentials token with private_key_jwt (RS256)', async () => {
  const tokens = await grant(fetcher);
  return [tokens.token_type.toLowerCase() === 'bearer' && tokens.scope === args.fetcher.scope, `${tokens.token_type} ${tokens.scope}`];
});

await check('aud as the token endpoint URL is accepted', async () => {
  const tokens = await grant(await withAssertion((_, p) => { p.aud = tokenEndpoint; }));
  return [!!tokens.access_token, 'token issued'];
});

await check('aud as the PAR endpoint URL is accepted at the PAR endpoint', async () => {
  const config = await configure(args.signer, signerKey, (_, p) => { p.aud = parEndpoint; });
  const url = await client.buildAuthorizationUrlWithPAR(config, { redirect_uri: args.redirectUri, scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
  return [url.searchParams.get('request_uri')?.startsWith('urn:ietf:params:oauth:request_uri:'), url.search.slice(0, 80)];
});

for (const [name, change, key] of [
  ['a wrong aud is invalid_client (401)', (_, p) => { p.aud = 'https://elsewhere.example'; }],
  ['the PAR endpoint URL as aud is refused at the token endpoint', (_, p) => { p.aud = parEndpoint; }],
  ['an assertion without exp is invalid_client (401)', (_, p) => { delete p.exp; }],
  ['an assertion valid for an hour is invalid_client (401)', (_, p) => { p.exp = p.iat + 3600; }],
  ['an assertion whose iss is another client is invalid_client (401)', (_, p) => { p.iss = args.signer.clientId; p.sub = args.signer.clientId; }],
  ['an assertion signed with an unregistered key (same kid) is invalid_client (401)', undefined, 'impostor'],
]) {
  await check(name, async () => {
    const signing = key === 'impostor' ? await importKey(args.impostorKey) : fetcherKey;
    const e = await oauthError(await refused(grant(await withAssertion(change, signing))));
    return [invalidClient(e), said(e)];
  });
}

await check('a replayed client assertion (the same request again) is invalid_client (401)', async () => {
  await grant(fetcher);
  const first = sent.findLast(s => s.url.toString() === tokenEndpoint);
  const res = await fetch(tokenEndpoint, { method: 'POST', body: new URLSearchParams(first.body) });
  const body = await res.json();
  return [res.status === 401 && body.error === 'invalid_client', `${res.status} ${body.error}: ${body.error_description}`];
});

await check('a new assertion reusing a jti is invalid_client (401)', async () => {
  let jti;
  await grant(await withAssertion((_, p) => { jti = p.jti; }));
  const e = await oauthError(await refused(grant(await withAssertion((_, p) => { p.jti = jti; }))));
  return [invalidClient(e), said(e)];
});

await check('a client registered with keys cannot authenticate with a secret', async () => {
  const config = await configure(args.fetcher, undefined, undefined, client.ClientSecretPost('x'.repeat(43)));
  const e = await oauthError(await refused(grant(config)));
  return [invalidClient(e), said(e)];
});

finish();
