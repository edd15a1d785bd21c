// Prints, after the suite, what a reader of a long CI log needs at its end: every failed test with its message and
// the first lines of its stack, and the classes that took the most time. Reads the TRX file test.sh asks for.
// Usage: node scripts/test-summary.mjs test-results/results.trx
import { readFileSync, existsSync } from "node:fs";

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.log(`test-summary: no result file at ${file}`);
  process.exit(0);
}
const xml = readFileSync(file, "utf8");
const decode = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
  .replace(/&apos;/g, "'").replace(/&#xD;/g, "").replace(/&#xA;/g, "\n").replace(/&amp;/g, "&");
const seconds = (d) => { const [h, m, s] = d.split(":").map(Number); return h * 3600 + m * 60 + s; };

const results = [...xml.matchAll(/<UnitTestResult\b([^>]*?)(\/>|>([\s\S]*?)<\/UnitTestResult>)/g)].map((m) => {
  const attr = (name) => (m[1].match(new RegExp(`${name}="([^"]*)"`)) || [])[1] || "";
  const inner = m[3] || "";
  const pick = (tag) => decode((inner.match(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`)) || [])[1] || "");
  return {
    name: decode(attr("testName")), outcome: attr("outcome"), duration: seconds(attr("duration") || "0:0:0"),
    message: pick("Message"), stack: pick("StackTrace"),
  };
});

const failed = results.filter((r) => r.outcome === "Failed");
const classOf = (name) => name.replace(/\(.*$/, "").split(".").slice(0, -1).join(".");
const byClass = new Map();
for (const r of results) byClass.set(classOf(r.name), (byClass.get(classOf(r.name)) || 0) + r.duration);
const total = results.reduce((sum, r) => sum + r.duration, 0);

console.log("\n=== Slowest test classes (seconds, summed over their cases) ===");
[...byClass].sort((a, b) => b[1] - a[1]).slice(0, 12)
  .forEach(([name, s]) => console.log(`${s.toFixed(1).padStart(8)}  ${name.replace(/^WaIdentity\.Tests\./, "")}`));
console.log(`${total.toFixed(1).padStart(8)}  all ${results.length} cases`);

console.log(`\n=== ${failed.length} failed of ${results.length} ===`);
for (const r of failed) {
  console.log(`\nFAILED ${r.name} (${r.duration.toFixed(1)} s)`);
  console.log(r.message.trim().split("\n").slice(0, 25).join("\n"));
  console.log(r.stack.trim().split("\n").slice(0, 12).join("\n"));
}
