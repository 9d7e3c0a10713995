#!/usr/bin/env bash
# Fault drills under load, against two warren instances sharing a PostgreSQL job database (as a
# fleet runs): N jobs (default 6,000) are sent to both in turn while, 3 s in, one of these happens:
#   broker   rabbitmqctl stop_app, 10 s later start_app
#   kill9    kill -9 of instance b (restarted when the load is over, as an orchestrator would)
#   sigterm  SIGTERM to instance b (it drains; restarted when the load is over)
#   alarm    a memory alarm (rabbitmqctl set_vm_memory_high_watermark 0.000001): the broker blocks
#            the connections that publish; lifted 10 s later
# Each drill reports accepted (202 answers), processed, lost and duplicated, from the ledger, and
# PASS or FAIL with the reasons. A drill fails on a lost job; on a duplicate, except in kill9 where
# the killed instance had run that job (it died before the ack; RabbitMQ redelivered it); when the
# jobs did not all run in time; when a request was refused in the broker or alarm drill (the outbox
# answers 202 meanwhile); when, in the alarm drill, a connection warren consumes on was blocked (the
# broker blocks only connections that publish: consumers must keep their own) or warren's publishing
# connection never was; or when its fault did not happen: the broker still took connections, no
# memory alarm was raised, instance b outlived its kill -9 or its SIGTERM, or the load was over
# before the fault. Exits 1 if any failed.
#   bench/drills.sh [jobs] [drill ...]      (default: all four)
source "$(dirname "$0")/lib.sh"
JOBS=${1:-6000}
shift || true
DRILLS=("${@:-broker kill9 sigterm alarm}")
read -r -a DRILLS <<< "${DRILLS[*]}"
for drill in "${DRILLS[@]}"; do # before anything starts, not half-way through
  case $drill in broker|kill9|sigterm|alarm) ;; *) echo "unknown drill $drill (broker, kill9, sigterm, alarm)"; exit 2 ;; esac
done

postgres_db warren_drill
start_warren a 18101 "${DB_ENV[@]}"
start_warren b 18102 "${DB_ENV[@]}"

# ledger_of NAME: the runs one instance's ledger holds so far (all drills: filter by a drill's ids)
ledger_of() { cat "$WORK/$1/data/ledger.txt" 2>/dev/null || true; }

# broker_down: a connection to 5672 is refused (stop_app closes the AMQP listener)
broker_down() { ! amqp_answers; }
# memory_alarm: the broker has raised its memory alarm
memory_alarm() { rmqctl -q eval 'rabbit_alarm:get_alarms().' | grep -q memory; }
no_memory_alarm() { ! memory_alarm; }
# blocked_connections NAME: how many of warren's connections of that name the broker blocks now
blocked_connections() {
  local listed
  listed=$(rmqctl -q list_connections state client_properties) || { echo "rabbitmqctl list_connections failed"; return 1; }
  grep -F "{\"connection_name\",\"$1\"}" <<< "$listed" | grep -c '^blocked' || true
}

