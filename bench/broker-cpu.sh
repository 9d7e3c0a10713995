#!/usr/bin/env bash
# The broker's CPU against the rate it moves, no warren: PerfTest in warren's topology (the limit's
# exchange, work and audit queues, one consumer each, qos 500, multi-ack 100) with 16 producers of
# one message in flight (the single-job clients' pattern), paced to each of RATES jobs/s in all
# (default "0 250 500 1000 2000 4000"; 0: no producer, the broker idle for PERFTEST_SECONDS). Each
# row: the rate reached, the broker's CPU in % of one core and per job, and that CPU by the kind of
# thread it ran on (the Erlang runtime's schedulers, dirty CPU and dirty I/O schedulers, the rest).
#   bench/broker-cpu.sh [RATES]
# Exits 1 when a paced run gave no rate.
source "$(dirname "$0")/lib.sh"
echo "machine: $(nproc) cores; the broker and PerfTest share them (no warren)"
perftest_classpath
read -r beam _ <<< "$(broker_pids)"
echo "broker: $(tr '\0' ' ' < /proc/"$beam"/cmdline | grep -oE '\+?-?sbwt[a-z]* [a-z]+|-S [0-9:]+|-stbt [a-z]+' | tr '\n' ' ')"
# thread_ticks: "kind ticks" per kind of broker thread (Linux keeps 15 characters of a name, so
# "1_dirty_io_sche" and "10_dirty_io_sch" are one kind: the first ten letters of its name, digits
# and underscores dropped)
thread_ticks() {
  local task
  for task in /proc/"$beam"/task/*; do
    printf '%s %s\n' "$(tr -d '0-9_ ' < "$task/comm" | cut -c1-10)" "$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$task/stat")"
  done 2>/dev/null | awk '{ t[$1] += $2 } END { for (k in t) print k, t[k] }' | sort
}
ok=true
for rate in ${1:-0 250 500 1000 2000 4000}; do
  thread_ticks > "$WORK/t0"
  start=$(date +%s.%N)
  if [ "$rate" -eq 0 ]; then
    b0=$(ticks "$beam"); sleep "${PERFTEST_SECONDS:-20}"; b1=$(ticks "$beam")
    line="jobs_per_s=0 cpu_rabbitmq=$(cpu_pct $((b1 - b0)) "${PERFTEST_SECONDS:-20}")%"
  else
    line=$(topology_limit 1 100 500 16 $(( (rate + 15) / 16 )))
    [ "$(field jobs_per_s "$line")" -gt 0 ] 2>/dev/null || ok=false
  fi
  seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
  thread_ticks > "$WORK/t1"
  split=$(join "$WORK/t0" "$WORK/t1" | awk -v s="$seconds" -v hz="$(getconf CLK_TCK)" \
    '{ d = $3 - $2; if (d > 0) printf "%s=%d%% ", $1, d / hz / s * 100 }')
  echo "rate=$rate $line by_thread(whole window, % of a core): $split"
done
$ok || { echo "broker-cpu: FAIL (a paced run gave no rate; outputs in $WORK)"; exit 1; }
