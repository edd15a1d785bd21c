// DPoP (RFC 9449) driven with openid-client (its DPoP handle is oauth4webapi's) against a running IdP. Usage:
//   node dpop.mjs '<json>'  with {issuer, redirectUri, email, password, spa: {clientId}, strict: {clientId},
//                                 rs: {clientId, clientSecret}, api: {clientId, clientSecret, scope}, nonce?: true}
// "spa" is a public client, "strict" a public client registered with dpop_bound_access_tokens, "rs" a confidential
// client that introspects, "api" a confidential client_credentials client. With nonce: true the IdP requires server
// nonces (Oidc:Dpop:RequireNonce) and only the nonce checks run. Negative cases send hand-made proofs (WebCrypto),
// signed with the key the tokens are bound to, so only the one claim under test is wrong.
// Prints one line per check (checks.mjs) and exits 1 if any failed.
import * as client from 'openid-client';
import { Browser } from './browser.mjs';
import { loopback } from './loopback.mjs';
import { check, refused, said, finish } from './checks.mjs';

const args = JSON.parse(process.argv[2]);
const login = { email: args.email, password: args.password };
const tokenUrl = `${args.issuer}/connect/token`;
const userinfoUrl = `${args.issuer}/connect/userinfo`;

const b64u = bytes => Buffer.from(bytes).toString('base64url');

async function publicJwk(keyPair) {
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
  return { kty, crv, x, y };
}

/** RFC 7638 thumbprint of an EC key: SHA-256 of the required members in lexicographic order. */
async function thumbprint(keyPair) {
  const { crv, kty, x, y } = await publicJwk(keyPair);
  return b64u(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv, kty, x, y }))));
}

/** A DPoP proof signed with keyPair; claims and header override the correct defaults for a request. */
async function proof(keyPair, claims, header = {}) {
  const h = { typ: 'dpop+jwt', alg: 'ES256', jwk: await publicJwk(keyPair), ...header };
  const p = { jti: crypto.randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims };
  const input = `${b64u(JSON.stringify(h))}.${b64u(JSON.stringify(p))}`;
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, new TextEncoder().encode(input));
  return `${input}.${b64u(signature)}`;
}

const ath = async token => b64u(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));

/** A token request with a hand-made proof (or none): {status, error, description, nonce}. */
async function tokenRequest(dpopProof, form) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (dpopProof) headers.dpop = dpopProof;
  const res = await fetch(tokenUrl, { method: 'POST', headers, body: new URLSearchParams(form) });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, error: body.error, description: body.error_description, nonce: res.headers.get('dpop-nonce'), body };
}

/** A userinfo request: {status, challenge (WWW-Authenticate), nonce}. */
async function userinfo(authorization, dpopProof, method = 'GET') {
  const headers = { authorization };
  if (dpopProof) headers.dpop = dpopProof;
  const res = await fetch(userinfoUrl, { method, headers });
  return { status: res.status, challenge: res.headers.get('www-authenticate') ?? '', nonce: res.headers.get('dpop-nonce'), body: await res.text() };
}

const challenged = (r, error) => r.status === 401 && r.challenge.startsWith('DPoP ') && r.challenge.includes(`error="${error}"`);
const shown = r => `${r.status} ${r.error ?? r.challenge} ${r.description ?? ''}`.trim();
const claimsOf = jwt => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

async function configure(clientId, clientSecret) {
  return client.discovery(new URL(args.issuer), clientId,
    { client_id: clientId, redirect_uris: [args.redirectUri], id_token_signed_response_alg: 'ES256', ...(clientSecret ? { client_secret: clientSecret } : {}) },
    clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(), loopback);
}

async function request(extra = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const parameters = {
    redirect_uri: args.redirectUri, scope: 'openid profile offline_access', state: checks.expectedState, nonce: checks.expectedNonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  };
  return { parameters, checks };
}

const browser = new Browser();
/** Logs in through the browser and returns the callback URL (or throws with where it landed). */
async function callback(url) {
  const landed = await browser.navigate(url.href, args.redirectUri, login);
  if (!landed.url?.startsWith(args.redirectUri)) throw new Error(`landed on ${landed.status} ${landed.url ?? ''}`);
  return new URL(landed.url);
}

