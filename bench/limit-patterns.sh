#!/usr/bin/env bash
# The broker's own limit for warren's topology (bench/throughput.sh's yardstick: a direct exchange
# routing each message to a work and an audit queue, one consumer on each) under the message
# patterns warren's endpoints make, no warren running. Each row is one PerfTest run:
#   yardstick    100 confirms in flight, one ack per 100 messages, prefetch 500 (issue 15's limit)
#   batch        100 in flight (one batch request), one ack per message, prefetch 250 (warren's worker)
#   single-16    16 in flight (16 clients, one job each), one ack per message, prefetch 250
#   single-16-multi-ack   the same with one ack per 100 messages (what batched acks would give)
#   paced-1200   16 producers of one in flight, each paced to 75/s: 1,200 jobs/s, about warren's
#                single-job rate here, for the broker's CPU per job at that rate (not a limit)
#   paced-4000   4 producers of up to 100 in flight, each paced to 1,000/s: about warren's batch rate
#                here (4 clients of 100), for the broker's CPU and confirm latency at that rate
#   yardstick-cqv2, paced-1200-cqv2   the same on classic queues of version 2 (x-queue-version=2,
#                RabbitMQ 3.10+: its newer message store and queue index)
# PERFTEST_SECONDS (20) each. Reports jobs/s per row, the producer's median confirm latency and the
# broker's CPU; exits 1 when a run gave no rate.
source "$(dirname "$0")/lib.sh"
echo "machine: $(nproc) cores; the broker and PerfTest share them (no warren)"
perftest_classpath
ok=true
for row in "yardstick 100 100 500" "batch 100 1 250" "single-16 16 1 250" "single-16-multi-ack 16 100 250" "paced-1200 1 1 250 16 75" \
  "paced-4000 100 100 500 4 1000" "yardstick-cqv2 100 100 500" "paced-1200-cqv2 1 1 250 16 75"; do
  set -- $row
  args=""
  [[ $1 == *-cqv2 ]] && args=x-queue-version=2
  line=$(QUEUE_ARGS=$args topology_limit "$2" "$3" "$4" "${5:-1}" "${6:-}")
  echo "pattern=$1 in_flight=$2 multi_ack=$3 prefetch=$4${5:+ producers=$5 rate_each=$6} $line"
  [ "$(field jobs_per_s "$line")" -gt 0 ] 2>/dev/null || ok=false
done
$ok || { echo "limit-patterns: FAIL (a run gave no rate; outputs in $WORK)"; exit 1; }
echo "limit-patterns: PASS"
