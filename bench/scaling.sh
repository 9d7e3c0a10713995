#!/usr/bin/env bash
# How throughput grows from one to three warren instances on this machine, and where the ceiling
# is. For N = 1..MAX (default 3): N instances on one PostgreSQL database and the local RabbitMQ
# compete for the same no-op job type 'bench'; wrk loads every instance at once (as a load balancer
# would spread clients) for WRK_SECONDS (20), first the batch endpoint (100 jobs per request, 4
# connections per instance), then the single-job endpoint (16 per instance), and the run waits until
# the instances processed every accepted job. End to end = accepted jobs / (load start .. last
# processed). While the load runs, the CPU time of warren, RabbitMQ and PostgreSQL is sampled from
# /proc, so the report says which of them used the machine's cores.
#   bench/scaling.sh [max-instances]
# Judges counts, never speed: exits 1 when a request was refused or an accepted job was not processed.
source "$(dirname "$0")/lib.sh"
MAX=${1:-3}
BASE_PORT=18200
HZ=$(getconf CLK_TCK)

command -v wrk >/dev/null || { sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo -n"
  $sudo_ apt-get update -qq >/dev/null && $sudo_ apt-get install -y -qq wrk >/dev/null; }
postgres_db warren_scaling
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; broker, database, warren and wrk share them"

# processed: bench jobs the running instances have processed (their metrics, summed)
processed() {
  local n=$1 total=0 i count
  for i in $(seq 1 "$n"); do
    count=$(curl -fs "http://127.0.0.1:$((BASE_PORT + i))/observe/metrics" \
      | awk '/^warren_jobs_succeeded_total\{type="bench"\}/ { printf "%d", $2; found = 1 } END { if (!found) print 0 }')
    total=$((total + count))
  done
  echo "$total"
}

# ticks PID...: CPU time (user + system, clock ticks) of these processes so far
ticks() {
  local pid sum=0
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    sum=$((sum + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")))
  done
  echo "$sum"
}
idle_ticks() { awk '/^cpu / { print $5 + $6 }' /proc/stat; }

# load N MODE CONNECTIONS BATCH: one wrk per instance at once, then waits for processing
load_all() {
  local n=$1 mode=$2 conns=$3 batch=$4 path="" i before after start end accepted=0 refused=0 errors=0 p99=0
  [ "$batch" -gt 0 ] && path=/batch
  local warren_pids=() broker_pids postgres_pids
  for i in $(seq 1 "$n"); do warren_pids+=("$(pid_of "w$i")"); done
  broker_pids=$(pgrep -f 'beam.smp.*rabbit' | tr '\n' ' ' || true)
  postgres_pids=$(pgrep -x postgres | tr '\n' ' ' || true)
  local w0 b0 p0 i0 w1 b1 p1 i1
  before=$(processed "$n")
  w0=$(ticks "${warren_pids[@]}"); b0=$(ticks $broker_pids); p0=$(ticks $postgres_pids); i0=$(idle_ticks)
  start=$(date +%s.%N)
  local wrks=()
  for i in $(seq 1 "$n"); do
    BENCH_KEY=$KEY WRK_BATCH=$batch wrk -t1 -c"$conns" -d"${WRK_SECONDS:-20}"s --timeout 30s -s bench/wrk/submit.lua \
      "http://127.0.0.1:$((BASE_PORT + i))/api/v1/jobs/bench$path" > "$WORK/wrk-$n-$mode-$i.txt" 2>&1 &
    wrks+=($!)
  done
  wait "${wrks[@]}" # not a bare wait: that would also wait for the results file's tee
  w1=$(ticks "${warren_pids[@]}"); b1=$(ticks $broker_pids); p1=$(ticks $postgres_pids); i1=$(idle_ticks)
  local load_seconds
  load_seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
  for i in $(seq 1 "$n"); do
    local line
    line=$(grep '^wrk ' "$WORK/wrk-$n-$mode-$i.txt" || true)
    [ -n "$line" ] || { echo "FAIL: wrk printed no result for instance $i:"; cat "$WORK/wrk-$n-$mode-$i.txt"; return 1; }
    accepted=$((accepted + $(field accepted_jobs "$line")))
    refused=$((refused + $(field refused "$line")))
    errors=$((errors + $(field socket_errors "$line")))
    p99=$(awk -v a="$p99" -v b="$(field p99_ms "$line")" 'BEGIN { print (b > a ? b : a) }')
  done
  after=$before
  for _ in $(seq 1 3000); do after=$(processed "$n"); [ "$((after - before))" -ge "$accepted" ] && break; sleep 0.1; done
  end=$(date +%s.%N)
  # CPU while the load ran, in % of one core (the machine has $(nproc) x 100 %)
  local pct
  pct() { awk -v d="$1" -v s="$load_seconds" -v hz="$HZ" 'BEGIN { printf "%d", d / hz / s * 100 }'; }
  echo "instances=$n mode=$mode clients=$((conns * n)) accepted=$accepted processed=$((after - before)) refused=$refused" \
    "socket_errors=$errors end_to_end_per_s=$(awk -v a="$((after - before))" -v s="$start" -v e="$end" 'BEGIN { printf "%d", a / (e - s) }')" \
    "worst_p99_ms=$p99 cpu_warren=$(pct $((w1 - w0)))% cpu_rabbitmq=$(pct $((b1 - b0)))% cpu_postgres=$(pct $((p1 - p0)))%" \
    "cpu_idle=$(pct $((i1 - i0)))%"
  [ "$refused" = 0 ] && [ "$errors" = 0 ] && [ "$((after - before))" -ge "$accepted" ] && [ "$accepted" -gt 0 ]
}

ok=true
for n in $(seq 1 "$MAX"); do
  for i in $(seq 1 "$n"); do
    if [ -z "$(pid_of "w$i" 2>/dev/null || true)" ] || gone "$(pid_of "w$i")"; then
      start_warren "w$i" $((BASE_PORT + i)) "${DB_ENV[@]}"
    fi
  done
  # JIT warm-up of the instance(s) just started, not counted
  WRK_SECONDS=8 load_all "$n" warmup 4 100 > /dev/null || { echo "scaling: FAIL in the warm-up of $n instance(s)"; ok=false; break; }
  load_all "$n" batch100 4 100 || ok=false
  load_all "$n" single 16 0 || ok=false
done
$ok || { echo "scaling: FAIL (logs: $WORK)"; exit 1; }
echo "scaling: PASS (counts; speed is reported, not judged)"
