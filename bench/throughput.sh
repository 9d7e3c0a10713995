#!/usr/bin/env bash
# Throughput of warren against RabbitMQ PerfTest on the same broker, in one run.
#   bench/throughput.sh [jobs] [concurrency] [chart.png]   (defaults: 10000 jobs, 8 clients)
# Starts its own warren (port 18080, a no-op job type 'bench'), warms it up (WARMUP jobs each way,
# default 3000, not counted), sends the jobs through the single-job endpoint and then the batch
# endpoint (100 per request), waits until each is processed, then runs PerfTest (1 producer, 1 consumer, persistent, confirms, same message size)
# for PERFTEST_SECONDS (20) and prints warren's end-to-end rate as a ratio of PerfTest's. Draws
# the chart (rates and accept latency) to chart.png (default: target/bench-throughput.png).
# Judges counts, never speed: exits 1 when a run (warm-up included) had a failed request or did not
# accept and process all its jobs, or when PerfTest printed no rate.
source "$(dirname "$0")/lib.sh"
JOBS=${1:-10000}
CONCURRENCY=${2:-8}
CHART=${3:-$ROOT/target/bench-throughput.png}
SIZE=100
PORT=18080

start_warren main $PORT
# JIT warm-up, not counted: measured cold, the first few thousand jobs ran at ~60% of the warm rate
WARMUP=${WARMUP:-3000}
# (its lines are not shown; a failed request or a job not processed still fails the run)
for warm_batch in 0 100; do
  load --url "http://127.0.0.1:$PORT" --type bench --jobs "$WARMUP" --concurrency "$CONCURRENCY" --size $SIZE --batch $warm_batch \
    > /dev/null || { echo "throughput: FAIL in the warm-up (log: $WORK/main.log)"; exit 1; }
done
echo "warm-up: $WARMUP single and $WARMUP batched jobs, not counted"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; broker, warren and load share them"
# each judged below, once both lines are printed (why a run failed, the load program says on stderr)
single=$(load --url "http://127.0.0.1:$PORT" --type bench --jobs "$JOBS" --concurrency "$CONCURRENCY" --size $SIZE) || true
echo "warren $single"
batch=$(load --url "http://127.0.0.1:$PORT" --type bench --jobs "$JOBS" --concurrency "$CONCURRENCY" --size $SIZE --batch 100) || true
echo "warren $batch"
echo "warren peak_rss_mb=$(peak_rss "$(pid_of main)")"
kill "$(pid_of main)" 2>/dev/null || true
ok=true
check_load "$single" "$JOBS" || { echo "(single-job run)"; ok=false; }
check_load "$batch" "$JOBS" || { echo "(batch run)"; ok=false; }
# a rate of jobs that were refused, or never ran, is no rate: no PerfTest, no chart
$ok || { echo "throughput: FAIL (log: $WORK/main.log)"; exit 1; }

CP=$(./mvnw -q -f bench/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
java -cp "$CP" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 -x 1 -y 1 -f persistent -c 100 \
  -s $SIZE -z "${PERFTEST_SECONDS:-20}" -u "$RUN.perftest" -ad false > "$WORK/perftest.txt" 2>&1 || true
perf=$(grep -E "receiving rate avg" "$WORK/perftest.txt" | tail -1 || true)
echo "perftest $perf"
perf_rate=$(sed -nE 's/.*receiving rate avg: ([0-9]+).*/\1/p' <<< "$perf")
# without the yardstick there is no ratio (and 0 would divide by zero)
if ! [ "${perf_rate:-0}" -gt 0 ] 2>/dev/null; then
  echo "FAIL: PerfTest printed no receiving rate; its last lines:"; tail -5 "$WORK/perftest.txt"
  echo "throughput: FAIL"; exit 1
fi
for line in "$single" "$batch"; do
  rate=$(echo "$line" | sed -E 's/.*end_to_end_per_s=([0-9]+).*/\1/')
  mode=$(echo "$line" | sed -E 's/mode=([a-z0-9]+).*/\1/')
  awk -v r="$rate" -v p="$perf_rate" -v m="$mode" 'BEGIN { printf "ratio %s: %.3f x PerfTest (%d / %d msg/s)\n", m, r / p, r, p }'
done
java -Djava.awt.headless=true bench/Chart.java "$CHART" "$single" "$batch" "$perf_rate" \
  "warren vs RabbitMQ PerfTest: $JOBS jobs, $CONCURRENCY clients, $(nproc) cores, $(date +%F)"
echo "chart: $CHART"
echo "throughput: PASS (counts; speed is reported, not judged)"
