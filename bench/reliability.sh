#!/usr/bin/env bash
# Seed 001's no-loss test: with the workers and the audit consumer paused, N jobs (default 10,000)
# go in through the single-job endpoint; all N must wait Ready in the work queue and in the audit
# queue. Then both resume, and every job must run exactly once: lost 0, duplicated 0, and the
# audit log must hold N lines. Exits 1 when any count is off, a request failed, or the jobs did
# not all run within the time allowed.
#   bench/reliability.sh [jobs] [concurrency]
source "$(dirname "$0")/lib.sh"
JOBS=${1:-10000}
CONCURRENCY=${2:-16}
PORT=18090

start_warren main $PORT
api $PORT POST /api/v1/types/ledger/pause >/dev/null
api $PORT POST /api/v1/audit/pause >/dev/null
started=$(date +%s)
# judged below with the other counts: the jobs it did get accepted must still run, once each
: > "$WORK/accepted.txt" # (empty, not missing, if the load program dies before writing it)
load_line=$(load --url "http://127.0.0.1:$PORT" --type ledger --jobs "$JOBS" --concurrency "$CONCURRENCY" \
  --ids "$WORK/accepted.txt" --wait false) || true
echo "$load_line"
# a failed count is an empty one, reported below, rather than an exit without a word
work_ready=$(ready $PORT "$RUN.work.ledger") || true
audit_ready=$(ready $PORT "$RUN.audit") || true
echo "paused: accepted=$(wc -l < "$WORK/accepted.txt") work_ready=$work_ready audit_ready=$audit_ready"

api $PORT POST /api/v1/types/ledger/resume >/dev/null
api $PORT POST /api/v1/audit/resume >/dev/null
waited=true
await_processed "$WORK/accepted.txt" 600 || waited=false
for _ in $(seq 1 120); do
  [ "$(wc -l 2>/dev/null < "$WORK/main/data/audit.jsonl" || echo 0)" -ge "$JOBS" ] && break
  sleep 1
done
sleep 2 # a duplicate delivery would show up now
result=$(verdict "$WORK/accepted.txt")
audit_lines=$(wc -l 2>/dev/null < "$WORK/main/data/audit.jsonl" || echo 0)
echo "resumed: $result audit_lines=$audit_lines seconds=$(( $(date +%s) - started ))"

ok=true
$waited || ok=false
check_load "$load_line" "$JOBS" || ok=false
expect work_ready "$work_ready" "$JOBS" || ok=false
expect audit_ready "$audit_ready" "$JOBS" || ok=false
[ "$result" = "accepted=$JOBS processed=$JOBS lost=0 duplicated=0" ] ||
  { echo "FAIL: $result, expected accepted=$JOBS processed=$JOBS lost=0 duplicated=0"; ok=false; }
expect audit_lines "$audit_lines" "$JOBS" || ok=false
if $ok; then echo "reliability: PASS"; else echo "reliability: FAIL (log: $WORK/main.log)"; exit 1; fi
