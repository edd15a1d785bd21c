// Start-up and idle memory of one published build under the given runtime settings: median start to ready over 5
// starts on an existing SQLite database, and VmRSS 10 s after ready. For trying GC and JIT settings without a full
// bench run: `BENCH_IDP_DLL=... DOTNET_gcServer=0 node bench/start-and-memory.mjs` (the environment reaches the IdP).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryKiB, mb, startIdp } from './lib/servers.mjs';

const dll = process.env.BENCH_IDP_DLL;
if (!dll || !fs.existsSync(dll)) throw new Error('BENCH_IDP_DLL must name the published WaIdentity.IdP.dll');
const db = { provider: 'Sqlite', connectionString: `Data Source=${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'waid-start-')), 'idp.db')}` };
await (await startIdp(dll, db)).stop(); // the first start creates the schema; not counted
const starts = [];
let rss = 0;
for (let i = 0; i < 5; i++) {
  const server = await startIdp(dll, db);
  starts.push(server.readyMs);
  if (i === 0) { await new Promise(r => setTimeout(r, 10_000)); rss = mb(memoryKiB(server.pid, 'VmRSS')); }
  await server.stop();
}
starts.sort((a, b) => a - b);
console.log(`start to ready: median ${starts[2].toFixed(0)} ms [${starts[0].toFixed(0)}-${starts[4].toFixed(0)}]; RSS idle ${rss.toFixed(0)} MB`);
