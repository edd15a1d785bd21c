// The load scenarios. Each is measured as: one warm-up run, then `runs` runs; the figures are the medians of the runs.
import autocannon from 'autocannon';
import crypto from 'node:crypto';
import { BASIC, CLIENT_ID, REDIRECT_URI } from './servers.mjs';
import { peakRssMiB, resetPeakRss } from './servers.mjs';

const median = xs => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const b64url = buf => buf.toString('base64url');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function cannon(base, requests, seconds, connections) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url: base, connections, duration: seconds, requests, timeout: 10 }, (err, res) => err ? reject(err) : resolve(res));
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false, outputStream: { write() {} } });
  });
}

/** One autocannon run reduced to what the table shows. Non-2xx answers count as errors. */
function summarize(r) {
  const ok = r['2xx'];
  return { rps: ok / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

async function measure(server, cfg, oneRun) {
  await oneRun(cfg.warmupSeconds);
  const rssReset = resetPeakRss(server.pid);
  const runs = [];
  for (let i = 0; i < cfg.runs; i++) runs.push(await oneRun(cfg.runSeconds));
  return {
    rps: median(runs.map(r => r.rps)), p50: median(runs.map(r => r.p50)), p99: median(runs.map(r => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0), rssMiB: peakRssMiB(server.pid), rssSinceStart: !rssReset,
  };
}

/** 1: client_credentials at the token endpoint. */
export function clientCredentials(server, cfg) {
  const path = server.name === 'WaIdentity' ? '/connect/token' : '/token';
  const requests = [{ method: 'POST', path, headers: { ...FORM, authorization: BASIC }, body: 'grant_type=client_credentials&scope=api' }];
  return measure(server, cfg, async s => summarize(await cannon(server.base, requests, s, cfg.connections)));
}

/**
 * 2: refresh-token rotation. Each connection holds its own family: it starts with a seeded token and always sends
 * the token the previous answer returned, as a client would; a failed answer makes it take a fresh seeded token.
 */
export function refreshRotation(server, cfg, pool) {
  const path = server.name === 'WaIdentity' ? '/connect/token' : '/token';
  let reported = 0;
  const request = {
    method: 'POST', path, headers: { ...FORM, authorization: BASIC },
    setupRequest: (req, context) => {
      // Once the seeded families are used up (every one failed), keep going with a dead token: the run then reports
      // errors instead of stopping the whole benchmark.
      context.token ??= pool.pop() ?? 'exhausted';
      return { ...req, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(context.token)}` };
    },
    onResponse: (status, body, context) => {
      if (status !== 200 && reported++ === 0) console.error(`  refresh answered ${status}: ${String(body).slice(0, 200)}`);
      context.token = status === 200 ? JSON.parse(body).refresh_token : undefined;
    },
  };
  // autocannon clears a connection's context each time it wraps around its request list; a long list of the same
  // request keeps the family on its connection for the whole run.
  const requests = Array(2_000).fill(request);
  return measure(server, cfg, async s => summarize(await cannon(server.base, requests, s, cfg.connections)));
}

/** 5: discovery and JWKS, alternately, as a relying party fetching both. */
export function discoveryAndJwks(server, cfg) {
  const jwks = server.name === 'WaIdentity' ? '/.well-known/jwks.json' : '/jwks';
  const requests = [{ method: 'GET', path: '/.well-known/openid-configuration' }, { method: 'GET', path: jwks }];
  return measure(server, cfg, async s => summarize(await cannon(server.base, requests, s, cfg.connections)));
}

/** 4: signed Cloud API status webhooks for real messages; statuses repeat, so most are duplicates (idempotent). */
export function statusWebhooks(server, cfg, wamids) {
  const secret = 'sandbox-app-secret'; // SandboxCredentials.AppSecret: the bench runs the channel in Sandbox mode.
  const states = ['sent', 'delivered', 'read'];
  let n = 0;
  const requests = [{
    method: 'POST', path: '/channel/webhooks/whatsapp',
    setupRequest: req => {
      const i = n++;
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
        statuses: [{ id: wamids[i % wamids.length], status: states[Math.floor(i / wamids.length) % 3], timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '6281200000000' }],
      } }] }] });
      const signature = 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');
      return { ...req, body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
    },
  }];
  return measure(server, cfg, async s => summarize(await cannon(server.base, requests, s, cfg.connections)));
}

/**
 * Outside Development the IdP's cookies are Secure and its forms refuse plain http, as in production behind a TLS
 * proxy; the login scenario plays that proxy (the IdP trusts loopback proxies through Hosting:TrustedProxies).
 */
const BEHIND_TLS_PROXY = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '127.0.0.1' };

/** A tiny browser: a cookie jar and manual redirects, so every hop of the login is a real request. */
export class Browser {
  jar = new Map();
  constructor(base) { this.base = base; }
  async go(method, url, form) {
    const headers = { ...BEHIND_TLS_PROXY, cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const target = new URL(url, this.base); // absolute Locations say https (the proxy's side): stay on loopback http
    const res = await fetch(new URL(target.pathname + target.search, this.base), { method, headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) { const [pair] = c.split(';'); const eq = pair.indexOf('='); this.jar.set(pair.slice(0, eq), pair.slice(eq + 1)); }
    return res;
  }
  /** GET, following redirects inside the IdP; stops at a 200 or at a redirect that leaves it (the client's callback). */
  async follow(url) {
    for (let hops = 0; hops < 10; hops++) {
      const res = await this.go('GET', url);
      const location = res.headers.get('location');
      if (!location || location.startsWith(REDIRECT_URI)) return { res, url, location, html: location ? '' : await res.text() };
      url = location;
    }
    throw new Error('too many redirects');
  }
}

export const field = (html, name) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1]?.replaceAll('&amp;', '&');

let phoneSeq = 0;

/** authorize -> phone -> code from the sandbox's dev inbox -> verify -> authorization code -> token. */
export async function loginOnce(base, wamids) {
  const phone = `+62813${String(process.pid % 100).padStart(2, '0')}${String(phoneSeq++).padStart(6, '0')}`;
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const b = new Browser(base);
  const authorize = `/connect/authorize?client_id=${CLIENT_ID}&response_type=code&scope=openid%20phone&state=s&nonce=n`
    + `&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&code_challenge=${challenge}&code_challenge_method=S256`;
  const loginPage = await b.follow(authorize);
  let res = await b.go('POST', loginPage.url, { Phone: phone, ReturnUrl: field(loginPage.html, 'ReturnUrl'), __RequestVerificationToken: field(loginPage.html, '__RequestVerificationToken') });
  if (res.status !== 302) throw new Error(`phone form answered ${res.status}`);
  const codePage = await b.follow(res.headers.get('location'));
  let message;
  for (let i = 0; i < 400 && !message; i++) {
    const inbox = await (await fetch(`${base}/dev/inbox/api/messages?to=${encodeURIComponent(phone)}`)).json();
    message = inbox.find(m => m.code);
    if (!message) await new Promise(r => setTimeout(r, 25));
  }
  if (!message) throw new Error('no code reached the dev inbox');
  if (/whatsapp/i.test(message.channel)) wamids.push(message.id); // the dev inbox id is the provider's wamid
  res = await b.go('POST', codePage.url, { Code: message.code, __RequestVerificationToken: field(codePage.html, '__RequestVerificationToken') });
  const next = res.headers.get('location') ?? /url=(.*)$/.exec(res.headers.get('refresh') ?? '')?.[1];
  if (!next) throw new Error(`code form answered ${res.status} without a way on`);
  const back = await b.follow(next);
  const code = back.location && new URL(back.location).searchParams.get('code');
  if (!code) throw new Error('the authorize endpoint gave no code');
  res = await fetch(`${base}/connect/token`, { method: 'POST', headers: { ...FORM, ...BEHIND_TLS_PROXY, authorization: BASIC },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }).toString() });
  if (res.status !== 200 || !(await res.json()).id_token) throw new Error(`token endpoint answered ${res.status}`);
}

async function loginRun(base, seconds, workers, wamids) {
  const latencies = [];
  let errors = 0;
  let firstError;
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(Array.from({ length: workers }, async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      try { await loginOnce(base, wamids); latencies.push(performance.now() - t0); }
      catch (e) { errors++; firstError ??= e.message; }
    }
  }));
  if (firstError) console.error(`  login error (first of ${errors}): ${firstError}`);
  const s = [...latencies].sort((a, b) => a - b);
  const at = q => s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]) : 0;
  return { rps: latencies.length / ((Date.now() - started) / 1000), p50: at(0.5), p99: at(0.99), errors };
}

/** 3: complete passwordless logins per second, by `loginWorkers` users at once. Collects the messages' wamids. */
export function passwordlessLogin(server, cfg, wamids) {
  return measure(server, cfg, s => loginRun(server.base, s, cfg.loginWorkers, wamids));
}
