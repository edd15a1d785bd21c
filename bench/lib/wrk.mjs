// Runs one wrk load (Debian's wrk, a C load generator with a Lua script per scenario) and reduces it to the figures
// the report shows. The scenario scripts are in bench/wrk/; report.lua is appended to each so wrk prints one JSON line.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scripts = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'wrk');
const joined = new Map();
// Two threads: the machine this bench is meant for has 2 cores, which the servers need more than the generator.
export const WRK_THREADS = Math.min(2, os.cpus().length);

function script(name) {
  if (!joined.has(name)) {
    const file = path.join(os.tmpdir(), `waid-bench-${process.pid}-${name}`);
    fs.writeFileSync(file, fs.readFileSync(path.join(scripts, name), 'utf8') + '\n' + fs.readFileSync(path.join(scripts, 'report.lua'), 'utf8'));
    process.once('exit', () => fs.rmSync(file, { force: true }));
    joined.set(name, file);
  }
  return joined.get(name);
}

/**
 * One run of `seconds` with `connections` connections. Returns successful requests per second (answers below 400),
 * latency percentiles in ms over all answers, and errors (socket errors, timeouts, answers >= 400).
 */
export function wrk(base, name, seconds, connections, env = {}) {
  const args = ['-t', String(Math.min(WRK_THREADS, connections)), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', script(name), base];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { env: { ...process.env, BENCH_THREADS: String(Math.min(WRK_THREADS, connections)), ...env }, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const line = /BENCH-RESULT (\{.*\})/.exec(stdout)?.[1];
      if (err || !line) return reject(new Error(`wrk ${name} failed: ${err?.message ?? ''} ${stdout.slice(-500)} ${stderr.slice(-500)}`));
      if (stderr.trim()) process.stderr.write(stderr); // the scripts' own reports (the first refused answer)
      const r = JSON.parse(line);
      const errors = r.connect + r.read + r.write + r.status + r.timeout;
      resolve({ rps: (r.requests - r.status) / (r.durationUs / 1e6), p50: r.p50 / 1000, p95: r.p95 / 1000, p99: r.p99 / 1000, errors });
    });
  });
}
