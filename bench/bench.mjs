// Runs every scenario against WaIdentity (SQLite and PostgreSQL) and oidc-provider, prints the table and writes
// docs/performance.md. Started by bench/run, which provides BENCH_IDP_DLL and (for PostgreSQL) BENCH_PG_*.
// Usage: node bench/bench.mjs [--quick]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as scenarios from './lib/scenarios.mjs';
import { seedGrowth, seedRefreshTokens, runSql } from './lib/seed.mjs';
import { startIdp, startReference } from './lib/servers.mjs';
import { renderMarkdown, renderTable } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const cfg = quick
  ? { warmupSeconds: 1, runs: 2, runSeconds: 2, connections: 16, loginWorkers: 6, sizes: [1_000, 10_000], seeded: 600, opensslSeconds: 1 }
  : { warmupSeconds: 2, runs: 3, runSeconds: 3, connections: 16, loginWorkers: 6, sizes: [10_000, 100_000, 1_000_000], seeded: 3000, opensslSeconds: 2 };
const REFERENCE_FAMILIES = 200;
const dll = process.env.BENCH_IDP_DLL;
if (!dll || !fs.existsSync(dll)) throw new Error('BENCH_IDP_DLL must name the published WaIdentity.IdP.dll (run bench/run)');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'waid-bench-'));
const started = Date.now();
const log = msg => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}`);

function machine() {
  const version = cmd => { try { return execFileSync(cmd[0], cmd.slice(1), { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } };
  const pkg = name => JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), cores: os.cpus().length, ramGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    cpu: os.cpus()[0]?.model ?? 'unknown', dotnet: version(['dotnet', '--version']), node: process.version,
    oidcProvider: pkg('oidc-provider'), autocannon: pkg('autocannon'), quick,
  };
}

/**
 * The machine's raw signing rate for one algorithm (openssl speed, one core): token issuance cannot be faster.
 * ES256 is what WaIdentity signs with; RS256 is measured too, for clients that ask for it.
 */
function signingRate(algorithm, linePattern) {
  const out = execFileSync('openssl', ['speed', '-seconds', String(cfg.opensslSeconds), algorithm], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const line = out.split('\n').find(l => linePattern.test(l) && /\d+\.\d+\s+\d+\.\d+\s*$/.test(l));
  const [sign, verify] = line.trim().split(/\s+/).slice(-2).map(Number);
  return { sign, verify };
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

async function referenceRuns(results) {
  // oidc-provider's in-memory adapter is an LRU of 1000 entries: seed few families (two entries each) so none is evicted.
  const server = await startReference(path.join(work, 'reference-tokens.json'), REFERENCE_FAMILIES);
  try {
    const pool = JSON.parse(fs.readFileSync(path.join(work, 'reference-tokens.json'), 'utf8'));
    log('oidc-provider: discovery + JWKS');
    results.reference.discovery = await scenarios.discoveryAndJwks(server, cfg);
    log('oidc-provider: client_credentials');
    results.reference.clientCredentials = await scenarios.clientCredentials(server, cfg);
    log('oidc-provider: refresh rotation');
    results.reference.refresh = await scenarios.refreshRotation(server, cfg, pool);
  } finally { await server.stop(); }
}

async function mainRuns(db, results) {
  const row = results.waidentity[db.label] = {};
  const server = await startIdp(dll, db);
  try {
    const pool = seedRefreshTokens(db, cfg.seeded, 'bench');
    const wamids = [];
    log(`${db.label}: discovery + JWKS`);
    row.discovery = await scenarios.discoveryAndJwks(server, cfg);
    log(`${db.label}: client_credentials`);
    row.clientCredentials = await scenarios.clientCredentials(server, cfg);
    log(`${db.label}: refresh rotation`);
    row.refresh = await scenarios.refreshRotation(server, cfg, pool);
    log(`${db.label}: passwordless login`);
    row.login = await scenarios.passwordlessLogin(server, cfg, wamids);
    log(`${db.label}: status webhooks (${wamids.length} messages)`);
    if (wamids.length > 0) row.webhooks = await scenarios.statusWebhooks(server, cfg, wamids);
  } finally { await server.stop(); }
}

/** Grows users, clients and refresh tokens to each size, restarting the server each time (fresh peak RSS). */
async function growthRuns(db, results) {
  const rows = results.growth[db.label] = [];
  let have = 0;
  for (const size of cfg.sizes) {
    const t0 = Date.now();
    seedGrowth(db, have, size);
    have = size;
    log(`${db.label}: seeded ${size} users/clients/tokens in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    const server = await startIdp(dll, db);
    try {
      const clientCredentials = await scenarios.clientCredentials(server, cfg);
      const discovery = await scenarios.discoveryAndJwks(server, cfg);
      rows.push({ size, clientCredentials, discovery });
    } finally { await server.stop(); }
  }
}

const results = {
  machine: machine(), es256: signingRate('ecdsap256', /nistp256/), rs256: signingRate('rsa2048', /^rsa\s+2048/), reference: {}, waidentity: {}, growth: {},
};
log(`raw signing per core: ES256 ${results.es256.sign}/s, RS256 ${results.rs256.sign}/s`);
try {
  await referenceRuns(results);
  for (const db of databases()) {
    await mainRuns(db, results);
    await growthRuns(db, results);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
results.machine.minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log('\n' + renderTable(results));
const docs = path.join(here, '..', 'docs', 'performance.md');
const notes = fs.readFileSync(path.join(here, 'performance-notes.md'), 'utf8');
fs.writeFileSync(docs, renderMarkdown(results, notes));
fs.writeFileSync(path.join(here, 'last-results.json'), JSON.stringify(results, null, 2));
console.log(`wrote ${path.relative(process.cwd(), docs)} in ${results.machine.minutes} min`);
