-- Scenario 2: refresh-token rotation. Every request sends the newest token of one family: the one the previous answer
-- of that family returned. wrk does not say which connection an answer belongs to, so each thread keeps a queue of
-- family heads: a request takes a head out of the queue, its 200 answer puts the rotated token back. A token is
-- therefore never sent twice and never sent after its successor exists, whatever the connection count. A failed
-- answer loses its family; the thread then starts a fresh seeded one.
-- Environment: BENCH_PATH, BENCH_BASIC, BENCH_TOKENS (file, one seeded token a line: read at start, and rewritten at
-- the end with the heads still usable, so the next run continues those families), BENCH_THREADS.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  heads, spare = {}, {}
  local n, i = tonumber(os.getenv("BENCH_THREADS")), 0
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if line ~= "" and i % n == id then table.insert(spare, line) end
    i = i + 1
  end
  path = os.getenv("BENCH_PATH")
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Authorization"] = os.getenv("BENCH_BASIC") }
end

function request()
  local token = table.remove(heads, 1) or table.remove(spare) or "exhausted"
  return wrk.format("POST", path, headers, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, hdrs, body)
  if status == 200 then
    local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
    if token then table.insert(heads, token) end
  elseif not reported then
    -- The first refused rotation of each thread, so a run with errors shows what they are.
    reported = true
    io.stderr:write("  refresh answered ", status, ": ", body:sub(1, 200), "\n")
  end
end

-- Called by report.lua's done(): the heads in the queues and the unused seeded tokens go back to the file. The heads
-- of requests still in flight when wrk stopped are lost (their families end there).
function finish()
  local out = io.open(os.getenv("BENCH_TOKENS"), "w")
  for _, t in ipairs(threads) do
    for _, list in ipairs({ t:get("heads") or {}, t:get("spare") or {} }) do
      for _, token in ipairs(list) do out:write(token, "\n") end
    end
  end
  out:close()
end
