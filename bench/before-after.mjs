// Compares two builds of the IdP on the token scenarios (1 and 2), SQLite and PostgreSQL, alternating builds so the
// machine's noise hits both alike. Used to record the before/after figures in bench/performance-notes.md.
// Usage (PostgreSQL from scripts/temp-postgres.sh as in bench/run):
//   BENCH_PG_PORT=.. BENCH_PG_BIN=.. node bench/before-after.mjs BEFORE.dll AFTER.dll ["Label=Env=Value" ...]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as scenarios from './lib/scenarios.mjs';
import { runSql, seedRefreshTokens } from './lib/seed.mjs';
import { startIdp } from './lib/servers.mjs';

const [before, after, ...variants] = process.argv.slice(2);
const cfg = { warmupWindowSeconds: 3, warmupMinSeconds: 6, warmupMaxSeconds: 30, warmupTolerancePct: 5, runs: 3, runSeconds: 10, connections: 16 };
const builds = [['before', before, {}], ['after', after, {}],
  ...variants.map(v => { const [label, key, value] = v.split('='); return [label, after, { [key]: value }]; })];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'waid-ba-'));
const rows = [];
let n = 0;
for (const provider of ['Sqlite', 'PostgreSQL']) {
  if (provider === 'PostgreSQL' && !process.env.BENCH_PG_PORT) continue;
  for (const [label, dll, extra] of builds) {
    const db = provider === 'Sqlite'
      ? { provider, file: path.join(work, `${n}.db`), connectionString: `Data Source=${path.join(work, `${n}.db`)}` }
      : { provider, name: `waid_ba_${n}`, port: process.env.BENCH_PG_PORT, psql: path.join(process.env.BENCH_PG_BIN, 'psql') };
    n++;
    if (provider === 'PostgreSQL') {
      runSql({ ...db, name: 'postgres' }, `CREATE DATABASE ${db.name};`);
      db.connectionString = `Host=127.0.0.1;Port=${db.port};Username=postgres;Database=${db.name};Pooling=true;Maximum Pool Size=100`;
    }
    const server = await startIdp(dll, db, extra);
    try {
      const pool = seedRefreshTokens(db, 3000, 'ba');
      const { cc } = await scenarios.alternate({ cc: scenarios.clientCredentials(server, cfg) }, cfg);
      const { rt } = await scenarios.alternate({ rt: scenarios.refreshRotation(server, cfg, pool, path.join(work, 'tokens.txt')) }, cfg);
      rows.push(`| ${provider} | ${label} | ${cc.rps.value.toFixed(0)} | ${cc.p99.value.toFixed(0)} | ${rt.rps.value.toFixed(0)} | ${rt.p99.value.toFixed(0)} | ${cc.errors + rt.errors} |`);
      console.log(rows.at(-1));
    } finally { await server.stop(); }
  }
}
fs.rmSync(work, { recursive: true, force: true });
console.log(['', '| DB | build | cc req/s | cc p99 ms | refresh req/s | refresh p99 ms | errors |', '|---|---|---|---|---|---|---|', ...rows].join('\n'));
