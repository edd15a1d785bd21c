// Turns the results into the issue's figures next to their goals, compares them with the previous run recorded in
// docs/performance.md (within ±15%), and renders the console report and the page.
import { mb } from './servers.mjs';
import { pairedRatio } from './scenarios.mjs';

export const AGREEMENT_PCT = 15;
const MARK = 'bench-figures';

const n0 = x => (x === undefined || Number.isNaN(x) ? '—' : Math.round(x).toLocaleString('en'));
const n1 = x => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(x < 10 ? 2 : 1));
/** "median [min–max]" of a stats object, with a formatter. */
const spread = (s, f = n0) => `${f(s.value)} [${f(s.min)}–${f(s.max)}]`;
// The warm-up's length, and for WaIdentity the share of the last window its JIT spent compiling.
const warmedUp = w => `${w.seconds}${w.jitPct === undefined ? '' : `, JIT ${w.jitPct.toFixed(1)}%`}${w.steady ? '' : ' (not steady)'}`;
const sizeLabel = x => (x >= 1e6 ? `${x / 1e6}M` : x >= 1e3 ? `${x / 1e3}k` : String(x));

/**
 * The figures of the issue's table, one entry each: key (stable across runs), figure, value (a number, what two runs
 * compare), text (with its spread), goal, met (true / false / undefined when there is no goal), ratio (a ratio
 * against the reference or between sizes: two runs must agree on these within ±15%).
 */
export function figures(results) {
  const list = [];
  // short: the value with its spread (the page's table, two runs side by side); text: short and the figures behind it.
  const add = (key, figure, value, short, detail, goal, met, ratio = false) =>
    list.push({ key, figure, value, short, text: detail ? `${short} · ${detail}` : short, goal, met, ratio });
  for (const [db, row] of Object.entries(results.databases)) {
    const refreshGoal = db === 'SQLite' ? 2 : 1;
    for (const [key, name, goal] of [['refresh', 'refresh rotation', refreshGoal], ['clientCredentials', 'client_credentials', 3]]) {
      const s = row[key];
      const r = pairedRatio(s.waidentity, s.reference);
      add(`${key}.ratio.${db}`, `${name} ÷ oidc-provider, ${db}`, r.value,
        spread(r, x => `${x.toFixed(2)}×`), `${spread(s.waidentity.rps)} vs ${spread(s.reference.rps)} req/s · p99 ${n1(s.waidentity.p99.value)} vs ${n1(s.reference.p99.value)} ms`
        + (s.waidentity.errors + s.reference.errors ? ` · errors ${s.waidentity.errors} / ${s.reference.errors}` : ''),
        `≥ ${goal}×`, r.value >= goal, true);
    }
    const best = row.logins.reduce((a, b) => (b.rps.value > a.rps.value ? b : a));
    add(`logins.${db}`, `passwordless logins/s, ${db} (users: logins/s, p95 per login)`, best.rps.value,
      `best ${spread(best.rps, n1)}/s at ${best.users} users`,
      row.logins.map(p => `${p.users}: ${n1(p.rps.value)}/s, p95 ${n0(p.p95.value)} ms${p.errors ? `, ${p.errors} errors` : ''}`).join(' · '),
      db === 'SQLite' ? 'best ≥ 300/s' : '', db === 'SQLite' ? best.rps.value >= 300 : undefined);
    const w = row.webhooks;
    const flat = w.backlog.before !== undefined && w.backlog.after !== undefined && w.backlog.growthPerSecond <= 0.05 * w.rps.value;
    add(`webhooks.${db}`, `signed status webhooks accepted/s, ${db}`, w.rps.value,
      `${spread(w.rps)}/s, backlog ${flat ? 'flat' : 'growing'}`, `backlog ${n0(w.backlog.before)} → ${n0(w.backlog.after)} (${w.backlog.growthPerSecond >= 0 ? '+' : ''}${n1(w.backlog.growthPerSecond)}/s)`
        + (w.errors ? ` · ${w.errors} errors` : ''),
      '≥ 5,000/s, backlog flat', w.rps.value >= 5000 && flat);
    add(`rss.idle.${db}`, `RSS idle after start, ${db}`, mb(row.idleRssKiB), `${n0(mb(row.idleRssKiB))} MB`, '', '≤ 150 MB', mb(row.idleRssKiB) <= 150);
    add(`rss.peak.${db}`, `RSS peak under the scenarios, ${db}`, mb(row.peakRssKiB), `${n0(mb(row.peakRssKiB))} MB`, `oidc-provider ${n0(mb(row.referencePeakRssKiB))} MB`, '≤ 200 MB', mb(row.peakRssKiB) <= 200);
  }
  add('startup', 'start to ready, published build, SQLite', results.startup.value, `${spread(results.startup)} ms`, `${results.startup.n} starts`, '≤ 2,000 ms', results.startup.value <= 2000);
  for (const [db, rows] of Object.entries(results.growth)) {
    for (const [key, name] of [['clientCredentials', 'client_credentials'], ['refresh', 'refresh']]) {
      const first = rows[0], last = rows.at(-1);
      if (!first || first === last) { add(`growth.${key}.${db}`, `${name} p99 growth, ${db}`, undefined, 'not measured', 'fewer than two sizes seeded', '≤ 1.2×', undefined, true); continue; }
      const ratio = last[key].p99.value / first[key].p99.value;
      add(`growth.${key}.${db}`, `${name} p99 ${sizeLabel(last.size)} ÷ ${sizeLabel(first.size)}, ${db}`, ratio,
        `${ratio.toFixed(2)}×`, `p99 ${rows.map(r => `${sizeLabel(r.size)}: ${n1(r[key].p99.value)} ms`).join(', ')}`, '≤ 1.2×', ratio <= 1.2, true);
    }
  }
  return list;
}

