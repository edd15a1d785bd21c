// The error cases of docs/oidc.md, driven with openid-client against a running IdP: what a relying party sees when a
// request is wrong, a token is stolen or replayed, or a response was tampered with. Usage:
//   node negative.mjs '<json>'  with {issuer, clientId, clientSecret, redirectUri, phone}
// Prints one line per check ("ok   - name: detail" or "FAIL - name: detail") and exits 1 if any check failed.
// The user logs in once (WhatsApp OTP through the sandbox channel); later authorizations ride on that session.
import * as client from 'openid-client';
import { loopback } from './loopback.mjs';
import { Browser } from './browser.mjs';

const args = JSON.parse(process.argv[2]);
let failures = 0;

function report(name, passed, detail) {
  if (!passed) failures++;
  console.log(`${passed ? 'ok  ' : 'FAIL'} - ${name}: ${detail}`);
}

/** Runs one check; an exception (a broken step, not the expected refusal) is a failure too. */
async function check(name, fn) {
  try {
    const [passed, detail] = await fn();
    report(name, passed, detail);
  } catch (e) {
    report(name, false, `threw ${describe(e)}`);
  }
}

/** status, OAuth error code and library code of whatever openid-client threw. */
function errorOf(e) {
  const challenge = Array.isArray(e?.cause) ? e.cause.find(c => c?.parameters?.error)?.parameters.error : undefined;
  // openid-client wraps the failed check (e.cause) of oauth4webapi, whose message says which check failed.
  const reason = e?.cause instanceof Error ? e.cause.message : undefined;
  return { status: e?.status ?? e?.response?.status, error: e?.error ?? challenge, code: e?.code, message: reason ?? e?.message, response: e?.response };
}

function describe(e) {
  const { status, error, code, message } = errorOf(e);
  return [status, error, code, message].filter(x => x !== undefined).join(' ');
}

/** Awaits a promise that must be refused; returns what openid-client threw (null if it succeeded). */
async function refused(promise) {
  try { await promise; return null; } catch (e) { return errorOf(e); }
}

async function configure(secret = args.clientSecret) {
  return client.discovery(new URL(args.issuer), args.clientId,
    { client_id: args.clientId, client_secret: secret, redirect_uris: [args.redirectUri], id_token_signed_response_alg: 'ES256' },
    client.ClientSecretBasic(secret), loopback);
}

const config = await configure();
const browser = new Browser();

/** An authorization request through the browser; returns where it landed (the callback) and the checks to redeem it. */
async function authorize(params = {}, { via = browser, login = true } = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: args.redirectUri, scope: 'openid profile phone offline_access', state: checks.expectedState,
    nonce: checks.expectedNonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    ...params,
  });
  const landed = await via.navigate(url.href, args.redirectUri, login ? { phone: args.phone } : null);
  if (!landed.url.startsWith(args.redirectUri)) throw new Error(`never reached the callback: ${landed.status} ${via.visited.slice(-3).join(' > ')}`);
  return { callback: new URL(landed.url), checks };
}

/** An authorization error the IdP sent back to the client, as openid-client reports it. */
async function authorizeError(params, options) {
  const { callback, checks } = await authorize(params, options);
  const e = await refused(client.authorizationCodeGrant(config, callback, checks));
  return { e, iss: callback.searchParams.get('iss'), state: callback.searchParams.get('state'), expectedState: checks.expectedState };
}

const is = (e, error, status) => e !== null && e.error === error && (status === undefined || e.status === status);
const said = e => (e === null ? 'succeeded' : `${e.status ?? ''} ${e.error ?? e.code}`.trim());

// Before any login: prompt=none cannot show a page, so it must say login_required, with iss (RFC 9207) and state.
await check('prompt=none without a session is login_required with iss', async () => {
  const r = await authorizeError({ prompt: 'none' }, { login: false });
  return [is(r.e, 'login_required') && r.iss === args.issuer && r.state === r.expectedState, `${said(r.e)}, iss=${r.iss}`];
});

// The one login (WhatsApp OTP), whose code is then replayed.
await check('authorization code reuse is invalid_grant and kills the first access token', async () => {
  const { callback, checks } = await authorize();
  const first = await client.authorizationCodeGrant(config, callback, checks);
  const before = await client.tokenIntrospection(config, first.access_token);
  const again = await refused(client.authorizationCodeGrant(config, callback, checks));
  const after = await client.tokenIntrospection(config, first.access_token);
  const refresh = await client.tokenIntrospection(config, first.refresh_token);
  return [before.active === true && is(again, 'invalid_grant', 400) && after.active === false && refresh.active === false,
    `second use ${said(again)}; access token active ${before.active} -> ${after.active}, refresh token active ${refresh.active}`];
});

for (const [name, params, error] of [
  ['response_type=token is unsupported_response_type', { response_type: 'token' }, 'unsupported_response_type'],
  ['a request without the openid scope is invalid_scope', { scope: 'profile phone' }, 'invalid_scope'],
  ['PKCE plain is refused (invalid_request)', { code_challenge: client.randomPKCECodeVerifier(), code_challenge_method: 'plain' }, 'invalid_request'],
  ['response_mode=fragment is refused (invalid_request)', { response_mode: 'fragment' }, 'invalid_request'],
]) {
  await check(name, async () => {
    const r = await authorizeError(params);
    return [is(r.e, error) && r.iss === args.issuer && r.state === r.expectedState, `${said(r.e)}, iss=${r.iss}`];
  });
}

