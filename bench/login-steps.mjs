// Where a passwordless login's time goes: the login scenario of bench.mjs with a timer on every hop, the IdP's CPU
// time per login (from /proc), the driver's own CPU, and the dev-inbox polls a login needed. Started by
// `bench/run --login-steps [sqlite|postgresql] [users] [seconds]` (defaults: sqlite 16 30). Prints a table; asserts
// nothing. With WAID_TRACE_PAUSE=1 it waits for Enter after the warm-up, so `dotnet-trace collect -p PID` can be
// attached to the printed PID before the measured run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline/promises';
import { Browser, field } from './lib/scenarios.mjs';
import { BASIC, CLIENT_ID, REDIRECT_URI, startIdp } from './lib/servers.mjs';
import { runSql } from './lib/seed.mjs';

const [dbName = 'sqlite', usersArg = '16', secondsArg = '30'] = process.argv.slice(2);
const USERS = Number(usersArg);
const SECONDS = Number(secondsArg);
const dll = process.env.BENCH_IDP_DLL;
if (!dll || !fs.existsSync(dll)) throw new Error('BENCH_IDP_DLL must name the published WaIdentity.IdP.dll (run bench/run --login-steps)');

function database() {
  if (dbName.toLowerCase() !== 'postgresql') {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'waid-steps-')), 'idp.db');
    return { provider: 'Sqlite', connectionString: `Data Source=${file}` };
  }
  const pg = { name: 'waid_steps', port: process.env.BENCH_PG_PORT, psql: path.join(process.env.BENCH_PG_BIN, 'psql') };
  runSql({ ...pg, name: 'postgres' }, `DROP DATABASE IF EXISTS ${pg.name}; CREATE DATABASE ${pg.name};`);
  return { provider: 'PostgreSQL', connectionString: `Host=127.0.0.1;Port=${pg.port};Username=postgres;Database=${pg.name};Pooling=true;Maximum Pool Size=100` };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https', 'x-forwarded-for': '127.0.0.1' };
const b64url = b => b.toString('base64url');
const STEPS = ['authorize to login page', 'phone form POST', 'code page GET', 'code in the dev inbox', 'code form POST', 'back to authorize', 'token'];
let seq = 0;

/** One login, the same hops as bench's loginOnce, timing each; returns per-step ms and the inbox polls it took. */
async function timedLogin(base) {
  const phone = `+62814${String(process.pid % 100).padStart(2, '0')}${String(seq++).padStart(6, '0')}`;
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const b = new Browser(base);
  const times = [];
  let t = performance.now();
  const lap = () => { const now = performance.now(); times.push(now - t); t = now; };
  const loginPage = await b.follow(`/connect/authorize?client_id=${CLIENT_ID}&response_type=code&scope=openid%20phone&state=s&nonce=n`
    + `&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&code_challenge=${challenge}&code_challenge_method=S256`);
  lap();
  let res = await b.go('POST', loginPage.url, { Phone: phone, ReturnUrl: field(loginPage.html, 'ReturnUrl'), __RequestVerificationToken: field(loginPage.html, '__RequestVerificationToken') });
  if (res.status !== 302) throw new Error(`phone form answered ${res.status}`);
  lap();
  const codePage = await b.follow(res.headers.get('location'));
  lap();
  let message, polls = 0;
  while (!message && polls < 2000) {
    polls++;
    message = (await (await fetch(`${base}/dev/inbox/api/messages?to=${encodeURIComponent(phone)}`)).json()).find(m => m.code);
    if (!message) await new Promise(r => setTimeout(r, 25));
  }
  if (!message) throw new Error('no code reached the dev inbox');
  lap();
  res = await b.go('POST', codePage.url, { Code: message.code, __RequestVerificationToken: field(codePage.html, '__RequestVerificationToken') });
  const next = res.headers.get('location') ?? /url=(.*)$/.exec(res.headers.get('refresh') ?? '')?.[1];
  if (!next) throw new Error(`code form answered ${res.status} without a way on`);
  lap();
  const back = await b.follow(next);
  const code = back.location && new URL(back.location).searchParams.get('code');
  if (!code) throw new Error('the authorize endpoint gave no code');
  lap();
  res = await fetch(`${base}/connect/token`, { method: 'POST', headers: { ...FORM, authorization: BASIC },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }).toString() });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  await res.arrayBuffer();
  lap();
  return { times, polls };
}

/** utime + stime of a process, in ms (clock ticks of 10 ms on Linux). */
function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function run(base, seconds) {
  const results = [];
  let errors = 0, firstError;
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: USERS }, async () => {
    while (Date.now() < until) {
      try { results.push(await timedLogin(base)); } catch (e) { errors++; firstError ??= e.message; }
    }
  }));
  return { results, errors, firstError };
}

const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0; };
const ms = x => x.toFixed(x < 10 ? 1 : 0).padStart(7);

const server = await startIdp(dll, database());
try {
  console.log(`IdP pid ${server.pid}, ${dbName}, ${USERS} users`);
  await run(server.base, 10); // warm-up: JIT, pools, caches
  if (process.env.WAID_TRACE_PAUSE) await readline.createInterface({ input: process.stdin, output: process.stdout }).question(`attach to pid ${server.pid}, then press Enter `);
  const cpu0 = cpuMs(server.pid), driver0 = process.cpuUsage(), t0 = performance.now();
  const { results, errors, firstError } = await run(server.base, SECONDS);
  const wall = performance.now() - t0, serverCpu = cpuMs(server.pid) - cpu0, driver = process.cpuUsage(driver0);
  const n = results.length;
  console.log(`${n} logins in ${(wall / 1000).toFixed(1)} s = ${(n / wall * 1000).toFixed(1)} logins/s, ${errors} errors${firstError ? ` (first: ${firstError})` : ''}`);
  console.log(`IdP CPU ${(serverCpu / n).toFixed(1)} ms per login (${(serverCpu / wall * 100).toFixed(0)}% of one core); driver CPU ${((driver.user + driver.system) / 1000 / n).toFixed(1)} ms per login; cores: ${os.cpus().length}`);
  console.log(`dev-inbox polls per login: median ${pct(results.map(r => r.polls), 0.5)}, p95 ${pct(results.map(r => r.polls), 0.95)}`);
  console.log(`${'step'.padEnd(26)}   p50 ms   p95 ms   mean ms`);
  STEPS.forEach((name, i) => {
    const xs = results.map(r => r.times[i]);
    console.log(`${name.padEnd(26)}${ms(pct(xs, 0.5))}  ${ms(pct(xs, 0.95))}  ${ms(xs.reduce((a, b) => a + b, 0) / n)}`);
  });
  const totals = results.map(r => r.times.reduce((a, b) => a + b, 0));
  console.log(`${'whole login'.padEnd(26)}${ms(pct(totals, 0.5))}  ${ms(pct(totals, 0.95))}  ${ms(totals.reduce((a, b) => a + b, 0) / n)}`);
} finally {
  await server.stop();
}
