// Pushed authorization requests (RFC 9126) driven with openid-client against a running IdP. Usage:
//   node par.mjs '<json>'  with {issuer, redirectUri, email, password, clients: {shop, other, strict}: {clientId, clientSecret}}
//   node par.mjs '<json>'  with {..., pushOnly: true}: pushes one request for "shop" and prints {url} (the expiry test).
// Prints one line per check (checks.mjs) and exits 1 if any failed. "strict" must push (require_pushed_authorization_requests).
import * as client from 'openid-client';
import { loopback } from './loopback.mjs';
import { Browser } from './browser.mjs';
import { check, refused, oauthError, said, finish } from './checks.mjs';

const args = JSON.parse(process.argv[2]);
const login = { email: args.email, password: args.password };

async function configure({ clientId, clientSecret }) {
  return client.discovery(new URL(args.issuer), clientId,
    { client_id: clientId, client_secret: clientSecret, redirect_uris: [args.redirectUri], id_token_signed_response_alg: 'ES256' },
    client.ClientSecretBasic(clientSecret), loopback);
}

async function request(config, extra = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const parameters = {
    redirect_uri: args.redirectUri, scope: 'openid profile offline_access', state: checks.expectedState, nonce: checks.expectedNonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  };
  return { parameters, checks };
}

async function push(config, extra) {
  const { parameters, checks } = await request(config, extra);
  return { url: await client.buildAuthorizationUrlWithPAR(config, parameters), checks };
}

const shop = await configure(args.clients.shop);
if (args.pushOnly) {
  console.log(JSON.stringify({ url: (await push(shop)).url.href }));
  process.exit(0);
}
const other = await configure(args.clients.other);
const strict = await configure(args.clients.strict);
const browser = new Browser();

/** Where the browser lands: the callback ({callback}) or a page of the IdP ({status, body}). */
async function open(url, withLogin = true) {
  const landed = await browser.navigate(url.href, args.redirectUri, withLogin ? login : null);
  return landed.url.startsWith(args.redirectUri) ? { callback: new URL(landed.url) } : landed;
}

const onErrorPage = (landed, error) => landed.callback === undefined && landed.status === 400 && landed.body.includes(error);
const landedOn = landed => (landed.callback ? `callback ${landed.callback.search.slice(0, 60)}` : `page ${landed.status}`);

await check('discovery advertises the PAR endpoint and does not require PAR of everyone', async () => {
  const m = shop.serverMetadata();
  return [m.pushed_authorization_request_endpoint === `${args.issuer}/connect/par` && m.require_pushed_authorization_requests === false,
    `${m.pushed_authorization_request_endpoint}, require ${m.require_pushed_authorization_requests}`];
});

let reused;
await check('a pushed request completes the code flow (login, code, tokens)', async () => {
  const { url, checks } = await push(shop);
  const landed = await open(url);
  if (!landed.callback) return [false, landedOn(landed)];
  const tokens = await client.authorizationCodeGrant(shop, landed.callback, checks);
  reused = url;
  const onlyTwo = [...url.searchParams.keys()].sort().join(',') === 'client_id,request_uri';
  return [!!tokens.claims()?.sub && !!tokens.refresh_token && onlyTwo, `sub ${tokens.claims()?.sub}, front channel carried ${[...url.searchParams.keys()]}`];
});

await check('the PAR answer is 201 with a one-minute urn:ietf:params:oauth:request_uri', async () => {
  const { parameters } = await request(shop);
  const res = await fetch(`${args.issuer}/connect/par`, {
    method: 'POST', body: new URLSearchParams({ ...parameters, response_type: 'code', client_id: args.clients.shop.clientId, client_secret: args.clients.shop.clientSecret }),
  });
  const body = await res.json();
  return [res.status === 201 && body.expires_in === 60 && body.request_uri.startsWith('urn:ietf:params:oauth:request_uri:') && res.headers.get('cache-control') === 'no-store',
    `${res.status} ${JSON.stringify(body).slice(0, 120)}`];
});

await check('a reused request_uri is refused (invalid_request_uri, no redirect)', async () => {
  const landed = await open(reused);
  return [onErrorPage(landed, 'invalid_request_uri'), landedOn(landed)];
});

await check('a request_uri pushed by another client is refused and stays usable by its own client', async () => {
  const { url, checks } = await push(other);
  const stolen = new URL(url);
  stolen.searchParams.set('client_id', args.clients.shop.clientId);
  const landed = await open(stolen);
  const own = await open(url);
  const tokens = own.callback ? await client.authorizationCodeGrant(other, own.callback, checks) : null;
  return [onErrorPage(landed, 'invalid_request_uri') && !!tokens?.access_token, `as shop: ${landedOn(landed)}; as its own client: ${landedOn(own)}`];
});

await check('only the pushed parameters count: front-channel extras are ignored', async () => {
  const { url, checks } = await push(shop);
  const tampered = new URL(url);
  tampered.searchParams.set('redirect_uri', 'http://127.0.0.1:9/evil');
  tampered.searchParams.set('scope', 'openid email');
  const landed = await open(tampered);
  const tokens = landed.callback ? await client.authorizationCodeGrant(shop, landed.callback, checks) : null;
  return [tokens?.scope === 'openid profile offline_access', `${landedOn(landed)}, scope ${tokens?.scope}`];
});

await check('a client that requires PAR is refused a plain authorization request (invalid_request)', async () => {
  const { parameters, checks } = await request(strict);
  const landed = await open(client.buildAuthorizationUrl(strict, parameters));
  const e = landed.callback ? await refused(client.authorizationCodeGrant(strict, landed.callback, checks)) : null;
  return [e?.error === 'invalid_request' && landed.callback.searchParams.get('iss') === args.issuer, `${landedOn(landed)} ${said(e)}`];
});

await check('a client that requires PAR completes a pushed request', async () => {
  const { url, checks } = await push(strict);
  const landed = await open(url);
  const tokens = landed.callback ? await client.authorizationCodeGrant(strict, landed.callback, checks) : null;
  return [!!tokens?.access_token, landedOn(landed)];
});

await check('PAR with a wrong client secret is invalid_client (401)', async () => {
  const wrong = await configure({ ...args.clients.shop, clientSecret: args.clients.shop.clientSecret + 'x' });
  const e = await oauthError(await refused(push(wrong)));
  return [e?.status === 401 && e.error === 'invalid_client', said(e)];
});

for (const [name, extra, error] of [
  ['PAR with an unregistered redirect_uri is invalid_request (400)', { redirect_uri: 'http://127.0.0.1:9/evil' }, 'invalid_request'],
  ['PAR without the openid scope is invalid_scope (400)', { scope: 'profile' }, 'invalid_scope'],
  ['PAR carrying a request_uri is invalid_request (400)', { request_uri: 'urn:ietf:params:oauth:request_uri:x' }, 'invalid_request'],
]) {
  await check(name, async () => {
    const e = await oauthError(await refused(push(shop, extra)));
    return [e?.status === 400 && e.error === error, said(e)];
  });
}

finish();
