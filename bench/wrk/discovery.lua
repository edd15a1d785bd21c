-- Scenario 5: discovery and JWKS alternately, as a relying party fetching both. Environment: BENCH_JWKS_PATH.
local paths = { "/.well-known/openid-configuration", os.getenv("BENCH_JWKS_PATH") }
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", paths[n % 2 + 1])
end
