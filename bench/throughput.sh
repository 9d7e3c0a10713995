#!/usr/bin/env bash
# Throughput of warren against the broker's own limit for warren's topology, in one run.
#   bench/throughput.sh [jobs] [concurrency] [chart.png]   (defaults: 10000 jobs, 8 clients)
# Then, with wrk (a C load tool, installed from Debian when missing; THROUGHPUT_WRK=0 skips it),
# WRK_SECONDS (20) of load on the single-job endpoint (16 connections) and on the batch endpoint
# (100 jobs per request, 4 connections), each waited for until warren processed every accepted job;
# between them, the single-job endpoint paced at half the rate wrk had just reached there
# (bench/pacer.c, open loop; PACED_SECONDS, 15, after 5 s whose latency is not counted), for the
# accept latency at a fixed rate.
# The limit: RabbitMQ PerfTest with one producer (persistent, confirms, 100 in flight, 100-byte
# bodies) into a direct exchange that routes each message to two durable queues, one consumer on
# each (qos 500, multi-ack 100): each job of warren is two queue messages (work and audit), so no
# gateway with those two queues can move more jobs/s on this machine. Plain PerfTest (one queue) is
# run too, for continuity with earlier results.
# Starts its own warren (port 18080, a no-op job type 'bench'), warms it up (wrk until the JIT
# compiler has gone quiet, JIT_WARMUP_SECONDS at most; then WARMUP jobs each way, default 3000; not counted), sends the jobs through the single-job endpoint and then the batch
# endpoint (100 per request), waits until each is processed, then runs PerfTest (1 producer, 1 consumer, persistent, confirms, same message size)
# for PERFTEST_SECONDS (20) and prints warren's end-to-end rate as a ratio of PerfTest's. Draws
# the chart (rates and accept latency) to chart.png (default: target/bench-throughput.png).
# BENCH_DB=postgres runs warren on a fresh PostgreSQL database instead of the embedded H2 file.
# Judges counts, never speed: exits 1 when a run (warm-up included) had a failed request or did not
# accept and process all its jobs, or when PerfTest printed no rate.
source "$(dirname "$0")/lib.sh"
JOBS=${1:-10000}
CONCURRENCY=${2:-8}
CHART=${3:-$ROOT/target/bench-throughput.png}
SIZE=${BENCH_PAYLOAD:-100}
PORT=18080

# BENCH_DB=postgres: the job database is PostgreSQL (a fresh one), not the embedded H2 file
DB_ENV=()
[ "${BENCH_DB:-h2}" = postgres ] && postgres_db warren_throughput
echo "job database: ${BENCH_DB:-h2}"
start_warren main $PORT "${DB_ENV[@]}"
# JIT warm-up, not counted: wrk until the compiler has gone quiet (lib.sh), then WARMUP jobs each
# way through the load program (measured cold, the first few thousand jobs ran at ~60% of the warm rate)
ensure_wrk
jit_warm_up main || { echo "throughput: FAIL in the JIT warm-up (log: $WORK/main.log)"; exit 1; }
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
ok=true
check_load "$single" "$JOBS" || { echo "(single-job run)"; ok=false; }
check_load "$batch" "$JOBS" || { echo "(batch run)"; ok=false; }
wrk_lines=()
if $ok && [ "${THROUGHPUT_WRK:-1}" != 0 ]; then
  ensure_wrk
  for run in "single 16 0" "batch100 4 100"; do
    set -- $run
    line=$(wrk_load "$1" "$2" "$3" main) || { echo "FAIL: wrk $1 run refused, lost or did not process jobs"; ok=false; }
    echo "$line"
    wrk_lines+=("$line")
    # accept latency at a fixed rate, half the single-job rate wrk reached, for PACED_SECONDS (15)
    # after 5 s not counted: bench/pacer.c sends each request when it is due (open loop, 64
    # connections) and counts its latency from then. (The Java load program's pacing topped out near
    # 600 requests/s on these two cores and counted its own backlog.) Right after the rate it halves,
    # not after the batch run: a machine that slows in between would make the pacer ask for more.
    rate=$(field end_to_end_per_s "$line")
    if [ "$1" = single ] && [ "${rate:-0}" -gt 1 ] 2>/dev/null; then
      paced_load main $((rate / 2)) "${PACED_SECONDS:-15}" || ok=false
    fi
  done
