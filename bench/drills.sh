#!/usr/bin/env bash
# Fault drills under load, against two warren instances sharing a PostgreSQL job database (as a
# fleet runs): N jobs (default 6,000) are sent to both in turn while, 3 s in, one of these happens:
#   broker   rabbitmqctl stop_app, 10 s later start_app
#   kill9    kill -9 of instance b (restarted when the load is over, as an orchestrator would)
#   sigterm  SIGTERM to instance b (it drains; restarted when the load is over)
# Each drill reports accepted (202 answers), processed, lost and duplicated, from the ledger.
#   bench/drills.sh [jobs] [drill ...]      (default: all three)
source "$(dirname "$0")/lib.sh"
JOBS=${1:-6000}
shift || true
DRILLS=("${@:-broker kill9 sigterm}")
read -r -a DRILLS <<< "${DRILLS[*]}"

bin/ensure-postgres >/dev/null
DB="warren_drill_$(date +%s)"
PGPASSWORD=warren psql -q -h 127.0.0.1 -U warren -d postgres -c "CREATE DATABASE $DB"
AT_EXIT+=("PGPASSWORD=warren psql -q -h 127.0.0.1 -U warren -d postgres -c 'DROP DATABASE IF EXISTS $DB' 2>/dev/null")
DB_ENV=(WARREN_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB" WARREN_DB_USER=warren WARREN_DB_PASSWORD=warren)
start_warren a 18101 "${DB_ENV[@]}"
start_warren b 18102 "${DB_ENV[@]}"

for drill in "${DRILLS[@]}"; do
  ids="$WORK/$drill.ids"
  load --url "http://127.0.0.1:18101,http://127.0.0.1:18102" --type ledger --jobs "$JOBS" --concurrency 8 \
    --ids "$ids" --wait false > "$WORK/$drill.load" 2>&1 &
  loader=$!
  PIDS+=("$loader")
  sleep 3
  case $drill in
    broker) AT_EXIT+=("rmqctl -q start_app") # even if this script is stopped meanwhile
            rmqctl -q stop_app; sleep 10; rmqctl -q start_app ;;
    kill9) kill -9 "$(pid_of b)" ;;
    sigterm) kill -TERM "$(pid_of b)" ;;
    *) echo "unknown drill $drill"; exit 2 ;;
  esac
  wait $loader
  if [ "$drill" != broker ]; then
    for _ in $(seq 1 250); do kill -0 "$(pid_of b)" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$(pid_of b)" 2>/dev/null || true # SIGTERM drains for up to 30 s; it had 50
    start_warren b 18102 "${DB_ENV[@]}"
  fi
  await_processed "$ids" 300
  sleep 3 # a late duplicate would show up now
  echo "drill $drill: $(verdict "$ids") errors=$(sed -nE 's/.*errors=([0-9]+).*/\1/p' "$WORK/$drill.load" | tail -1)" \
    "(requests refused or failed while it happened; those jobs were not accepted)"
done
