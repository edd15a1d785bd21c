// Runs every scenario against WaIdentity (SQLite and PostgreSQL) and npm oidc-provider, prints the figures
// next to their goals, compares them with the previous run recorded in docs/performance.md, and rewrites that page.
// Started by bench/run, which provides BENCH_IDP_DLL and (for PostgreSQL) BENCH_PG_*. Usage: node bench/bench.mjs [--quick]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as scenarios from './lib/scenarios.mjs';
import { seedGrowth, seedRefreshTokens, runSql } from './lib/seed.mjs';
import { memoryKiB, startIdp, startReference } from './lib/servers.mjs';
import { figures, recordedRuns, previousFigures, compare, renderConsole, renderMarkdown } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
// Full: the rules (warm-up to a steady state, each figure the median of >= 3 runs of >= 10 s). Quick: a smoke
// run that exercises every scenario in a few minutes; its figures are not comparable with a full run's.
const cfg = quick
  ? { warmupWindowSeconds: 1, warmupMinSeconds: 2, warmupMaxSeconds: 4, warmupTolerancePct: 10, warmupJitPct: 10, warmupMaxJitSeconds: 6, runs: 3, runSeconds: 2, connections: 16,
      loginUsers: [8, 16, 32, 64], sizes: [1_000, 10_000], seeded: 1000, growthTokens: 500, idleSeconds: 3, starts: 3, opensslSeconds: 1 }
  : { warmupWindowSeconds: 5, warmupMinSeconds: 15, warmupMaxSeconds: 60, warmupTolerancePct: 5, warmupJitPct: 2, warmupMaxJitSeconds: 180, runs: 3, runSeconds: 10, connections: 16,
      loginUsers: [8, 16, 32, 64], sizes: [10_000, 100_000, 1_000_000], seeded: 3000, growthTokens: 2000, idleSeconds: 10, starts: 5, opensslSeconds: 2 };
const REFERENCE_FAMILIES = quick ? 500 : 2000;
const dll = process.env.BENCH_IDP_DLL;
if (!dll || !fs.existsSync(dll)) throw new Error('BENCH_IDP_DLL must name the published WaIdentity.IdP.dll (run bench/run)');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'waid-bench-'));
const started = Date.now();
const log = msg => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}`);
const sleep = s => new Promise(r => setTimeout(r, s * 1000));

function machine() {
  // wrk prints its version with its usage and exits 1: read the first line of whatever it printed.
  const version = cmd => { try { return execFileSync(cmd[0], cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0].trim(); } catch (e) { return String(e.stdout || e.stderr || 'unknown').split('\n')[0].trim(); } };
  const pkg = name => JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), cores: os.cpus().length, ramGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    cpu: os.cpus()[0]?.model ?? 'unknown', dotnet: version(['dotnet', '--version']), node: process.version,
    oidcProvider: pkg('oidc-provider'), wrk: version(['wrk', '--version']).split(' ').slice(0, 2).join(' '), quick,
    load: os.loadavg().map(x => x.toFixed(1)).join(' '),
  };
}

/** The machine's raw ES256 signing rate on one core (openssl speed): token issuance cannot be faster. */
function es256Rate() {
  const out = execFileSync('openssl', ['speed', '-seconds', String(cfg.opensslSeconds), 'ecdsap256'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const line = out.split('\n').find(l => /nistp256/.test(l) && /\d+\.\d+\s+\d+\.\d+\s*$/.test(l));
  return Number(line.trim().split(/\s+/).at(-2));
}

function databases() {
  const list = [{ provider: 'Sqlite', label: 'SQLite', file: path.join(work, 'bench.db') }];
  list[0].connectionString = `Data Source=${list[0].file}`;
  if (process.env.BENCH_PG_PORT) {
    const pg = { provider: 'PostgreSQL', label: 'PostgreSQL', name: 'waid_bench', port: process.env.BENCH_PG_PORT, psql: path.join(process.env.BENCH_PG_BIN, 'psql') };
    runSql({ ...pg, name: 'postgres' }, `DROP DATABASE IF EXISTS ${pg.name}; CREATE DATABASE ${pg.name};`);
    pg.connectionString = `Host=127.0.0.1;Port=${pg.port};Username=postgres;Database=${pg.name};Pooling=true;Maximum Pool Size=100`;
    list.push(pg);
  } else console.log('BENCH_PG_PORT not set: PostgreSQL runs skipped');
  return list;
}

/** Token scenarios against oidc-provider and WaIdentity alternated, then logins and webhooks on WaIdentity. */
async function mainRuns(db) {
  const row = {};
  const idp = await startIdp(dll, db);
  const refFile = path.join(work, `reference-${db.label}.json`);
  const ref = await startReference(refFile, REFERENCE_FAMILIES);
  try {
    await sleep(cfg.idleSeconds);
    row.idleRssKiB = memoryKiB(idp.pid, 'VmRSS');
    const tokens = seedRefreshTokens(db, cfg.seeded, 'bench');
    const refTokens = JSON.parse(fs.readFileSync(refFile, 'utf8'));
    log(`${db.label}: client_credentials, oidc-provider and WaIdentity alternated`);
    row.clientCredentials = await scenarios.alternate({ reference: scenarios.clientCredentials(ref, cfg), waidentity: scenarios.clientCredentials(idp, cfg) }, cfg);
    log(`${db.label}: refresh rotation, alternated`);
    row.refresh = await scenarios.alternate({
      reference: scenarios.refreshRotation(ref, cfg, refTokens, path.join(work, 'ref-tokens.txt')),
      waidentity: scenarios.refreshRotation(idp, cfg, tokens, path.join(work, 'idp-tokens.txt')),
    }, cfg);
    log(`${db.label}: discovery + JWKS, alternated`);
    row.discovery = await scenarios.alternate({ reference: scenarios.discoveryAndJwks(ref, cfg), waidentity: scenarios.discoveryAndJwks(idp, cfg) }, cfg);
    row.referencePeakRssKiB = memoryKiB(ref.pid, 'VmHWM');
    await ref.stop();
    const wamids = [];
    log(`${db.label}: passwordless logins at ${cfg.loginUsers.join(' / ')} users`);
    row.logins = await scenarios.loginCurve(idp, cfg, wamids);
    log(`${db.label}: status webhooks (${wamids.length} WhatsApp messages)`);
    row.webhooks = await webhookRuns(idp, wamids);
    row.peakRssKiB = memoryKiB(idp.pid, 'VmHWM');
  } finally { await ref.stop(); await idp.stop(); }
  return row;
}

/** Webhook ingestion, with the backlog read before the first and after the last measured run. */
async function webhookRuns(idp, wamids) {
  const run = scenarios.statusWebhooks(idp, cfg, wamids, path.join(work, 'webhook-bodies.txt'));
  const warmup = await scenarios.warmUp(run, cfg);
  const before = await scenarios.webhookBacklog(idp);
  const t0 = Date.now();
  const runs = [];
  for (let i = 0; i < cfg.runs; i++) runs.push(await run(cfg.runSeconds));
  const after = await scenarios.webhookBacklog(idp);
  const seconds = (Date.now() - t0) / 1000;
  return { ...scenarios.summarizeRuns(runs, warmup), backlog: { before, after, growthPerSecond: (after - before) / seconds } };
}

/** client_credentials and refresh p99 at each size of users = clients = refresh tokens, on a freshly started server. */
async function growthRuns(db) {
  const rows = [];
  let have = 0;
  for (const size of cfg.sizes) {
    const t0 = Date.now();
    seedGrowth(db, have, size);
    have = size;
    const tokens = seedRefreshTokens(db, cfg.growthTokens, `g${size}`);
    log(`${db.label}: seeded ${size.toLocaleString('en')} users/clients/tokens in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    const idp = await startIdp(dll, db);
    try {
      const { cc } = await scenarios.alternate({ cc: scenarios.clientCredentials(idp, cfg) }, cfg);
      const { refresh } = await scenarios.alternate({ refresh: scenarios.refreshRotation(idp, cfg, tokens, path.join(work, 'growth-tokens.txt')) }, cfg);
      rows.push({ size, clientCredentials: cc, refresh });
    } finally { await idp.stop(); }
  }
  return rows;
}