/** The runs recorded in docs/performance.md (newest first): a --quick run does not push a full run out. */
export function recordedRuns(markdown) {
  const m = new RegExp(`<!-- ${MARK} (.*?) -->`, 's').exec(markdown);
  try { return m ? JSON.parse(m[1]).runs ?? [] : []; } catch { return []; }
}

/** The latest recorded run of the same kind (full or --quick), or undefined. */
export const previousFigures = (runs, quick) => runs.find(r => r.quick === quick);

/** Each figure against the previous run: the change in percent, and whether every ratio agrees within ±15%. */
export function compare(previous, now, quick) {
  if (!previous) return { available: false, why: `no earlier ${quick ? '--quick' : 'full'} run recorded in docs/performance.md` };
  const changes = {};
  for (const f of now) {
    const before = previous.figures[f.key]?.value;
    if (before === undefined || f.value === undefined || !before) continue;
    const pct = (100 * (f.value - before)) / before;
    changes[f.key] = { before, beforeText: previous.figures[f.key].short, pct, agrees: Math.abs(pct) <= AGREEMENT_PCT };
  }
  const ratios = now.filter(f => f.ratio && changes[f.key]);
  const disagreeing = ratios.filter(f => !changes[f.key].agrees).map(f => f.figure);
  return { available: true, date: previous.date, changes, ratiosCompared: ratios.length, disagreeing, agrees: ratios.length > 0 && disagreeing.length === 0 };
}

const verdict = c => (!c.available ? `Run-to-run agreement: not checked (${c.why}).`
  : c.agrees ? `Run-to-run agreement: all ${c.ratiosCompared} ratios agree with the run of ${c.date} within ±${AGREEMENT_PCT}%.`
    : `Run-to-run agreement: NO, ${c.disagreeing.length} of ${c.ratiosCompared} ratios differ from the run of ${c.date} by more than ±${AGREEMENT_PCT}%: ${c.disagreeing.join('; ')}.`);
const met = f => (f.met === undefined ? '' : f.met ? 'met' : 'not met');
const change = (c, f) => { const x = c.changes?.[f.key]; return x ? `${x.pct >= 0 ? '+' : ''}${x.pct.toFixed(0)}%${x.agrees ? '' : ' (!)'}` : ''; };

function machineLine(results) {
  const m = results.machine;
  return `${m.date} · ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.cpu} · .NET SDK ${m.dotnet}, Node ${m.node}, oidc-provider ${m.oidcProvider}, ${m.wrk}`
    + ` · ${m.quick ? '--quick (smoke) run' : 'full run'} · ran ${m.minutes} min · load average before ${m.load}, after ${m.loadAfter}`
    + ` · raw ES256 signing on one core (openssl): ${n0(results.es256)}/s`;
}

