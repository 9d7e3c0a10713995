#!/usr/bin/env bash
# CI's short run of the harness (bin/test calls it): the no-loss test with 1,000 jobs, the stress
# test with 5,000, a throughput run of 1,000 jobs with a 5 s PerfTest, and one round of the start-up
# measure. It checks counts, never speed: it fails when a job is lost, run twice or refused, or a
# warren does not start or stop, not when a rate is low or a start slow. The runs' raw
# output goes to a temp folder (BENCH_RESULTS), not to bench/results: CI works on a clean clone and
# a smoke run is no figure anyone cites.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_RESULTS=${BENCH_RESULTS:-$(mktemp -d /tmp/warren-bench-results.XXXXXX)}
export BENCH_RESULTS
bench/reliability.sh 1000 8
STRESS_LIMIT=0 bench/stress.sh 5000
# captured for the checks below, and shown whether it passed or not
status=0
out=$(JIT_WARMUP_SECONDS=0 WARMUP=200 PERFTEST_SECONDS=5 WRK_SECONDS=3 bench/throughput.sh 1000 4) || status=$?
echo "$out"
[ "$status" -eq 0 ] || { echo "bench smoke: throughput run failed (exit $status)"; exit 1; }
for mode in single batch100; do
  line=$(echo "$out" | grep "mode=$mode " || true)
  echo "$line" | grep -q " accepted=1000 errors=0 processed=1000 " || { echo "bench smoke: $mode run lost or refused jobs"; exit 1; }
done
echo "$out" | grep -q "^ratio batch100 (java load): .* x the limit" || { echo "bench smoke: no yardstick"; exit 1; }
echo "$out" | grep -q "^ratio batch100 (wrk load): " || { echo "bench smoke: no wrk run"; exit 1; }
IDLE_SECONDS=2 bench/startup.sh 1
echo "bench smoke: PASS (raw output: $BENCH_RESULTS)"
