#!/usr/bin/env bash
# The fleet drill: three warren instances (a, b, c) sharing a PostgreSQL job database, on the
# 3-node RabbitMQ cluster of deploy/cluster/rabbitmq-cluster.sh (started if it is not up), every
# queue a quorum queue. N jobs (default 30,000) go to the three in turn through the batch endpoint
# (100 per request). 5 s in, the node that leads the work queue is killed (kill -9 of its Erlang VM);
# 5 s later instance c is killed (kill -9); 15 s later both are started again.
# Reports accepted, processed, lost and duplicated, and how long intake and processing stalled (the
# longest time, while the load ran, in which no job was stored / no job finished; sampled every
# 0.5 s from the database). Fails on a lost job; on a duplicate that instance c had not run before
# its death and that no instance logged it could not ack (both were delivered again: at least once); when
# the jobs did not all run in time; or when a fault did not happen.
#   bench/cluster-drill.sh [jobs]
source "$(dirname "$0")/lib.sh"
JOBS=${1:-30000}
CLUSTER=deploy/cluster/rabbitmq-cluster.sh

$CLUSTER start
# any running node answers for the cluster
cluster_ctl() { for n in 1 2 3; do rmqctl -n "wr$n@localhost" "$@" 2>/dev/null && return 0; done; return 1; }
AT_EXIT+=("$CLUSTER start-node 1 >/dev/null; $CLUSTER start-node 2 >/dev/null; $CLUSTER start-node 3 >/dev/null")
AT_EXIT+=("for q in \$(rmqctl -n wr1@localhost -q list_queues name 2>/dev/null | grep '^$RUN\\.'); do rmqctl -n wr1@localhost -q delete_queue \"\$q\" >/dev/null; done")

