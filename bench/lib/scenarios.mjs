// The load scenarios. The HTTP-only ones run under wrk (bench/wrk/*.lua, a C load generator that leaves the cores to
// the servers); the passwordless login needs a cookie jar, form fields and the dev inbox, so Node drives it.
// Every measurement: a warm-up until the throughput is steady, then `runs` runs of `runSeconds`, servers alternated;
// each figure is the median of the runs with its spread (min, max).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { BASIC, CLIENT_ID, REDIRECT_URI, METRICS_TOKEN } from './servers.mjs';
import { wrk } from './wrk.mjs';

const b64url = buf => buf.toString('base64url');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export const median = xs => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

/** The median of some runs' values with their range: what every figure of the report is. */
export function stats(values) {
  const value = median(values);
  const min = Math.min(...values), max = Math.max(...values);
  return { value, min, max, spreadPct: value ? (100 * (max - min)) / value : 0, n: values.length };
}

/**
 * Runs windows of `warmupWindowSeconds` until two consecutive ones agree within `warmupTolerancePct` (connection pools
 * and caches settled), at least `warmupMinSeconds`, at most `warmupMaxSeconds`. A run that can read its server's JIT
 * (`oneRun.jit`, WaIdentity's /metrics) also waits for tiered compilation to finish: the JIT must have used at most
 * `warmupJitPct` of the last window, for at most `warmupMaxJitSeconds`. Throughput alone looked steady while the
 * IdP was still compiling 2-4 s per 5 s on the login path.
 */
export async function warmUp(oneRun, cfg) {
  const max = oneRun.jit ? cfg.warmupMaxJitSeconds : cfg.warmupMaxSeconds;
  let previous, seconds = 0, jitPct, jitBefore = await oneRun.jit?.();
  while (seconds < max) {
    const r = await oneRun(cfg.warmupWindowSeconds);
    seconds += cfg.warmupWindowSeconds;
    if (oneRun.jit) {
      const jitNow = await oneRun.jit();
      jitPct = (100 * (jitNow - jitBefore)) / cfg.warmupWindowSeconds;
      jitBefore = jitNow;
    }
    const jitDone = jitPct === undefined || jitPct <= cfg.warmupJitPct;
    const steady = previous && Math.abs(r.rps - previous.rps) <= (cfg.warmupTolerancePct / 100) * previous.rps;
    if (steady && jitDone && seconds >= cfg.warmupMinSeconds) return { seconds, steady: true, jitPct };
    previous = r;
  }
  return { seconds, steady: false, jitPct };
}

/** Seconds the IdP's JIT has spent compiling since it started (the runtime's counter on /metrics). */
export async function jitSeconds(server) {
  const text = await (await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(/^dotnet_jit_compilation_time_seconds_total(?:\{[^}]*\})? (\S+)/m.exec(text)?.[1] ?? 0);
}

/** Gives a WaIdentity run its server's JIT counter, so its warm-up waits for the JIT too. */
const probed = (server, run) => (server.name === 'WaIdentity' ? Object.assign(run, { jit: () => jitSeconds(server) }) : run);