FAILED=() # "drill: reason" for each failure, repeated at the end
for drill in "${DRILLS[@]}"; do
  ids="$WORK/$drill.ids"
  why=() # this drill's failures
  : > "$ids" # (empty, not missing, if the load program dies before writing it)
  opts=(--url "http://127.0.0.1:18101,http://127.0.0.1:18102" --type ledger --jobs "$JOBS" --concurrency 8
    --ids "$ids" --wait false)
  # requests to b while it is dead or draining are refused, and that is the point; during a broker
  # outage or alarm the outbox answers 202, so there a refused request fails the drill
  case $drill in broker|alarm) ;; *) opts+=(--allow-errors) ;; esac
  load "${opts[@]}" > "$WORK/$drill.load" 2>&1 &
  loader=$!
  PIDS+=("$loader")
  sleep 3
  # a fault after the load proves nothing about a fault under load
  gone "$loader" && why+=("the load was over before the fault (give it more jobs)")
  case $drill in
    broker) AT_EXIT+=("rmqctl -q start_app") # even if this script is stopped meanwhile
            rmqctl -q stop_app || why+=("rabbitmqctl stop_app failed")
            # proof of the outage: nobody can connect, right after stop_app and still at its end
            within 5 broker_down || why+=("the broker still took connections on 5672 after stop_app")
            sleep 10
            amqp_answers && why+=("the broker took connections on 5672 again before start_app")
            rmqctl -q start_app || why+=("rabbitmqctl start_app failed")
            # the next drills need it back (and the outbox can only publish then)
            within 60 amqp_answers || { echo "drill broker: FAIL: RabbitMQ did not come back on 5672 within 60 s"; exit 1; } ;;
    alarm) watermark=$(rmqctl -q eval 'vm_memory_monitor:get_vm_memory_high_watermark().') ||
             { echo "drill alarm: FAIL: rabbitmqctl could not read the memory watermark"; exit 1; }
           AT_EXIT+=("rmqctl -q eval 'vm_memory_monitor:set_vm_memory_high_watermark($watermark).' >/dev/null")
           rmqctl -q set_vm_memory_high_watermark 0.000001 >/dev/null || why+=("rabbitmqctl set_vm_memory_high_watermark failed")
           within 10 memory_alarm || why+=("the broker raised no memory alarm")
           sleep 10
           consumers_blocked=$(blocked_connections warren) || why+=("$consumers_blocked")
           publisher_blocked=$(blocked_connections warren.publisher) || why+=("$publisher_blocked")
           echo "drill alarm: after 10 s of alarm the broker blocked $publisher_blocked publishing and" \
             "$consumers_blocked consuming connection(s) of warren"
           [ "$consumers_blocked" = 0 ] || why+=("the broker blocked $consumers_blocked connection(s) warren consumes on")
           [ "$publisher_blocked" -gt 0 ] || why+=("no publishing connection of warren was blocked: the alarm did not reach it")
           rmqctl -q eval "vm_memory_monitor:set_vm_memory_high_watermark($watermark)." >/dev/null ||
             { echo "drill alarm: FAIL: the memory watermark could not be set back to $watermark"; exit 1; }
           within 30 no_memory_alarm ||
             why+=("the memory alarm was still raised 30 s after the watermark was set back") ;;
    kill9) victim=$(pid_of b)
           gone "$victim" && why+=("instance b (pid $victim) had died before the fault")
           kill -9 "$victim" 2>/dev/null || true
           within 5 gone "$victim" || why+=("instance b (pid $victim) was still alive 5 s after kill -9")
           # what the dead instance had run (the ids file is only written when the load is over, so
           # filtered later): a duplicate of one of these is the at-least-once redelivery
           ledger_of b > "$WORK/kill9.b-at-death" ;;
    sigterm) victim=$(pid_of b)
             gone "$victim" && why+=("instance b (pid $victim) had died before the fault")
             sigterm_at=$(date +%s)
             kill -TERM "$victim" 2>/dev/null || true ;;
  esac
  load_status=0
  wait "$loader" || load_status=$?
  [ "$load_status" -eq 0 ] ||
    why+=("the load program exited $load_status: $(grep -v '^mode=' "$WORK/$drill.load" | tail -1)")
  if [ "$drill" = kill9 ] || [ "$drill" = sigterm ]; then
    # it drains for up to 30 s (warren.worker.drain-timeout-seconds) and must then exit on its own
    if ! within 50 gone "$(pid_of b)" && [ "$drill" = sigterm ]; then
      why+=("instance b (pid $victim) had not exited $(( $(date +%s) - sigterm_at )) s after SIGTERM")
    fi
    kill -9 "$(pid_of b)" 2>/dev/null || true
    start_warren b 18102 "${DB_ENV[@]}"
  fi
  await_processed "$ids" 300 || why+=("not every accepted job ran within 300 s")
  sleep 3 # a late duplicate would show up now
  result=$(verdict "$ids")
  load_line=$(grep '^mode=' "$WORK/$drill.load" | tail -1 || true)
  echo "drill $drill: $result errors=$(field errors "$load_line")" \
    "(requests refused or failed while it happened; those jobs were not accepted)"

  accepted=$(field accepted "$result") lost=$(field lost "$result") duplicated=$(field duplicated "$result")
  # no job accepted, nothing to lose: a pass that proves nothing
  [ "${accepted:-0}" -gt 0 ] || why+=("no job was accepted")
  [ "$lost" = 0 ] || why+=("${lost:-?} accepted jobs never ran")
  if [ "$duplicated" != 0 ]; then
    ledger_lines | grep -Fxf "$ids" | sort | uniq -d > "$WORK/$drill.duplicates" || true
    if [ "$drill" = kill9 ]; then
      grep -Fxf "$ids" "$WORK/kill9.b-at-death" | sort -u > "$WORK/kill9.died-ran" || true
      unexplained=$(comm -23 "$WORK/$drill.duplicates" "$WORK/kill9.died-ran" | wc -l)
      if [ "$unexplained" -eq 0 ]; then
        echo "drill kill9: $duplicated duplicated, all of them jobs the killed instance b had run: it died" \
          "before their SUCCEEDED commit and ack, so RabbitMQ redelivered them and they ran again" \
          "(at-least-once; allowed in this drill only)"
      else
        why+=("$unexplained jobs ran twice that the killed instance had not run (ids: $WORK/$drill.duplicates)")
      fi
    else
      why+=("${duplicated:-?} runs beyond the first; only a kill -9 mid-job may run a job twice (ids: $WORK/$drill.duplicates)")
    fi
  fi

  if [ ${#why[@]} -eq 0 ]; then
    echo "drill $drill: PASS"
  else
    for reason in "${why[@]}"; do echo "drill $drill: FAIL: $reason"; FAILED+=("$drill: $reason"); done
  fi
done

if [ ${#FAILED[@]} -eq 0 ]; then
  echo "drills: PASS (${DRILLS[*]})"
else
  echo "drills: FAIL, ${#FAILED[@]} reason(s) (log: $WORK/a.log, $WORK/b.log):"
  printf '  %s\n' "${FAILED[@]}"
  exit 1
fi