/** Front-channel code flow for config; extra goes into the authorization request. */
async function code(config, extra = {}) {
  const { parameters, checks } = await request(extra);
  return { url: await callback(client.buildAuthorizationUrl(config, parameters)), checks };
}

const spa = await configure(args.spa.clientId);
const key = await client.randomDPoPKeyPair('ES256');
const otherKey = await client.randomDPoPKeyPair('ES256');
const jkt = await thumbprint(key);

if (args.nonce) {
  // Records every DPoP-Nonce challenge the token endpoint answers, to see openid-client's retry happen.
  const challenges = [];
  spa[client.customFetch] = async (url, init) => {
    const res = await fetch(url, init);
    if (res.status === 400 && String(url).endsWith('/connect/token') && res.headers.get('dpop-nonce')) challenges.push(res.headers.get('dpop-nonce'));
    return res;
  };
  let tokens;
  await check('with nonces required, the token endpoint answers use_dpop_nonce with a DPoP-Nonce and openid-client\'s retry succeeds', async () => {
    const { url, checks } = await code(spa);
    tokens = await client.authorizationCodeGrant(spa, url, checks, undefined, { DPoP: client.getDPoPHandle(spa, key) });
    return [challenges.length === 1 && tokens.token_type === 'dpop', `${challenges.length} nonce challenge(s), token_type ${tokens.token_type}`];
  });
  await check('a proof without a nonce at the token endpoint is use_dpop_nonce (400) with a fresh DPoP-Nonce', async () => {
    const r = await tokenRequest(await proof(key, { htm: 'POST', htu: tokenUrl }), { grant_type: 'refresh_token', refresh_token: 'x', client_id: args.spa.clientId });
    return [r.status === 400 && r.error === 'use_dpop_nonce' && !!r.nonce, shown(r)];
  });
  await check('a made-up nonce is use_dpop_nonce', async () => {
    const r = await tokenRequest(await proof(key, { htm: 'POST', htu: tokenUrl, nonce: 'made-up' }), { grant_type: 'refresh_token', refresh_token: 'x', client_id: args.spa.clientId });
    return [r.error === 'use_dpop_nonce', shown(r)];
  });
  await check('userinfo without a nonce answers 401 DPoP error="use_dpop_nonce" with a DPoP-Nonce; with it the call succeeds', async () => {
    const token = tokens.access_token;
    const first = await userinfo(`DPoP ${token}`, await proof(key, { htm: 'GET', htu: userinfoUrl, ath: await ath(token) }));
    const second = await userinfo(`DPoP ${token}`, await proof(key, { htm: 'GET', htu: userinfoUrl, ath: await ath(token), nonce: first.nonce }));
    return [challenged(first, 'use_dpop_nonce') && !!first.nonce && second.status === 200, `${first.status} ${first.challenge} then ${second.status}`];
  });
  finish();
}

const strict = await configure(args.strict.clientId);
const rs = await configure(args.rs.clientId, args.rs.clientSecret);
const api = await configure(args.api.clientId, args.api.clientSecret);
const dpop = client.getDPoPHandle(spa, key);

await check('discovery lists dpop_signing_alg_values_supported (asymmetric algorithms only)', async () => {
  const algs = spa.serverMetadata().dpop_signing_alg_values_supported ?? [];
  return [algs.includes('ES256') && algs.includes('PS256') && algs.includes('RS256') && !algs.some(a => a.startsWith('HS') || a === 'none'), algs.join(' ')];
});

let tokens;
await check('the code flow with DPoP gives token_type DPoP and an access token bound to the key (cnf.jkt)', async () => {
  const { url, checks } = await code(spa);
  tokens = await client.authorizationCodeGrant(spa, url, checks, undefined, { DPoP: dpop });
  const cnf = claimsOf(tokens.access_token).cnf;
  return [tokens.token_type === 'dpop' && cnf?.jkt === jkt && !!tokens.refresh_token, `token_type ${tokens.token_type}, cnf ${JSON.stringify(cnf)}`];
});

