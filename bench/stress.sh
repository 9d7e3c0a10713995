#!/usr/bin/env bash
# Seed 001's stress test: N jobs (default 1,000,000) through the batch endpoint with the workers
# running, or with --paused first queued with the workers paused and then drained. Verifies the
# counts (every accepted job ran once) and reports the time, warren's peak RSS and peak heap.
#   bench/stress.sh [jobs] [--paused]
source "$(dirname "$0")/lib.sh"
JOBS=${1:-1000000}
MODE=${2:-running}
PORT=18091
BATCH=500
CONCURRENCY=4

start_warren main $PORT
pid=$(pid_of main)
heap_sampler "$pid" "$WORK/heap.txt"
[ "$MODE" = "--paused" ] && api $PORT POST /api/v1/types/ledger/pause >/dev/null
started=$(date +%s)
load --url "http://127.0.0.1:$PORT" --type ledger --jobs "$JOBS" --concurrency $CONCURRENCY --batch $BATCH \
  --ids "$WORK/accepted.txt" --wait false
accepted_at=$(date +%s)
if [ "$MODE" = "--paused" ]; then
  echo "queued with workers paused: work_ready=$(ready $PORT "$RUN.work.ledger") after $((accepted_at - started)) s"
  api $PORT POST /api/v1/types/ledger/resume >/dev/null
fi
await_processed "$WORK/accepted.txt" 7200
done_at=$(date +%s)
sleep 2
result=$(verdict "$WORK/accepted.txt")
elapsed=$((done_at - started))
echo "stress ($MODE): $result accept_seconds=$((accepted_at - started)) total_seconds=$elapsed" \
  "jobs_per_s=$(( JOBS / (elapsed > 0 ? elapsed : 1) )) peak_rss_mb=$(peak_rss "$pid") peak_heap_mb=$(tail -1 "$WORK/heap.txt" 2>/dev/null)"
case "$result" in *"lost=0 duplicated=0") ;; *) echo "stress: FAIL (log: $WORK/main.log)"; exit 1 ;; esac
