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

ensure_wrk
postgres_db warren_scaling
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; broker, database, warren and wrk share them"

ok=true
for n in $(seq 1 "$MAX"); do
  for i in $(seq 1 "$n"); do
    if [ -z "$(pid_of "w$i" 2>/dev/null || true)" ] || gone "$(pid_of "w$i")"; then
      start_warren "w$i" $((BASE_PORT + i)) "${DB_ENV[@]}"
    fi
  done
  # JIT warm-up of the instance(s) just started, not counted
  names=(); for i in $(seq 1 "$n"); do names+=("w$i"); done
  WRK_SECONDS=8 wrk_load warmup 4 100 "${names[@]}" > /dev/null || { echo "scaling: FAIL in the warm-up of $n instance(s)"; ok=false; break; }
  wrk_load batch100 4 100 "${names[@]}" || ok=false
  wrk_load single 16 0 "${names[@]}" || ok=false
done
$ok || { echo "scaling: FAIL (logs: $WORK)"; exit 1; }
echo "scaling: PASS (counts; speed is reported, not judged)"
