#!/usr/bin/env bash
# CI's short run of the harness (bin/test calls it): the no-loss test with 1,000 jobs, and a
# throughput run of 1,000 jobs with a 5 s PerfTest. It checks counts, never speed: it fails when a
# job is lost, run twice or refused, not when a rate is low.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/reliability.sh 1000 8
out=$(WARMUP=200 PERFTEST_SECONDS=5 bench/throughput.sh 1000 4)
echo "$out"
for mode in single batch100; do
  line=$(echo "$out" | grep "mode=$mode ")
  echo "$line" | grep -q " accepted=1000 errors=0 processed=1000 " || { echo "bench smoke: $mode run lost or refused jobs"; exit 1; }
done
echo "$out" | grep -q "^ratio batch100: " || { echo "bench smoke: no PerfTest yardstick"; exit 1; }
echo "bench smoke: PASS"