function detailRows(results) {
  const rows = [];
  for (const [db, row] of Object.entries(results.databases)) {
    for (const [key, name] of [['clientCredentials', 'client_credentials'], ['refresh', 'refresh rotation'], ['discovery', 'discovery + JWKS']]) {
      for (const [side, label] of [['waidentity', 'WaIdentity'], ['reference', 'oidc-provider']]) {
        const s = row[key][side];
        rows.push([name, db, label, spread(s.rps), n1(s.p50.value), n1(s.p95.value), n1(s.p99.value), String(s.errors), warmedUp(s.warmup)]);
      }
    }
    row.logins.forEach((p, i) => rows.push([`logins, ${p.users} users`, db, 'WaIdentity', spread(p.rps, n1), n0(p.p50.value), n0(p.p95.value), n0(p.p99.value), String(p.errors),
      i ? 'after the first point' : warmedUp(p.warmup)]));
    const w = row.webhooks;
    rows.push(['status webhooks', db, 'WaIdentity', spread(w.rps), n1(w.p50.value), n1(w.p95.value), n1(w.p99.value), String(w.errors), warmedUp(w.warmup)]);
  }
  for (const [db, list] of Object.entries(results.growth)) {
    for (const g of list) {
      for (const [key, name] of [['clientCredentials', 'client_credentials'], ['refresh', 'refresh rotation']]) {
        const s = g[key];
        rows.push([`${name} at ${sizeLabel(g.size)} rows`, db, 'WaIdentity', spread(s.rps), n1(s.p50.value), n1(s.p95.value), n1(s.p99.value), String(s.errors), warmedUp(s.warmup)]);
      }
    }
  }
  return rows;
}

const HEAD_GOALS = ['figure', 'goal', 'this run, median [min–max]', '', 'previous run', 'change'];
const HEAD_DETAIL = ['scenario', 'DB', 'server', 'per s, median [min–max]', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'warm-up s'];
const goalRows = (now, c) => now.map(f => [f.figure, f.goal, f.short, met(f), c.changes?.[f.key]?.beforeText ?? '', change(c, f)]);

function plain(head, rows) {
  const widths = head.map((h, i) => Math.min(70, Math.max(h.length, ...rows.map(r => String(r[i]).length))));
  const line = r => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const md = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n');

export function renderConsole(results, now, comparison) {
  const list = now.map(f => `${f.met === undefined ? '  ' : f.met ? 'ok' : '--'} ${f.figure}\n     ${f.text}\n     goal ${f.goal || '—'}${comparison.changes?.[f.key] ? ` · previous ${n1(comparison.changes[f.key].before)}, change ${change(comparison, f)}` : ''}`);
  return [machineLine(results), '', ...list, '', verdict(comparison), '', plain(HEAD_DETAIL, detailRows(results))].join('\n');
}

export function renderMarkdown(results, now, comparison, earlierRuns, notes) {
  const record = { date: results.machine.date, quick: results.machine.quick, figures: Object.fromEntries(now.map(f => [f.key, { value: f.value, short: f.short }])) };
  // This run, the previous one of each kind, and nothing older: the page shows this run and the one it compared with.
  const kept = [record, ...[true, false].map(q => earlierRuns.find(r => r.quick === q)).filter(Boolean)];
  const c = results.config;
  return `# Performance

Generated by \`bench/run\`${results.machine.quick ? ' --quick' : ''}; do not edit the tables by hand (the text after them comes
from \`bench/performance-notes.md\`; "How to run" there says what every column means).
${results.machine.quick ? '\n**Smoke run (--quick): short runs, not a result. Run `bench/run` twice on a quiet machine for figures.**\n' : ''}
${machineLine(results)}

## Figures and goals

Each figure is the median of ${c.runs} runs of ${c.runSeconds} s after a warm-up to a steady state, WaIdentity and
oidc-provider alternated run by run; [min–max] is the range of the runs. A ratio is WaIdentity ÷ oidc-provider per
pair of back-to-back runs. "previous run" and "change" compare with the run recorded here before this one.

${md(HEAD_GOALS, goalRows(now, comparison))}

${verdict(comparison)}

## Every run

${md(HEAD_DETAIL, detailRows(results))}

<!-- ${MARK} ${JSON.stringify({ runs: kept })} -->

${notes}`;
}
