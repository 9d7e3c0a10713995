#!/usr/bin/env bash
# A before/after of warren variants on a machine whose speed drifts: each variant gets a fresh warren,
# warmed up until the JIT has gone quiet (jit_warm_up), then in a row: the pacer at 650 and at 1,000
# single jobs/s, wrk single (16 clients), wrk batch (100 x 4); the variants alternate, ROUNDS times.
# AB_LOADS="paced650 single batch paced1000 single64" picks and orders the loads (pacedRATE: the
# pacer at RATE single jobs/s, any rate; single64: wrk single with 64 clients, more than the HTTP
# server's 20 worker threads).
#   bench/ab.sh ROUNDS 'LABEL|VAR=value VAR2=value|JVM options|path/to/warren.jar' ...
# Empty fields: no settings, no options, target/warren.jar. Settings go to bin/java too:
# WARREN_JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 runs a variant on that JDK. BENCH_DB=postgres: each variant on a fresh
# PostgreSQL database. One line per result, prefixed by the
# round, the label and the load. Judges counts, never speed: exits 1 on a refused or unprocessed job.
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:?usage: bench/ab.sh ROUNDS "label|settings|jvm options|jar" ...}; shift
[ "$#" -gt 0 ] || { echo "name at least one variant"; exit 2; }
ensure_wrk
port=18200
for round in $(seq 1 "$ROUNDS"); do
  for variant in "$@"; do
    IFS='|' read -r label settings options jar <<< "$variant"
    name="ab$port"
    DB_ENV=()
    [ "${BENCH_DB:-h2}" = postgres ] && postgres_db "$name"
    # shellcheck disable=SC2086 # settings are words on purpose
    BENCH_JAR="${jar:-$ROOT/target/warren.jar}" BENCH_JAVA_OPTS="$options" start_warren "$name" "$port" "${DB_ENV[@]}" $settings
    jit_warm_up "$name" > /dev/null || { echo "FAIL: $label's warm-up"; exit 1; }
    for load in ${AB_LOADS:-paced650 single batch paced1000}; do
      case $load in
        paced[0-9]*) line=$(paced_load "$name" "${load#paced}" "${WRK_SECONDS:-20}") ;;
        single) line=$(wrk_load single 16 0 "$name") ;;
        single64) line=$(wrk_load single 64 0 "$name") ;;
        batch) line=$(wrk_load batch 4 100 "$name") ;;
        *) echo "unknown load '$load' in AB_LOADS"; exit 2 ;;
      esac || { echo "FAIL: round $round $label $load: $line"; exit 1; }
      echo "round=$round $label $load $line"
    done
    pid=$(pid_of "$name"); kill "$pid"; within 60 gone "$pid" || kill -9 "$pid"
    port=$((port + 1))
  done
done
echo "ab: PASS"