await check('userinfo answers a DPoP-bound token presented with the DPoP scheme and a proof', async () => {
  const info = await client.fetchUserInfo(spa, tokens.access_token, client.skipSubjectCheck, { DPoP: dpop });
  return [!!info.sub && info.name === 'Ana Lestari', `sub ${info.sub}`];
});

await check('a DPoP-bound token presented as Bearer is refused (401, DPoP error="invalid_token")', async () => {
  const r = await userinfo(`Bearer ${tokens.access_token}`);
  return [challenged(r, 'invalid_token'), shown(r)];
});

await check('introspection shows the key (cnf.jkt) and token_type DPoP', async () => {
  const info = await client.tokenIntrospection(rs, tokens.access_token);
  const refresh = await client.tokenIntrospection(rs, tokens.refresh_token);
  return [info.active && info.cnf?.jkt === jkt && info.token_type === 'DPoP' && refresh.cnf?.jkt === jkt,
    `access ${JSON.stringify(info.cnf)} ${info.token_type}, refresh ${JSON.stringify(refresh.cnf)}`];
});

await check('a refresh with another key is invalid_grant and does not spend the token', async () => {
  const e = await refused(client.refreshTokenGrant(spa, tokens.refresh_token, undefined, { DPoP: client.getDPoPHandle(spa, otherKey) }));
  const still = await client.tokenIntrospection(rs, tokens.refresh_token);
  return [e?.error === 'invalid_grant' && still.active === true, `${said(e)}, afterwards active ${still.active}`];
});

await check('a refresh without a proof is invalid_dpop_proof', async () => {
  const e = await refused(client.refreshTokenGrant(spa, tokens.refresh_token));
  return [e?.error === 'invalid_dpop_proof', said(e)];
});

await check('a refresh with the key gives a new DPoP-bound access token and a refresh token bound to the same key', async () => {
  const next = await client.refreshTokenGrant(spa, tokens.refresh_token, undefined, { DPoP: dpop });
  const refresh = await client.tokenIntrospection(rs, next.refresh_token);
  const info = await client.fetchUserInfo(spa, next.access_token, client.skipSubjectCheck, { DPoP: dpop });
  tokens = next;
  return [next.token_type === 'dpop' && claimsOf(next.access_token).cnf?.jkt === jkt && refresh.cnf?.jkt === jkt && !!info.sub,
    `token_type ${next.token_type}, refresh cnf ${JSON.stringify(refresh.cnf)}`];
});

// Hand-made proofs at the token endpoint go with a made-up refresh token: a proof that passes reaches the grant
// (invalid_grant), one that fails never does (invalid_dpop_proof).
const bogusRefresh = { grant_type: 'refresh_token', refresh_token: 'not-a-token', client_id: args.spa.clientId };

await check('a replayed proof at the token endpoint is invalid_dpop_proof (the first use passed)', async () => {
  const p = await proof(key, { htm: 'POST', htu: tokenUrl });
  const first = await tokenRequest(p, bogusRefresh);
  const again = await tokenRequest(p, bogusRefresh);
  return [first.error === 'invalid_grant' && again.error === 'invalid_dpop_proof' && /replay/.test(again.description), `${shown(first)} then ${shown(again)}`];
});

await check('a replayed proof at userinfo is refused (401 invalid_dpop_proof; the first use passed)', async () => {
  const p = await proof(key, { htm: 'GET', htu: userinfoUrl, ath: await ath(tokens.access_token) });
  const first = await userinfo(`DPoP ${tokens.access_token}`, p);
  const again = await userinfo(`DPoP ${tokens.access_token}`, p);
  return [first.status === 200 && challenged(again, 'invalid_dpop_proof'), `${first.status} then ${shown(again)}`];
});

