-- Scenario 1: client_credentials with client_secret_basic and scope=api (an ES256 JWT access token per answer).
-- Environment: BENCH_PATH (the token endpoint), BENCH_BASIC (the Authorization header).
wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_BASIC")
wrk.body = "grant_type=client_credentials&scope=api"
