// The whole relying-party life cycle with openid-client against a running IdP. Usage:
//   node flow.mjs '<json>'  with {issuer, clientId, clientSecret?, redirectUri, postLogoutRedirectUri,
//                                 phone (WhatsApp OTP login through the sandbox channel) or email + password,
//                                 scope, alg?, second?: {clientId, clientSecret?, redirectUri}}
// Prints one JSON object: what each step saw. The C# test asserts on it.
import * as client from 'openid-client';
import { loopback } from './loopback.mjs';
import { Browser } from './browser.mjs';

const args = JSON.parse(process.argv[2]);
const out = {};
const credentials = args.phone ? { phone: args.phone } : { email: args.email, password: args.password };

async function configure(c) {
  const metadata = { client_id: c.clientId, redirect_uris: [c.redirectUri], id_token_signed_response_alg: c.alg ?? 'ES256' };
  const auth = c.clientSecret ? client.ClientSecretBasic(c.clientSecret) : client.None();
  if (c.clientSecret) metadata.client_secret = c.clientSecret;
  return client.discovery(new URL(args.issuer), c.clientId, metadata, auth, loopback);
}

async function login(config, c, browser, extra = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: c.redirectUri, scope: args.scope, state: checks.expectedState, nonce: checks.expectedNonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  });
  const before = browser.visited.length;
  const landed = await browser.navigate(url.href, c.redirectUri, credentials);
  // A login form was submitted (the phone and code, or the password): not single sign-on.
  const sawLoginPage = browser.visited.slice(before).some(v => v.startsWith('POST /login'));
  const callback = new URL(landed.url);
  if (callback.searchParams.get('error')) return { error: callback.searchParams.get('error'), iss: callback.searchParams.get('iss'), sawLoginPage };
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  return { tokens, sawLoginPage, iss: callback.searchParams.get('iss') };
}

async function step(name, fn) {
  try { out[name] = await fn(); } catch (e) { out[name] = { failed: true, error: e.error ?? e.code ?? e.name, message: e.message }; }
}

const browser = new Browser();
const config = await configure(args);
out.discovery = { issuer: config.serverMetadata().issuer, issParameter: config.serverMetadata().authorization_response_iss_parameter_supported };
let tokens;
await step('login', async () => {
  const r = await login(config, args, browser);
  tokens = r.tokens;
  return r.error ? r : { claims: tokens.claims(), scope: tokens.scope, hasRefreshToken: !!tokens.refresh_token, sawLoginPage: r.sawLoginPage, iss: r.iss };
});
if (!tokens) { console.log(JSON.stringify(out)); process.exit(0); }

await step('userinfo', () => client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub));
let refreshed;
await step('refresh', async () => {
  refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  return { rotated: refreshed.refresh_token !== tokens.refresh_token, sub: refreshed.claims()?.sub };
});
await step('introspectAccess', () => client.tokenIntrospection(config, refreshed.access_token));
await step('introspectRefresh', () => client.tokenIntrospection(config, refreshed.refresh_token));
await step('revoke', async () => { await client.tokenRevocation(config, refreshed.access_token); return { done: true }; });
await step('introspectRevoked', () => client.tokenIntrospection(config, refreshed.access_token));
await step('userinfoAfterRevoke', () => client.fetchUserInfo(config, refreshed.access_token, tokens.claims().sub));

if (args.second) {
  await step('sso', async () => {
    const secondConfig = await configure(args.second);
    const r = await login(secondConfig, args.second, browser);
    return r.error ? r : { sub: r.tokens.claims().sub, sid: r.tokens.claims().sid, aud: r.tokens.claims().aud, sawLoginPage: r.sawLoginPage };
  });
}

await step('logout', async () => {
  const state = client.randomState();
  const url = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: args.postLogoutRedirectUri, state });
  const res = await browser.request(url.href);
  return { status: res.status, location: res.headers.get('location'), expectedState: state };
});
await step('afterLogout', async () => {
  const r = await login(config, args, browser, { prompt: 'none' });
  return { error: r.error, iss: r.iss };
});
console.log(JSON.stringify(out));
