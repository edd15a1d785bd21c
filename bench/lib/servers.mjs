// Starts and stops the servers under test (the published WaIdentity IdP and the oidc-provider reference) on loopback,
// and reads their peak resident memory from /proc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLIENT_ID = 'bench';
// A fixed benchmark-only secret: the bench client exists only in the throw-away databases this script creates.
export const CLIENT_SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const BASIC = 'Basic ' + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
// Lets the bench read /metrics (the webhook backlog gauge) whatever the IdP's network rules for scrapers are.
export const METRICS_TOKEN = 'bench-metrics-token-0123456789';
export const LIFETIMES = { accessSeconds: 600, idSeconds: 600, refreshIdleHours: 168, refreshAbsoluteHours: 720 };

const here = path.dirname(fileURLToPath(import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

/** The IdP's settings as environment variables: one confidential client, high limits (a load test is one IP). */
function idpEnvironment(db, extra) {
  const settings = {
    // The sandbox channel and its dev inbox (where the scenarios read codes) exist only in Development; the scenarios
    // still play a TLS proxy (X-Forwarded-Proto), so cookies and forms behave as in production.
    ASPNETCORE_ENVIRONMENT: 'Development',
    Logging__LogLevel__Default: 'Warning',
    Hosting__TrustedProxies__0: '127.0.0.1',
    Database__Provider: db.provider,
    Database__ConnectionString: db.connectionString,
    Oidc__TokenRequestsPerClientPerMinute: '1000000',
    Oidc__AccessTokenLifetimeSeconds: String(LIFETIMES.accessSeconds),
    Oidc__IdTokenLifetimeSeconds: String(LIFETIMES.idSeconds),
    Oidc__RefreshTokenIdleHours: String(LIFETIMES.refreshIdleHours),
    Oidc__RefreshTokenAbsoluteHours: String(LIFETIMES.refreshAbsoluteHours),
    Oidc__Clients__0__ClientId: CLIENT_ID,
    Oidc__Clients__0__Secret: CLIENT_SECRET,
    Oidc__Clients__0__FirstParty: 'true',
    Oidc__Clients__0__RedirectUris__0: REDIRECT_URI,
    Oidc__Clients__0__GrantTypes__0: 'authorization_code',
    Oidc__Clients__0__GrantTypes__1: 'refresh_token',
    Oidc__Clients__0__GrantTypes__2: 'client_credentials',
    Oidc__Clients__0__Scopes__0: 'openid',
    Oidc__Clients__0__Scopes__1: 'offline_access',
    Oidc__Clients__0__Scopes__2: 'phone',
    Oidc__Clients__0__Scopes__3: 'api',
    Channel__Mode: 'Sandbox',
    Channel__Dispatch__PollIntervalMilliseconds: '200',
    Channel__Limits__PerIpPerHour: '1000000',
    Channel__Limits__PerCountryPerHour: '1000000',
    Channel__Limits__DailyBudget: '1000000',
    // One load generator is one IP: its share of the budget and the per-block velocity are for many people here.
    Channel__Limits__IpShareOfDailyBudgetPercent: '100',
    Channel__Limits__PerPrefixPerHour: '1000000',
    Login__Otp__CodeHashKey: Buffer.alloc(32, 7).toString('base64'),
    DataProtection__KeyEncryptionKey: Buffer.alloc(32, 9).toString('base64'),
    Login__Otp__VerifiesPerIpPerHour: '100000',
    Metrics__BearerToken: METRICS_TOKEN,
  };
  return { ...process.env, ...settings, ...extra };
}

async function waitUntilUp(url, child, log, seconds = 90) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${log.join('').slice(-2000)}`);
    try { if ((await fetch(url)).ok) return; } catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 20)); // fine-grained: start to ready is one of the figures
  }
  throw new Error(`server did not answer ${url} within ${seconds}s: ${log.join('').slice(-2000)}`);
}

function track(child) {
  const log = [];
  const keep = d => { log.push(d.toString()); if (log.length > 200) log.shift(); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return log;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const gone = new Promise(r => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
  await gone;
  clearTimeout(timer);
}

/** Starts the published IdP; <port> lets a restarted server come back where its clients expect it. */
export async function startIdp(dll, db, extra = {}, port = undefined) {
  port ??= await freePort();
  const t0 = performance.now();
  const child = spawn('dotnet', [dll, '--urls', `http://127.0.0.1:${port}`],
    { cwd: path.dirname(dll), env: idpEnvironment(db, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  const log = track(child);
  const exited = new Promise(r => child.once('exit', r));
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${base}/health/ready`, child, log);
  const readyMs = performance.now() - t0;
  return { name: 'WaIdentity', base, port, exited, pid: child.pid, log, readyMs, stop: () => stop(child), kill: () => child.kill('SIGKILL') };
}

/** oidc-provider in its own node process, so its memory and CPU are its own. */
export async function startReference(tokensFile, tokenCount) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(here, '..', 'reference-op.mjs'), String(port), tokensFile, String(tokenCount)],
    { env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = track(child);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${base}/.well-known/openid-configuration`, child, log);
  while (!fs.existsSync(tokensFile)) await new Promise(r => setTimeout(r, 100));
  return { name: 'oidc-provider', base, pid: child.pid, log, stop: () => stop(child) };
}

/** VmRSS (resident now) or VmHWM (peak since the process started) of a process, in KiB. */
export function memoryKiB(pid, field) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

/** KiB to MB (10^6 bytes), the unit of the memory goals. */
export const mb = kib => (kib * 1024) / 1e6;