await check('a PKCE verifier that does not match is invalid_grant', async () => {
  const { callback, checks } = await authorize();
  const e = await refused(client.authorizationCodeGrant(config, callback, { ...checks, pkceCodeVerifier: client.randomPKCECodeVerifier() }));
  return [is(e, 'invalid_grant', 400), said(e)];
});

await check('a redirect_uri at the token endpoint other than the authorization request\'s is invalid_grant', async () => {
  const { callback, checks } = await authorize();
  // openid-client sends the URL it was called back on (without its query) as redirect_uri.
  const elsewhere = new URL(callback.search, new URL('/elsewhere', callback));
  const e = await refused(client.authorizationCodeGrant(config, elsewhere, checks));
  return [is(e, 'invalid_grant', 400), said(e)];
});

await check('a wrong client secret is invalid_client (401)', async () => {
  const { callback, checks } = await authorize();
  const e = await refused(client.authorizationCodeGrant(await configure(args.clientSecret + 'x'), callback, checks));
  // A 401 with WWW-Authenticate makes openid-client throw the challenge; the RFC 6749 error is in the JSON body.
  const body = await e?.response?.json().catch(() => null);
  const scheme = Array.isArray(e?.cause) ? e.cause[0]?.scheme : undefined;
  return [e?.status === 401 && body?.error === 'invalid_client', `${e?.status} ${body?.error}, WWW-Authenticate ${scheme}`];
});

await check('a rotated refresh token presented again is invalid_grant and revokes the family', async () => {
  const { callback, checks } = await authorize();
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  const rotated = await client.refreshTokenGrant(config, tokens.refresh_token);
  const replay = await refused(client.refreshTokenGrant(config, tokens.refresh_token));
  const newest = await refused(client.refreshTokenGrant(config, rotated.refresh_token));
  return [rotated.refresh_token !== tokens.refresh_token && is(replay, 'invalid_grant', 400) && is(newest, 'invalid_grant', 400),
    `replay ${said(replay)}, the newest token of the family then ${said(newest)}`];
});

await check('no refresh token without offline_access', async () => {
  const { callback, checks } = await authorize({ scope: 'openid profile' });
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  return [!!tokens.access_token && tokens.refresh_token === undefined, `access token ${!!tokens.access_token}, refresh token ${tokens.refresh_token ?? 'none'}`];
});

// openid-client's own response checks. Each refused response is then redeemed correctly, which proves the library
// stopped before using the code (state, iss) or after checking the ID token (nonce: the code is spent by then).
for (const [name, what, tamper] of [
  ['a tampered state is rejected by openid-client before the code is used', 'state', (u, c) => [u, { ...c, expectedState: client.randomState() }]],
  ['a tampered iss is rejected by openid-client before the code is used', 'iss', (u, c) => { const t = new URL(u); t.searchParams.set('iss', 'https://evil.example'); return [t, c]; }],
  ['a missing iss is rejected by openid-client (the IdP advertises RFC 9207)', 'iss', (u, c) => { const t = new URL(u); t.searchParams.delete('iss'); return [t, c]; }],
]) {
  await check(name, async () => {
    const { callback, checks } = await authorize();
    const e = await refused(client.authorizationCodeGrant(config, ...tamper(callback, checks)));
    const honest = await client.authorizationCodeGrant(config, callback, checks);
    return [e?.code === 'OAUTH_INVALID_RESPONSE' && e.message.includes(`"${what}"`) && !!honest.access_token,
      `${e?.code}: ${e?.message}; the untouched response still redeems`];
  });
}

await check('an ID token with another nonce is rejected by openid-client', async () => {
  const { callback, checks } = await authorize();
  const e = await refused(client.authorizationCodeGrant(config, callback, { ...checks, expectedNonce: client.randomNonce() }));
  return [e?.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && e.message.includes('"nonce"'), `${e?.code}: ${e?.message}`];
});

let idToken;
await check('a revoked access token is inactive at introspection and refused by userinfo (401 invalid_token)', async () => {
  const { callback, checks } = await authorize();
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  idToken = tokens.id_token;
  const sub = tokens.claims().sub;
  const before = await client.fetchUserInfo(config, tokens.access_token, sub);
  await client.tokenRevocation(config, tokens.access_token);
  const introspected = await client.tokenIntrospection(config, tokens.access_token);
  const e = await refused(client.fetchUserInfo(config, tokens.access_token, sub));
  return [before.sub === sub && introspected.active === false && is(e, 'invalid_token', 401),
    `userinfo before ${before.sub === sub ? 'ok' : 'wrong'}, introspection active ${introspected.active}, userinfo after ${said(e)}`];
});

await check('a revoked refresh token is inactive and cannot be used', async () => {
  const { callback, checks } = await authorize();
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  await client.tokenRevocation(config, tokens.refresh_token);
  const introspected = await client.tokenIntrospection(config, tokens.refresh_token);
  const e = await refused(client.refreshTokenGrant(config, tokens.refresh_token));
  return [introspected.active === false && is(e, 'invalid_grant', 400), `introspection active ${introspected.active}, refresh ${said(e)}`];
});

await check('an unregistered post_logout_redirect_uri is refused without a redirect', async () => {
  const url = client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/bye', state: 's' });
  const res = await browser.request(url.href);
  const body = await res.text();
  // Still signed in: a silent authorization still gets a code.
  const { callback } = await authorize({ prompt: 'none' }, { login: false });
  return [res.status === 400 && res.headers.get('location') === null && !body.includes('evil.example') && callback.searchParams.has('code'),
    `${res.status}, location ${res.headers.get('location')}, session kept ${callback.searchParams.has('code')}`];
});

console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
