#!/usr/bin/env bash
# The broker alone, without warren (bench/QuorumConfirms.java): on the 3-node cluster, a publisher
# with confirms on wr1 sends N messages (default 60,000 at 2,000/s) to two quorum queues led by
# wr2 and wr3; 5 s in, wr2 is killed (kill -9), 15 s later started again. PASS when each queue
# holds every confirmed message. It tells a broker that loses confirmed messages from warren
# losing them (docs/scaling.md).
#   bench/quorum-confirms.sh [messages] [rate]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
# the whole output also goes to bench/results, as the other bench scripts do
exec > >(tee -a "bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-quorum-confirms.txt") 2>&1
echo "# bench/quorum-confirms.sh $*: $(date -u '+%F %T') UTC, commit $(git rev-parse --short HEAD)"
N=${1:-60000}
RATE=${2:-2000}
CLUSTER=deploy/cluster/rabbitmq-cluster.sh
$CLUSTER start
PREFIX="qc.$(date +%s)"
CP=$(find ~/.m2/repository/com/rabbitmq/amqp-client -name 'amqp-client-*.jar' | sort | tail -1):$(find ~/.m2/repository/org/slf4j/slf4j-api -name 'slf4j-api-*.jar' | sort | tail -1)
out=$(mktemp)
java -cp "$CP" bench/QuorumConfirms.java amqp://guest:guest@127.0.0.1:5681 amqp://guest:guest@127.0.0.1:5682 \
  amqp://guest:guest@127.0.0.1:5683 "$PREFIX" "$N" "$RATE" > "$out" 2>&1 &
pub=$!
for _ in $(seq 1 100); do grep -q declared "$out" && break; sleep 0.1; done
rabbitmqctl -n wr1@localhost -q list_queues name leader | grep "^$PREFIX" || true
sleep 5
$CLUSTER kill 2
sleep 15
$CLUSTER start-node 2
wait "$pub" || true
cat "$out"
rabbitmqctl -n wr1@localhost -q list_queues name leader messages | grep "^$PREFIX" || true
for q in q1 q2; do rabbitmqctl -n wr1@localhost -q delete_queue "$PREFIX.$q" >/dev/null; done
line=$(grep '^confirmed=' "$out")
confirmed=$(sed -nE 's/.*confirmed=([0-9]+).*/\1/p' <<< "$line")
q1=$(sed -nE 's/.*queue1=([0-9]+).*/\1/p' <<< "$line"); q2=$(sed -nE 's/.*queue2=([0-9]+).*/\1/p' <<< "$line")
if [ "$q1" -ge "$confirmed" ] && [ "$q2" -ge "$confirmed" ]; then echo "quorum confirms: PASS"; else
  echo "quorum confirms: FAIL: the broker confirmed $confirmed messages; queue 1 (its leader killed) holds $q1, queue 2 holds $q2"; exit 1; fi