for (const [name, claims, headers] of [
  ['a wrong htu (the userinfo URL) at the token endpoint is invalid_dpop_proof', { htm: 'POST', htu: userinfoUrl }],
  ['a wrong htu (another host) at the token endpoint is invalid_dpop_proof', { htm: 'POST', htu: tokenUrl.replace('127.0.0.1', 'localhost') }],
  ['a wrong htm (GET) at the token endpoint is invalid_dpop_proof', { htm: 'GET', htu: tokenUrl }],
  ['an old iat (two minutes ago) is invalid_dpop_proof', { htm: 'POST', htu: tokenUrl, iat: Math.floor(Date.now() / 1000) - 120 }],
  ['an iat two minutes ahead is invalid_dpop_proof', { htm: 'POST', htu: tokenUrl, iat: Math.floor(Date.now() / 1000) + 120 }],
  ['a proof without jti is invalid_dpop_proof', { htm: 'POST', htu: tokenUrl, jti: undefined }],
  ['typ JWT instead of dpop+jwt is invalid_dpop_proof', { htm: 'POST', htu: tokenUrl }, { typ: 'JWT' }],
  // The public members are the real ones (the signature verifies); only the added private part is wrong.
  ['a jwk with its private part is invalid_dpop_proof', { htm: 'POST', htu: tokenUrl }, { jwk: { ...(await publicJwk(key)), d: b64u(new Uint8Array(32)) } }],
]) {
  await check(name, async () => {
    const r = await tokenRequest(await proof(key, claims, headers), bogusRefresh);
    return [r.status === 400 && r.error === 'invalid_dpop_proof', shown(r)];
  });
}

await check('a proof signed with another key than its jwk is invalid_dpop_proof', async () => {
  const forged = (await proof(otherKey, { htm: 'POST', htu: tokenUrl })).split('.');
  const header = b64u(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: await publicJwk(key) }));
  const r = await tokenRequest(`${header}.${forged[1]}.${forged[2]}`, bogusRefresh);
  return [r.error === 'invalid_dpop_proof', shown(r)];
});

await check('an htu with a query and fragment still matches (compared without them)', async () => {
  const r = await tokenRequest(await proof(key, { htm: 'POST', htu: `${tokenUrl}?x=1#f` }), bogusRefresh);
  return [r.error === 'invalid_grant', shown(r)];
});

for (const [name, claims, method] of [
  ['a wrong htu (the token endpoint) at userinfo is refused (401 invalid_dpop_proof)', { htm: 'GET', htu: tokenUrl }, 'GET'],
  ['a wrong htm (POST for a GET) at userinfo is refused (401 invalid_dpop_proof)', { htm: 'POST', htu: userinfoUrl }, 'GET'],
  ['an old iat at userinfo is refused (401 invalid_dpop_proof)', { htm: 'GET', htu: userinfoUrl, iat: Math.floor(Date.now() / 1000) - 120 }, 'GET'],
  ['a proof without ath at userinfo is refused (401 invalid_dpop_proof)', { htm: 'GET', htu: userinfoUrl, ath: null }, 'GET'],
  ['a proof with the ath of another token at userinfo is refused (401 invalid_dpop_proof)', { htm: 'GET', htu: userinfoUrl, ath: 'A'.repeat(43) }, 'GET'],
]) {
  await check(name, async () => {
    const withAth = { ath: await ath(tokens.access_token), ...claims };
    if (withAth.ath === null) delete withAth.ath;
    const r = await userinfo(`DPoP ${tokens.access_token}`, await proof(key, withAth), method);
    return [challenged(r, 'invalid_dpop_proof') && r.challenge.includes('algs="'), shown(r)];
  });
}

await check('a proof signed with another key at userinfo is refused (401 invalid_dpop_proof)', async () => {
  const r = await userinfo(`DPoP ${tokens.access_token}`, await proof(otherKey, { htm: 'GET', htu: userinfoUrl, ath: await ath(tokens.access_token) }));
  return [challenged(r, 'invalid_dpop_proof'), shown(r)];
});

await check('userinfo without a token offers both schemes (Bearer and DPoP with algs)', async () => {
  const res = await fetch(userinfoUrl);
  const challenge = res.headers.get('www-authenticate') ?? '';
  return [res.status === 401 && challenge.includes('Bearer') && /DPoP algs="[^"]*ES256/.test(challenge), `${res.status} ${challenge}`];
});

await check('a bearer token without DPoP still works at userinfo, and is refused with the DPoP scheme', async () => {
  const { url, checks } = await code(spa);
  const bearer = await client.authorizationCodeGrant(spa, url, checks);
  const ok = await userinfo(`Bearer ${bearer.access_token}`);
  const asDpop = await userinfo(`DPoP ${bearer.access_token}`, await proof(key, { htm: 'GET', htu: userinfoUrl, ath: await ath(bearer.access_token) }));
  return [bearer.token_type === 'bearer' && ok.status === 200 && challenged(asDpop, 'invalid_token'), `${bearer.token_type} ${ok.status}, as DPoP ${shown(asDpop)}`];
});