export function summarizeRuns(runs, warmup) {
  return {
    rps: stats(runs.map(r => r.rps)), p50: stats(runs.map(r => r.p50)), p95: stats(runs.map(r => r.p95)), p99: stats(runs.map(r => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0), runs, warmup,
  };
}

/**
 * Measures one scenario on several servers: each is warmed up, then run i is made on every server in turn (the order
 * flips every run), so the machine's background noise falls on all of them alike. `targets` maps a name to a
 * function (seconds) => run. Returns the same keys, each with its summarized runs.
 */
export async function alternate(targets, cfg) {
  const names = Object.keys(targets);
  const warm = {};
  for (const name of names) warm[name] = await warmUp(targets[name], cfg);
  const runs = Object.fromEntries(names.map(n => [n, []]));
  for (let i = 0; i < cfg.runs; i++) {
    for (const name of i % 2 ? [...names].reverse() : names) runs[name].push(await targets[name](cfg.runSeconds));
  }
  return Object.fromEntries(names.map(n => [n, summarizeRuns(runs[n], warm[n])]));
}

/** The ratio a ÷ b per pair of alternated runs (run i of both was made back to back), as stats. */
export const pairedRatio = (a, b) => stats(a.runs.map((r, i) => (b.runs[i].rps ? r.rps / b.runs[i].rps : 0)));

const tokenPath = server => (server.name === 'WaIdentity' ? '/connect/token' : '/token');

/** 1: client_credentials at the token endpoint. */
export const clientCredentials = (server, cfg) => probed(server, seconds =>
  wrk(server.base, 'client-credentials.lua', seconds, cfg.connections, { BENCH_PATH: tokenPath(server), BENCH_BASIC: BASIC }));

/**
 * 2: refresh-token rotation: each request sends the newest token of its family (see bench/wrk/refresh-rotation.lua).
 * `tokensFile` holds the seeded tokens; wrk rewrites it after each run with the family heads still usable.
 */
export function refreshRotation(server, cfg, tokens, tokensFile) {
  fs.writeFileSync(tokensFile, tokens.join('\n') + '\n');
  return probed(server, seconds => wrk(server.base, 'refresh-rotation.lua', seconds, cfg.connections, { BENCH_PATH: tokenPath(server), BENCH_BASIC: BASIC, BENCH_TOKENS: tokensFile }));
}

/** 5: discovery and JWKS, alternately, as a relying party fetching both. */
export const discoveryAndJwks = (server, cfg) => probed(server, seconds =>
  wrk(server.base, 'discovery.lua', seconds, cfg.connections, { BENCH_JWKS_PATH: server.name === 'WaIdentity' ? '/.well-known/jwks.json' : '/jwks' }));

/**
 * 4: signed Cloud API status webhooks (sent / delivered / read) for real messages, so most repeat an earlier event
 * (idempotent ingestion). The bodies and signatures are computed here once; wrk cycles through them.
 */
export function statusWebhooks(server, cfg, wamids, bodiesFile) {
  const secret = 'sandbox-app-secret'; // SandboxCredentials.AppSecret: the bench runs the channel in Sandbox mode.
  const states = ['sent', 'delivered', 'read'];
  const ids = wamids.length ? wamids : Array.from({ length: 100 }, (_, i) => `wamid.bench-${i}`);
  const lines = [];
  for (let i = 0; i < Math.max(3000, ids.length * 3); i++) {
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
      statuses: [{ id: ids[i % ids.length], status: states[Math.floor(i / ids.length) % 3], timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '6281200000000' }],
    } }] }] });
    lines.push(`sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}\t${body}`);
  }
  fs.writeFileSync(bodiesFile, lines.join('\n') + '\n');
  return probed(server, seconds => wrk(server.base, 'status-webhooks.lua', seconds, cfg.connections, { BENCH_BODIES: bodiesFile }));
}

/** Webhook events stored but not processed yet, from the IdP's /metrics (the waidentity_webhook_backlog gauge). */
export async function webhookBacklog(server) {
  const text = await (await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const m = /^waidentity_webhook_backlog(?:\{[^}]*\})? (\S+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
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

async function loginRun(base, seconds, users, wamids) {
  const latencies = [];
  let errors = 0;
  let firstError;
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(Array.from({ length: users }, async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      try { await loginOnce(base, wamids); latencies.push(performance.now() - t0); }
      catch (e) { errors++; firstError ??= e.message; }
    }
  }));
  if (firstError) console.error(`  login error (first of ${errors}): ${firstError}`);
  const s = [...latencies].sort((a, b) => a - b);
  const at = q => s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]) : 0;
  return { rps: latencies.length / ((Date.now() - started) / 1000), p50: at(0.5), p95: at(0.95), p99: at(0.99), errors };
}

/**
 * 3: complete passwordless logins per second as a saturation curve: for each number of simulated users at once,
 * `runs` runs (after one warm-up at the first point). Collects the WhatsApp messages' wamids for scenario 4.
 */
export async function loginCurve(server, cfg, wamids) {
  const warmup = await warmUp(probed(server, s => loginRun(server.base, s, cfg.loginUsers[0], wamids)), cfg);
  const points = [];
  for (const users of cfg.loginUsers) {
    const runs = [];
    for (let i = 0; i < cfg.runs; i++) runs.push(await loginRun(server.base, cfg.runSeconds, users, wamids));
    points.push({ users, ...summarizeRuns(runs, warmup) });
  }
  return points;
}
