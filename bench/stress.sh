#!/usr/bin/env bash
# Seed 001's stress test: N jobs (default 1,000,000) through the batch endpoint with the workers
# running, or with --paused first queued with the workers paused and then drained. Verifies the
# counts and reports the time, warren's peak RSS and peak heap. Exits 1 unless all N jobs were
# accepted, no request failed, and every job ran exactly once within the time allowed. db_dir_mb: the
# size of warren's data folder at the end (almost all of it the H2 file: whether its compaction kept up). The load is
# wrk (bench/wrk/stress.lua: C, next to no CPU); STRESS_LOAD=java sends it with bench/Throughput.java,
# as every run before 2026-12-05 did (a JVM beside warren; both loads took the same time then:
# docs/benchmarks.md, twenty-third round).
# Then the broker's limit for warren's topology (as bench/throughput.sh measures it) and the run's
# time against issue 15's target, N / (0.4 x that limit).
# BENCH_DB=postgres: on a fresh PostgreSQL database instead (db_dir_mb is then warren's data folder only).
# cpu_seconds and jit_cpu_seconds: warren's CPU in the run, and its JIT compiler threads' share of it;
# broker_cpu_seconds: the broker's from the load's start to the last job processed.
#   bench/stress.sh [jobs] [--paused]
source "$(dirname "$0")/lib.sh"
ensure_wrk
JOBS=${1:-1000000}
MODE=${2:-running}
PORT=18091
BATCH=${STRESS_BATCH:-500} # jobs per request
CONCURRENCY=${STRESS_CONCURRENCY:-4} # connections, each with one batch in flight

DB_ENV=()
[ "${BENCH_DB:-h2}" = postgres ] && postgres_db warren_stress
start_warren main $PORT "${DB_ENV[@]}"
pid=$(pid_of main)
heap_sampler "$pid" "$WORK/heap.txt"
[ "$MODE" = "--paused" ] && api $PORT POST /api/v1/types/ledger/pause >/dev/null
broker=$(broker_pids)
broker_ticks=$(ticks $broker)
started=$(date +%s)
# judged below with the other counts: the jobs it did get accepted must still run, once each
: > "$WORK/accepted.txt" # (empty, not missing, if the load program dies before writing it)
if [ "${STRESS_LOAD:-wrk}" = java ]; then
  load_line=$(load --url "http://127.0.0.1:$PORT" --type ledger --jobs "$JOBS" --concurrency $CONCURRENCY --batch $BATCH \
    --ids "$WORK/accepted.txt" --wait false) || true
else
  BENCH_KEY=$KEY WRK_BATCH=$BATCH WRK_JOBS=$JOBS WRK_CONNECTIONS=$CONCURRENCY WRK_IDS="$WORK/accepted.txt" WRK_DONE="$WORK/wrk.done" \
    wrk -t1 -c$CONCURRENCY -d$((JOBS / 200 + 300))s --timeout 60s -s bench/wrk/stress.lua \
    "http://127.0.0.1:$PORT/api/v1/jobs/ledger/batch" > "$WORK/wrk.txt" 2>&1 &
  wrk_pid=$!
  # a batch answered after --timeout counts as an error; one never answered, wrk waits for without
  # telling the script: 180 s without a job accepted ends the load (its line then reports errors)
  size=0 still=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    sleep 1
    # every batch answered: wrk's main thread ends the run on SIGINT (see bench/wrk/stress.lua)
    if [ -e "$WORK/wrk.done" ]; then kill -INT "$wrk_pid" 2>/dev/null || true; continue; fi
    now=$(stat -c %s "$WORK/accepted.txt")
    if [ "$now" = "$size" ]; then still=$((still + 1)); else size=$now still=0; fi
    # (through the same per-second SIGINT: one alone may be taken by wrk's load thread)
    [ "$still" -lt 180 ] || { echo "stress: no job accepted for 180 s; the load is stopped"; touch "$WORK/wrk.done"; }
  done
  wait "$wrk_pid" || true
  load_line=$(grep '^mode=' "$WORK/wrk.txt") || true
fi
echo "$load_line"
accepted_at=$(date +%s)
if [ "$MODE" = "--paused" ]; then
  echo "queued with workers paused: work_ready=$(ready $PORT "$RUN.work.ledger") after $((accepted_at - started)) s"
  api $PORT POST /api/v1/types/ledger/resume >/dev/null
fi
waited=true
await_processed "$WORK/accepted.txt" 7200 || waited=false
done_at=$(date +%s)
broker_ticks=$(( $(ticks $broker) - broker_ticks ))
sleep 2
result=$(verdict "$WORK/accepted.txt")
elapsed=$((done_at - started))
echo "stress ($MODE): $result accept_seconds=$((accepted_at - started)) total_seconds=$elapsed" \
  "jobs_per_s=$(( JOBS / (elapsed > 0 ? elapsed : 1) )) peak_rss_mb=$(peak_rss "$pid") peak_heap_mb=$(tail -1 "$WORK/heap.txt" 2>/dev/null)" \
  "db_dir_mb=$(du -sm "$WORK/main/data" | cut -f1)" \
  "cpu_seconds=$(cpu_seconds "$pid") jit_cpu_seconds=$(jit_cpu_seconds "$pid")" \
  "broker_cpu_seconds=$(tick_seconds "$broker_ticks")" \
  "jit_seconds=$(jstat -compiler "$pid" 2>/dev/null | awk 'NR == 2 { print $4 }')" # the run starts cold: the compiler's share (jit_seconds: jstat's wall time)

# lost=0 duplicated=0 alone would pass a run that accepted only part of the jobs
ok=true
$waited || ok=false
check_load "$load_line" "$JOBS" || ok=false
expect accepted "$(field accepted "$result")" "$JOBS" || ok=false
expect processed "$(field processed "$result")" "$JOBS" || ok=false
expect lost "$(field lost "$result")" 0 || ok=false
expect duplicated "$(field duplicated "$result")" 0 || ok=false
# and no job ran beyond those the load was told were accepted
expect "jobs the ledger ran" "$(ledger_lines | wc -l)" "$JOBS" || ok=false
# Issue 15's time target, N / (0.4 x the broker's limit for warren's topology), against the limit
# of this run (it moves by a third from one hour to the next here), with warren stopped.
# STRESS_LIMIT=0 skips it (bench/smoke.sh). Reported, not judged.
if [ "${STRESS_LIMIT:-1}" != 0 ] && $ok; then
  kill "$pid" 2>/dev/null || true; within 60 gone "$pid" || kill -9 "$pid" 2>/dev/null || true
  limit="jobs_per_s=0 error=no_perftest"
  if perftest_classpath; then limit=$(topology_limit); fi
  echo "limit $limit"
  awk -v n="$JOBS" -v l="$(field jobs_per_s "$limit")" -v t="$elapsed" 'BEGIN {
    if (l > 0) printf "time_target_seconds=%d (%d / (0.4 x %d)) total_seconds=%d met=%s\n", n / (0.4 * l), n, l, t, (t <= n / (0.4 * l) ? "yes" : "no")
    else print "time_target_seconds=n/a (the limit gave no rate)" }'
fi
if $ok; then echo "stress: PASS"; else echo "stress: FAIL (log: $WORK/main.log)"; exit 1; fi
