// Logins under failure: N passwordless logins by 16 users at once on SQLite, 20% of WhatsApp sends failing (the
// sandbox's fail-next), and the server killed with SIGKILL half-way and started again on the same database. Prints
// what a person would notice: a usable code within 30 s, time to the code, 5xx answers, and per phone at most one
// code and no message delivered twice on one channel. Started by `bench/run --resilience [logins]`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, field } from './lib/scenarios.mjs';
import { startIdp } from './lib/servers.mjs';

const LOGINS = Number(process.argv[2] ?? 1000);
const USERS = 16;
const FAILING_SHARE = 0.2;
const USABLE_WITHIN_MS = 30_000;
const dll = process.env.BENCH_IDP_DLL;
if (!dll || !fs.existsSync(dll)) throw new Error('BENCH_IDP_DLL must name the published WaIdentity.IdP.dll (run bench/run --resilience)');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'waid-resilience-'));
const db = { provider: 'Sqlite', connectionString: `Data Source=${path.join(work, 'idp.db')}` };
const began = Date.now();
const log = msg => console.log(`[${((Date.now() - began) / 1000).toFixed(0).padStart(4)}s] ${msg}`);

let server = await startIdp(dll, db);
const base = server.base;
let restarting = null;
const serverErrors = [];

/** Kills the server mid-run and starts it again where the browsers expect it (a crash and a supervisor's restart). */
function crash() {
  log(`kill -9 (pid ${server.pid})`);
  const old = server;
  restarting = (async () => {
    old.kill();
    await old.exited;
    server = await startIdp(dll, db, {}, old.port);
    log(`back up (pid ${server.pid})`);
    restarting = null;
  })();
}

/** One step of a person's browser: while the server is down the person waits and presses reload (the same request). */
async function step(doIt) {
  for (let tries = 0; ; tries++) {
    if (restarting) await restarting;
    try {
      const res = await doIt();
      if (res.status >= 500) serverErrors.push(`${res.status} ${res.url}`);
      return res;
    } catch (e) {
      if (tries > 50) throw e;
      await new Promise(r => setTimeout(r, 200)); // the connection was refused or cut: the server is restarting
    }
  }
}

const inbox = async phone => (await step(() => fetch(`${base}/dev/inbox/api/messages?to=${encodeURIComponent(phone)}`))).json();

async function loginOnce(i) {
  const phone = `+62813${String(process.pid % 100).padStart(2, '0')}${String(i).padStart(6, '0')}`;
  if (Math.random() < FAILING_SHARE)
    await step(() => fetch(`${base}/dev/inbox/api/fail-next`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'whatsapp', count: 1, kind: 'server-error' }) }));
  const b = new Browser(base);
  const loginPage = await step(() => b.go('GET', '/login'));
  const loginHtml = await loginPage.text();
  const asked = performance.now();
  const sent = await step(() => b.go('POST', '/login', { Phone: phone, __RequestVerificationToken: field(loginHtml, '__RequestVerificationToken') }));
  if (sent.status !== 302) return { phone, ok: false, why: `phone form answered ${sent.status}` };
  const codePage = await step(() => b.go('GET', sent.headers.get('location')));
  const codeHtml = await codePage.text();
  let message;
  while (!message && performance.now() - asked < USABLE_WITHIN_MS) {
    message = (await inbox(phone)).find(m => m.code);
    if (!message) await new Promise(r => setTimeout(r, 50));
  }
  if (!message) return { phone, ok: false, why: 'no code within 30 s' };
  const toCode = performance.now() - asked;
  const verified = await step(() => b.go('POST', '/login/code', { Code: message.code, __RequestVerificationToken: field(codeHtml, '__RequestVerificationToken') }));
  const signedIn = verified.status === 302 || verified.headers.has('refresh');
  return { phone, ok: signedIn, toCode, why: signedIn ? null : `code form answered ${verified.status}` };
}

log(`${LOGINS} logins, ${USERS} at once, ${FAILING_SHARE * 100}% of WhatsApp sends failing, kill -9 after ${LOGINS / 2} have started`);
const results = [];
let next = 0;
await Promise.all(Array.from({ length: USERS }, async () => {
  while (next < LOGINS) {
    const i = next++;
    if (i === Math.floor(LOGINS / 2)) crash();
    try { results.push(await loginOnce(i)); }
    catch (e) { results.push({ ok: false, why: e.message }); }
  }
}));
if (restarting) await restarting;

log('checking every phone\'s messages');
let twoCodes = 0, duplicates = 0;
for (const r of results.filter(r => r.phone)) {
  const messages = await inbox(r.phone);
  if (new Set(messages.filter(m => m.code).map(m => m.code)).size > 1) twoCodes++;
  const perChannel = new Map();
  for (const m of messages.filter(m => m.code)) perChannel.set(`${m.channel}:${m.code}`, (perChannel.get(`${m.channel}:${m.code}`) ?? 0) + 1);
  if ([...perChannel.values()].some(n => n > 1)) duplicates++;
}
await server.stop();

const ok = results.filter(r => r.ok).length;
const times = results.filter(r => r.toCode !== undefined).map(r => r.toCode).sort((a, b) => a - b);
const at = q => times.length ? Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]) : 0;
const failures = new Map();
for (const r of results.filter(r => !r.ok)) failures.set(r.why, (failures.get(r.why) ?? 0) + 1);
const rows = [
  ['signed in with a code received within 30 s', `${ok} / ${results.length} (${(100 * ok / results.length).toFixed(1)}%)`, '>= 99.5%', ok / results.length >= 0.995],
  ['time to the code, p50 / p95', `${at(0.5)} / ${at(0.95)} ms`, 'p95 <= 5000 ms', at(0.95) <= 5000],
  ['5xx answers', String(serverErrors.length), '0', serverErrors.length === 0],
  ['phones that got two different codes', String(twoCodes), '0', twoCodes === 0],
  ['phones with a message delivered twice on one channel', String(duplicates), '0', duplicates === 0],
];
console.log('\n| figure | measured | goal | met |\n|---|---|---|---|');
for (const [name, value, goal, met] of rows) console.log(`| ${name} | ${value} | ${goal} | ${met ? 'yes' : 'NO'} |`);
if (failures.size) console.log('\nfailed logins:', Object.fromEntries(failures));
if (serverErrors.length) console.log('5xx:', serverErrors.slice(0, 10));
fs.rmSync(work, { recursive: true, force: true });
