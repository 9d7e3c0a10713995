#!/usr/bin/env bash
# Start-up and idle memory: for each jar (default target/warren.jar), a warren on a fresh H2 folder
# and the local broker, timed from launch to its first ready answer (polled every 0.1 s), its RSS
# (VmRSS) after 15 s idle (IDLE_SECONDS), then stopped and started again on the same folder (a
# restart: no schema to create) and measured the same way. The jars are alternated ROUNDS times (the machine's speed
# drifts between runs minutes apart), so a before/after of a change is read side by side.
#   bench/startup.sh [ROUNDS] [JAR ...]
# Judges nothing about speed: exits 1 only when a warren did not start or did not stop.
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-3}; shift || true
IDLE_SECONDS=${IDLE_SECONDS:-15}
JARS=("$@"); [ ${#JARS[@]} -gt 0 ] || JARS=("$ROOT/target/warren.jar")
echo "machine: $(nproc) cores; nothing else of the bench's runs meanwhile"
n=0
for round in $(seq 1 "$ROUNDS"); do
  for jar in "${JARS[@]}"; do
    n=$((n + 1))
    for start in fresh restart; do
      started=$(date +%s%N)
      READY_POLL_SECONDS=0.1 BENCH_JAR="$jar" start_warren "s$n" $((18100 + n)) || exit 1
      ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
      sleep "$IDLE_SECONDS"
      pid=$(pid_of "s$n")
      rss=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")
      # the jar's checkout folder names it: main/warren.jar, base/warren.jar
      echo "round=$round jar=$(basename "$(dirname "$(dirname "$jar")")")/$(basename "$jar") start=$start ready_ms=$ready_ms idle_rss_mb=$rss"
      kill "$pid"
      within 45 gone "$pid" || { echo "FAIL: warren s$n did not stop within 45 s of SIGTERM"; exit 1; }
    done
  done
done
echo "startup: PASS"