postgres_db warren_cluster
# jobs confirmed but missing from their queue are published again after 30 s (default 300), within
# the drill's wait (docs/scaling.md)
CLUSTER_ENV=(WARREN_RABBITMQ_URL="$($CLUSTER url)" WARREN_QUEUE_TYPE=quorum WARREN_TOPOLOGY_MISSING_AFTER_SECONDS=30 "${DB_ENV[@]}")
start_warren a 18111 "${CLUSTER_ENV[@]}"
start_warren b 18112 "${CLUSTER_ENV[@]}"
start_warren c 18113 "${CLUSTER_ENV[@]}"
db=${DB_ENV[0]##*/}

# progress: every 0.5 s, the jobs stored and the jobs finished so far
sample() {
  while true; do
    echo "$(date +%s%N | cut -c1-13) $(PGPASSWORD=warren psql -qtA -h 127.0.0.1 -U warren -d "$db" -F ' ' \
      -c "SELECT count(*), count(*) FILTER (WHERE status = 'SUCCEEDED') FROM jobs" 2>/dev/null)"
    sleep 0.5
  done
}
sample > "$WORK/progress.txt" &
PIDS+=("$!")

why=()
ids="$WORK/ids"
: > "$ids"
load --url "http://127.0.0.1:18111,http://127.0.0.1:18112,http://127.0.0.1:18113" --type ledger --jobs "$JOBS" \
  --concurrency 6 --batch 100 --ids "$ids" --wait false --allow-errors > "$WORK/load.txt" 2>&1 &
loader=$!
PIDS+=("$loader")
load_started=$(date +%s%N | cut -c1-13)
sleep 5
gone "$loader" && why+=("the load was over before the faults (give it more jobs)")

leader=$(cluster_ctl -q list_queues name leader | awk -v q="$RUN.work.ledger" '$1 == q { print $2 }')
node=${leader%%@*}; node=${node#wr}
echo "killing the work queue's leader, $leader"
[ -n "$node" ] && $CLUSTER kill "$node" || why+=("no leader found for $RUN.work.ledger")
node_killed=$(date +%s%N | cut -c1-13)
sleep 5
victim=$(pid_of c)
echo "kill -9 of warren instance c (pid $victim)"
kill -9 "$victim" 2>/dev/null || true
within 5 gone "$victim" || why+=("instance c was still alive 5 s after kill -9")
ledger_of_c_at_death=$(cat "$WORK/c/data/ledger.txt" 2>/dev/null | sort -u || true)
sleep 15
new_leader=$(cluster_ctl -q list_queues name leader | awk -v q="$RUN.work.ledger" '$1 == q { print $2 }')
echo "the work queue's leader while $leader was down: $new_leader"
[ "$new_leader" != "$leader" ] || why+=("the work queue kept its leader: the node did not go down")
$CLUSTER start-node "$node"
start_warren c 18113 "${CLUSTER_ENV[@]}"
echo "node and instance back $(( ($(date +%s%N | cut -c1-13) - node_killed) / 1000 )) s after the node's kill"

wait "$loader" || true
load_ended=$(date +%s%N | cut -c1-13)
load_line=$(grep '^mode=' "$WORK/load.txt" | tail -1 || true)
echo "$load_line"
await_processed "$ids" 120 || {
  why+=("not every accepted job ran within 120 s")
  # for the post-mortem: where the missing jobs are, in the database and on the broker
  # (the columns are its first steps, the events the rest: docs/api.md, history)
  PGPASSWORD=warren psql -h 127.0.0.1 -U warren -d "$db" -c "SELECT j.id, j.status, j.attempts, j.published_at, j.started_at,
    e.at, e.event, e.detail FROM jobs j LEFT JOIN job_events e ON e.job_id = j.id WHERE j.status <> 'SUCCEEDED' ORDER BY j.id, e.id" \
    > "$WORK/unfinished.txt" 2>&1
  cluster_ctl list_queues name type leader messages_ready messages_unacknowledged consumers > "$WORK/queues.txt" 2>&1
  echo "not finished: $WORK/unfinished.txt; queues: $WORK/queues.txt"
}
sleep 3
result=$(verdict "$ids")
echo "cluster drill: $result errors=$(field errors "$load_line") (requests refused while instance c was down)"

# the longest time without progress while the load ran, per column (2: stored, 3: finished)
stall() {
  awk -v from="$load_started" -v to="$load_ended" -v col="$1" '
    $1 >= from && $1 <= to { if ($col != last) { if (since && $1 - since > worst) worst = $1 - since; since = $1; last = $col } }
    END { printf "%.1f", worst / 1000 }' "$WORK/progress.txt"
}
echo "longest stall while the load ran: intake $(stall 2) s, processing $(stall 3) s" \
  "(load $(( (load_ended - load_started) / 1000 )) s)"

accepted=$(field accepted "$result") lost=$(field lost "$result") duplicated=$(field duplicated "$result")
[ "${accepted:-0}" -gt 0 ] || why+=("no job was accepted")
[ "$lost" = 0 ] || why+=("${lost:-?} accepted jobs never ran")
if [ "$duplicated" != 0 ]; then
  ledger_lines | grep -Fxf "$ids" | sort | uniq -d > "$WORK/duplicates" || true
  # explained: jobs the killed instance c had run, and jobs an instance ran but could not ack
  # because the node its connection was on died (it logs each one); RabbitMQ delivered them again
  # (and, logged by the worker, jobs whose other copy started while one ran, and redeliveries
  # that took a RUNNING job over)
  logged() { sed -nE "s/.*Job ([0-9a-f-]{36}) ($1).*/\\1/p" "$WORK"/?.log | sort -u; }
  echo "$ledger_of_c_at_death" > "$WORK/explained.c"
  logged 'could not be acknowledged' > "$WORK/explained.unacked"
  logged 'was started by another copy while this one ran' > "$WORK/explained.copies"
  logged 'was RUNNING when the broker delivered it again' > "$WORK/explained.takeovers"
  sort -u "$WORK"/explained.* > "$WORK/explained"
  among() { comm -12 "$WORK/duplicates" <(sort -u "$WORK/explained.$1") | wc -l; }
  echo "duplicates by cause (a job may have several): run by instance c before its kill -9 $(among c)," \
    "unacked when its consumer's node died $(among unacked), a second copy started while one ran $(among copies)," \
    "a redelivery took a RUNNING job over $(among takeovers)"
  unexplained=$(comm -23 "$WORK/duplicates" "$WORK/explained" | wc -l)
  if [ "$unexplained" -eq 0 ]; then
    echo "cluster drill: $duplicated duplicated, each explained above (RabbitMQ delivered it again: at least once)"
  else
    why+=("$unexplained jobs ran twice that were neither run by instance c nor left unacked by a lost node (ids: $WORK/duplicates)")
    for id in $(comm -23 "$WORK/duplicates" "$WORK/explained" | head -5); do
      echo "unexplained duplicate $id: history, then its log lines"
      api 18111 GET "/api/v1/jobs/$id/history" || true
      grep -h "$id" "$WORK"/?.log || true
    done
  fi
fi
if [ ${#why[@]} -eq 0 ]; then
  echo "cluster drill: PASS"
else
  for reason in "${why[@]}"; do echo "cluster drill: FAIL: $reason"; done
  exit 1
fi
