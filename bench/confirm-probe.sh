#!/usr/bin/env bash
# How fast the broker confirms while warren loads it, seen from outside warren: a PerfTest producer
# of one message in flight, paced to 100/s (persistent, 100-byte bodies), into a direct exchange of
# its own that routes each message to two durable queues with a consumer each (warren's topology,
# bench/throughput.sh's yardstick, at a rate too low to load anything), once on the quiet machine,
# then during wrk on the single-job endpoint (16 clients) and on the batch endpoint (100 x 4).
# Beside each wrk line (its confirm_ms: a warren job's mean wait for its confirm, from its publish
# to the confirm handled in warren), the probe's confirm latency percentiles: what is left of
# warren's wait once the broker's own latency under that load is taken off is warren's side (its
# publish, its connection thread, the CPU its threads wait for).
#   bench/confirm-probe.sh        (WRK_SECONDS of load, 20 by default; the probe runs 12 s of it)
# Judges counts, never speed: exits 1 on a refused request, an unprocessed job or a probe that
# printed no latency.
source "$(dirname "$0")/lib.sh"
ensure_wrk
perftest_classpath
echo "machine: $(nproc) cores; the broker, warren, wrk and the probe share them"

# probe SECONDS: the probe's confirm latency line (min/median/75th/95th/99th, µs)
probe() {
  local exchange="$RUN.probe" q pids=()
  for q in work audit; do
    java -cp "$CP" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 -x 0 -y 1 -f persistent -e "$exchange" -t direct -k job \
      -u "$RUN.probe.$q" -ad false -q 500 -z $(($1 + 6)) > "$WORK/probe-$q.txt" 2>&1 &
    pids+=($!)
  done
  sleep 3 # both queues bound before the first message
  if ! durable_queues "$RUN.probe.work" "$RUN.probe.audit"; then
    kill "${pids[@]}" 2>/dev/null || true
    drop_queues "$RUN.probe"
    return 0
  fi
  java -cp "$CP" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 -x 1 -y 0 -e "$exchange" -t direct -k job -p \
    -u "$RUN.probe.work" -f persistent -c 1 -s 100 -r 100 -z "$1" > "$WORK/probe-producer.txt" 2>&1 || true
  wait "${pids[@]}" || true
  drop_queues "$RUN.probe"
  grep -o 'confirm latency.*' "$WORK/probe-producer.txt" | tail -1
}

ok=true
line=$(probe 12); echo "probe, quiet machine: ${line:-none}"; [ -n "$line" ] || ok=false
start_warren main 18400
jit_warm_up main
for mode in single batch; do
  (sleep 4; line=$(probe 12); echo "probe during wrk $mode: ${line:-none}"; [ -n "$line" ]) &
  prober=$!
  if [ "$mode" = single ]; then wrk_load single 16 0 main || ok=false; else wrk_load batch 4 100 main || ok=false; fi
  wait "$prober" || ok=false # not a bare wait: that would also wait for the results file's tee
done
$ok || { echo "confirm-probe: FAIL"; exit 1; }
echo "confirm-probe: PASS"
