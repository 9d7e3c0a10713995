#!/usr/bin/env bash
# Where a single-job request's time goes at a fixed rate: one warren (H2, or BENCH_DB=postgres),
# warmed up until the JIT has gone quiet, then the pacer at RATE jobs/s (default 700) for
# WRK_SECONDS (20) under a loopback capture (tcpdump, installed from Debian when missing) of its
# HTTP port and the broker's. bench/RequestSplit.java joins each job's packets by its id: request
# in -> publish out -> confirm in -> 202 out (warren runs with answer-after=confirm, where that is
# the order), percentiles of each stage, for all jobs and for those
# over 25 ms. Beside it, for the same window: how long the store's writes waited for the writer and
# how long its transactions took (warren's histograms, at Micrometer's bucket bounds), the GC's
# pauses (-Xlog:gc), and how long warren's threads waited for a CPU while runnable (the kernel's
# schedstat), by thread.
#   bench/request-split.sh [RATE]
# Judges counts, never speed: exits 1 on a refused request, an unprocessed job, a capture that
# missed segments, or one that could not split nine in ten of the window's requests.
source "$(dirname "$0")/lib.sh"
RATE=${1:-700}
ensure_command tcpdump
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n" # a capture needs root
DB_ENV=()
[ "${BENCH_DB:-h2}" = postgres ] && postgres_db warren_split
echo "job database: ${BENCH_DB:-h2}; machine: $(nproc) cores; broker, database, warren and the pacer share them"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-} -Xlog:gc:file=$WORK/gc.log:uptimemillis" start_warren main 18090 "${DB_ENV[@]}" \
  WARREN_INTAKE_ANSWER_AFTER=confirm # the split expects each confirm before its 202
jit_warm_up main || { echo "request-split: FAIL in the warm-up (log: $WORK/main.log)"; exit 1; }

# store_histograms: the writer's histogram buckets, as "metric le count" lines
store_histograms() {
  curl -fs "http://127.0.0.1:18090/observe/metrics" | grep -E '^warren_store_(queued|transaction)_seconds_bucket' \
    | sed -E 's/^(warren_store_[a-z]+)_seconds_bucket.*le="([^"]*)".* ([0-9.eE+]+)$/\1 \2 \3/'
}
# thread_times: "tid name on-cpu-ns runqueue-wait-ns" for each of warren's threads
thread_times() {
  local task
  for task in /proc/"$(pid_of main)"/task/*; do
    printf '%s %s %s\n' "${task##*/}" "$(tr ' ' '_' < "$task/comm")" "$(cut -d' ' -f1,2 "$task/schedstat")"
  done 2>/dev/null
}
uptime_ms() { jcmd "$(pid_of main)" VM.uptime | awk '/ s$/ { printf "%d", $1 * 1000 }'; }
store_histograms > "$WORK/store-before.txt"
up0=$(uptime_ms)
thread_times > "$WORK/threads-before.txt"
$sudo tcpdump -i lo -s 0 -B 65536 -w "$WORK/split.pcap" "tcp port 18090 or tcp port 5672" 2> "$WORK/tcpdump.txt" &
dump=$!
sleep 1
status=0
line=$(paced_load main "$RATE" "${WRK_SECONDS:-20}") || status=1
echo "$line"
$sudo kill "$dump" || true; wait "$dump" 2>/dev/null || true
echo "tcpdump: $(grep -E 'captured|dropped' "$WORK/tcpdump.txt" | tr '\n' ' ')"
up1=$(uptime_ms)
thread_times > "$WORK/threads-after.txt"
store_histograms > "$WORK/store-after.txt"
# the pacer counts no latency in its first 5 s: nor does the split, from its first request
split=$(java bench/RequestSplit.java "$WORK/split.pcap" 18090 5672 5) || { echo "FAIL: RequestSplit.java could not read the capture"; exit 1; }
echo "$split"
# the store's histograms over the window: the share of writes (or transactions) over each bound
for metric in warren_store_queued warren_store_transaction; do
  LC_ALL=C join <(grep "^$metric " "$WORK/store-before.txt" | cut -d' ' -f2- | LC_ALL=C sort -k1,1) \
    <(grep "^$metric " "$WORK/store-after.txt" | cut -d' ' -f2- | LC_ALL=C sort -k1,1) \
    | awk -v m="${metric#warren_store_}" '
        { n[$1] = $3 - $2; if ($1 == "+Inf") total = $3 - $2 }
        END {
          line = m ": n=" total
          split("0.001 0.005 0.01 0.025 0.05", bounds, " ")
          for (i = 1; i <= 5; i++) {
            best = ""; for (le in n) if (le != "+Inf" && le + 0 >= bounds[i] + 0 && (best == "" || le + 0 < best + 0)) best = le
            # at the histogram bucket bounds (Micrometer defaults): the nearest at or above each round figure
            if (best != "") line = line sprintf(" over_%.1fms=%.1f%%", best * 1000, total ? (total - n[best]) / total * 100 : 0)
          }
          print "store " line
        }'
done
# the GC's pauses while the pacer ran
awk -v a="$up0" -v b="$up1" '/Pause/ {
    t = $1; gsub(/[^0-9]/, "", t); p = $NF; sub(/ms$/, "", p)
    if (t + 0 >= a && t + 0 <= b) { n++; sum += p; if (p + 0 > max) max = p + 0 }
  } END { printf "gc pauses=%d total_ms=%.0f longest_ms=%.1f over %.0f s\n", n, sum, max, (b - a) / 1000 }' "$WORK/gc.log"
# the kernel's view: time warren's threads were runnable but waited for a CPU, per job, by thread
# (pools by name with numbers as #); a thread started in the window counts from zero, one that
# ended in it is left out
jobs=$(field answered "$line")
LC_ALL=C join <(LC_ALL=C sort -k1,1 "$WORK/threads-before.txt") <(LC_ALL=C sort -k1,1 "$WORK/threads-after.txt") -a 2 -e 0 -o 2.2,1.3,1.4,2.3,2.4 \
  | awk -v jobs="${jobs:-1}" '{ name = $1; gsub(/[0-9]+/, "#", name); run[name] += $4 - $2; wait[name] += $5 - $3; r += $4 - $2; w += $5 - $3 }
      END {
        printf "threads: on_cpu_ms_per_job=%.3f runqueue_wait_ms_per_job=%.3f\n", r / 1e6 / jobs, w / 1e6 / jobs
        for (n in wait) if (wait[n] / 1e6 / jobs >= 0.005) printf "  %s: on_cpu_ms_per_job=%.3f runqueue_wait_ms_per_job=%.3f\n", n, run[n] / 1e6 / jobs, wait[n] / 1e6 / jobs
      }' | sort -t= -k3 -rn
answered=$(( ${jobs:-0} * ${WRK_SECONDS:-20} / (${WRK_SECONDS:-20} + 5) ))
split_jobs=$(field jobs_split "$split")
if [ "${split_jobs:-0}" -lt $(( answered * 9 / 10 )) ]; then
  echo "FAIL: the capture split ${split_jobs:-0} of $answered requests"; status=1
fi
if [ "$(field capture_gaps "$split")" != 0 ]; then
  echo "FAIL: the capture missed segments (capture_gaps); a missed publish shifts its channel's confirms"; status=1
fi
[ "$status" = 0 ] || { echo "request-split: FAIL (log: $WORK/main.log)"; exit 1; }
echo "request-split: PASS"
