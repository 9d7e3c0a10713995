#!/usr/bin/env bash
# A route file's HTTP endpoint against the API's, on one warren: warren:http:/intake/bench, whose
# route submits each request's body with warren:submit:bench (the same checks, store and publish as
# POST /api/v1/jobs/bench, but through a Camel route whose steps run synchronously: each request
# holds one of the HTTP server's worker threads until its job is stored and, in confirm mode,
# confirmed), and the API's endpoint, whose request holds no thread while it waits. After the JIT
# warm-up (both paths), ROUNDS (2) rounds of wrk on each, at 16 and at 64 connections (the HTTP
# server has 20 worker threads). Exits 1 on a refused request or an unprocessed job.
#   bench/route-intake.sh
source "$(dirname "$0")/lib.sh"
cat > "$WORK/routes/intake-bench.yaml" <<'YAML'
- route:
    id: intake-bench
    from:
      uri: warren:http:/intake/bench
      parameters:
        role: submit
      steps:
        - to: warren:submit:bench
        - setHeader: {name: CamelHttpResponseCode, constant: 202}
        - setBody:
            simple: '{"jobId": "${header.WarrenJobId}"}'
YAML
ensure_wrk
start_warren main 18140
jit_warm_up main
WRK_SECONDS=30 WRK_PATH=/intake/bench wrk_load warmup 16 0 main > /dev/null
ok=true
for round in $(seq 1 "${ROUNDS:-2}"); do
  for clients in 16 64; do
    line=$(wrk_load "api-$clients" "$clients" 0 main) || ok=false
    echo "round=$round $line"
    line=$(WRK_PATH=/intake/bench wrk_load "route-$clients" "$clients" 0 main) || ok=false
    echo "round=$round $line"
  done
done
$ok || { echo "route-intake: FAIL"; exit 1; }
echo "route-intake: PASS"
