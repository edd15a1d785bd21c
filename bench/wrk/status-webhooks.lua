-- Scenario 4: signed Cloud API status webhooks. The bodies and their X-Hub-Signature-256 are computed beforehand by
-- bench/lib/scenarios.mjs (HMAC-SHA256 with the sandbox app secret); each thread cycles through them from its own
-- offset. Environment: BENCH_BODIES (file, one "signature<TAB>body" a line), BENCH_THREADS.
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  requests = {}
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    local signature, body = line:match("^([^\t]+)\t(.+)$")
    if signature then
      table.insert(requests, wrk.format("POST", "/channel/webhooks/whatsapp",
        { ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = signature }, body))
    end
  end
  n = math.floor(#requests * id / tonumber(os.getenv("BENCH_THREADS")))
end

function request()
  n = n + 1
  return requests[n % #requests + 1]
end