await check('dpop_jkt in the authorization request binds the code: another key is invalid_grant, the named key redeems it', async () => {
  const { url, checks } = await code(spa, { dpop_jkt: jkt });
  const e = await refused(client.authorizationCodeGrant(spa, url, checks, undefined, { DPoP: client.getDPoPHandle(spa, otherKey) }));
  const bound = await client.authorizationCodeGrant(spa, url, checks, undefined, { DPoP: dpop });
  return [e?.error === 'invalid_grant' && claimsOf(bound.access_token).cnf?.jkt === jkt, `other key ${said(e)}, own key ${bound.token_type}`];
});

await check('a code bound by dpop_jkt is not redeemed without a proof (invalid_dpop_proof)', async () => {
  const { url, checks } = await code(spa, { dpop_jkt: jkt });
  const e = await refused(client.authorizationCodeGrant(spa, url, checks));
  return [e?.error === 'invalid_dpop_proof', said(e)];
});

await check('a DPoP proof at PAR binds the code to its key (another key is invalid_grant)', async () => {
  const { parameters, checks } = await request();
  const url = await callback(await client.buildAuthorizationUrlWithPAR(spa, parameters, { DPoP: dpop }));
  const e = await refused(client.authorizationCodeGrant(spa, url, checks, undefined, { DPoP: client.getDPoPHandle(spa, otherKey) }));
  const bound = await client.authorizationCodeGrant(spa, url, checks, undefined, { DPoP: dpop });
  return [e?.error === 'invalid_grant' && bound.token_type === 'dpop', `other key ${said(e)}, own key ${bound.token_type}`];
});

await check('an invalid dpop_jkt is refused at the authorization endpoint (invalid_request)', async () => {
  const { parameters } = await request({ dpop_jkt: 'short' });
  const landed = await browser.navigate(client.buildAuthorizationUrl(spa, parameters).href, args.redirectUri, login);
  const back = landed.url ? new URL(landed.url) : null;
  return [back?.searchParams.get('error') === 'invalid_request', landed.url ?? `${landed.status}`];
});

await check('a client registered with dpop_bound_access_tokens is refused a token without a proof (invalid_dpop_proof)', async () => {
  const { url, checks } = await code(strict);
  const e = await refused(client.authorizationCodeGrant(strict, url, checks));
  return [e?.error === 'invalid_dpop_proof', said(e)];
});

await check('a client registered with dpop_bound_access_tokens gets a DPoP-bound token with a proof', async () => {
  const { url, checks } = await code(strict);
  const bound = await client.authorizationCodeGrant(strict, url, checks, undefined, { DPoP: client.getDPoPHandle(strict, key) });
  return [bound.token_type === 'dpop', bound.token_type];
});

await check('client_credentials with DPoP gives a DPoP-bound token; the confidential client\'s tokens need no refresh binding', async () => {
  const t = await client.clientCredentialsGrant(api, { scope: args.api.scope }, { DPoP: client.getDPoPHandle(api, key) });
  return [t.token_type === 'dpop' && claimsOf(t.access_token).cnf?.jkt === jkt, `${t.token_type} ${JSON.stringify(claimsOf(t.access_token).cnf)}`];
});

await check('the gateway API refuses a DPoP-bound token as Bearer (401) and takes an unbound one', async () => {
  const call = async token => (await fetch(`${args.issuer}/api/v1/messages/unknown`, { headers: { authorization: `Bearer ${token}` } })).status;
  const bound = await client.clientCredentialsGrant(api, { scope: 'wa.send' }, { DPoP: client.getDPoPHandle(api, key) });
  const plain = await client.clientCredentialsGrant(api, { scope: 'wa.send' });
  const [asBearer, unbound] = [await call(bound.access_token), await call(plain.access_token)];
  return [asBearer === 401 && unbound !== 401, `bound ${asBearer}, unbound ${unbound}`];
});

finish();