/** Start to ready (GET /health/ready answers 200) of the published build on an existing SQLite database. */
async function startupRuns() {
  const file = path.join(work, 'startup.db');
  const db = { provider: 'Sqlite', label: 'SQLite', file, connectionString: `Data Source=${file}` };
  await (await startIdp(dll, db)).stop(); // creates the schema: not counted
  const times = [];
  for (let i = 0; i < cfg.starts; i++) {
    const idp = await startIdp(dll, db);
    times.push(idp.readyMs);
    await idp.stop();
  }
  return scenarios.stats(times);
}

const results = { machine: machine(), config: cfg, es256: es256Rate(), databases: {}, growth: {} };
log(`raw ES256 signing on one core: ${results.es256}/s; load average ${results.machine.load}`);
try {
  log('start to ready (SQLite)');
  results.startup = await startupRuns();
  for (const db of databases()) {
    results.databases[db.label] = await mainRuns(db);
    results.growth[db.label] = await growthRuns(db);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
results.machine.minutes = ((Date.now() - started) / 60000).toFixed(1);
results.machine.loadAfter = os.loadavg().map(x => x.toFixed(1)).join(' ');
const docs = path.join(here, '..', 'docs', 'performance.md');
const now = figures(results);
const earlierRuns = recordedRuns(fs.existsSync(docs) ? fs.readFileSync(docs, 'utf8') : '');
const comparison = compare(previousFigures(earlierRuns, quick), now, quick);
console.log('\n' + renderConsole(results, now, comparison));
const notes = fs.readFileSync(path.join(here, 'performance-notes.md'), 'utf8');
fs.writeFileSync(docs, renderMarkdown(results, now, comparison, earlierRuns, notes));
fs.writeFileSync(path.join(here, 'last-results.json'), JSON.stringify(results, null, 2));
console.log(`wrote ${path.relative(process.cwd(), docs)} in ${results.machine.minutes} min`);