fi
echo "warren peak_rss_mb=$(peak_rss "$(pid_of main)")"
kill "$(pid_of main)" 2>/dev/null || true
# a rate of jobs that were refused, or never ran, is no rate: no PerfTest, no chart
$ok || { echo "throughput: FAIL (log: $WORK/main.log)"; exit 1; }

perftest_classpath
limit=$(topology_limit)
echo "limit $limit"
limit_rate=$(field jobs_per_s "$limit")
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
if ! [ "${limit_rate:-0}" -gt 0 ] 2>/dev/null; then
  echo "FAIL: the two-queue PerfTest gave no rate (its output: $WORK/limit-*.txt)"; echo "throughput: FAIL"; exit 1
fi
for line in "$single" "$batch" "${wrk_lines[@]}"; do
  [ -n "$line" ] || continue
  rate=$(field end_to_end_per_s "$line")
  mode=$(field mode "$line")
  tool=java; [[ $line == wrk* ]] && tool=wrk
  awk -v r="$rate" -v p="$perf_rate" -v l="$limit_rate" -v m="$mode" -v t="$tool" 'BEGIN {
    printf "ratio %s (%s load): %.3f x the limit (%d / %d jobs/s), %.3f x PerfTest (%d msg/s)\n", m, t, r / l, r, l, r / p, p }'
done
# What the broker alone costs at warren's rates: PerfTest paced to each wrk rate, in the clients'
# pattern (16 producers of one job in flight; 4 of a batch of 100), with the yardstick's consumers.
# A broker below its limit pays more per message; the difference to its CPU per job under warren
# is warren's traffic against PerfTest's (its consumers' acks, 16 consumers, 4 channels): on durable
# queues it has come out negative, warren's batched acks and confirms costing less than the paced
# producers (docs/benchmarks.md, twenty-fourth round).
for line in "${wrk_lines[@]}"; do
  rate=$(field end_to_end_per_s "$line")
  mode=$(field mode "$line")
  [ "${rate:-0}" -gt 0 ] 2>/dev/null || { echo "broker_alone mode=$mode skipped: the wrk run gave no rate"; continue; }
  case $mode in
    single) producers=16 in_flight=1 ;;
    *) producers=4 in_flight=100 ;;
  esac
  alone=$(topology_limit "$in_flight" 100 500 "$producers" $(( (rate + producers - 1) / producers )))
  awk -v m="$mode" -v r="$rate" -v c="$(field cpu_rabbitmq "$line")" -v a="$alone" 'BEGIN {
    split(a, f, /[ =]/); for (i = 1; i in f; i += 2) v[f[i]] = f[i + 1]
    under = c / 100 * 1000 / r; alone = v["cpu_rabbitmq_ms_per_job"] + 0
    printf "broker_alone mode=%s warren_rate=%d perftest_rate=%d cpu_rabbitmq_ms_per_job=%.3f under_warren_ms_per_job=%.3f warren_adds=%s\n",
      m, r, v["jobs_per_s"], alone, under, (alone > 0 ? sprintf("%+.0f%%", (under / alone - 1) * 100) : "n/a") }'
done
java -Djava.awt.headless=true bench/Chart.java "$CHART" "$single" "$batch" "$perf_rate" \
  "warren vs RabbitMQ PerfTest: $JOBS jobs, $CONCURRENCY clients, $(nproc) cores, $(date +%F)"
echo "chart: $CHART"
echo "throughput: PASS (counts; speed is reported, not judged)"
