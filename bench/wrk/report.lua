-- Appended to every scenario script by bench/lib/wrk.mjs: prints one JSON line with the run's figures
-- (latencies in microseconds; errors are socket errors, timeouts and answers >= 400).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  if finish then finish() end
end
