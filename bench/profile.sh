#!/usr/bin/env bash
# Where warren's CPU goes under load: a JFR recording (the JDK's "default" settings: Java samples
# every 20 ms; its "profile" settings cost this 2-core machine over half its throughput) of one
# warren while wrk drives one endpoint, summed up by bench/Profile.java (samples by thread, by package, busiest
# frames), with the wrk line (end to end, latency, CPU of warren, RabbitMQ and PostgreSQL per job).
#   bench/profile.sh [single|batch|paced RATE] [top]      (defaults: single, 25 rows per table)
# single: the single-job endpoint, 16 connections; batch: 100 jobs per request, 4 connections;
# paced RATE: the single-job endpoint at RATE requests/s by bench/pacer.c (open loop, 64
# connections, 5 s not counted), for the accept-latency tail and the GC pauses behind it.
# WRK_SECONDS (20) of load, after a warm-up until the JIT has gone quiet (jit_warm_up in lib.sh; not recorded). BENCH_DB=postgres
# runs warren on a fresh PostgreSQL database. The recording is kept in the run folder (printed).
# PROFILE_JFR=0: the same run without the recording (what the profiler itself costs).
# PROFILER=async: async-profiler (from Maven Central, attached once warm) samples every thread's CPU
# every 2 ms, native and kernel frames too (GC, JIT, syscalls): about 40 times the samples of JFR's
# default settings, at little cost here. Its recording is JFR too: Profile.java reads both.
# Judges counts, never speed: exits 1 on a refused request or an accepted job not processed.
source "$(dirname "$0")/lib.sh"

# async_profiler_library: sets AGENT to async-profiler's native library (Maven Central, cached in bench/lib)
async_profiler_library() {
  local version=4.5
  local jar=bench/lib/async-profiler-$version-linux-x64.jar
  [ -f "$jar" ] || ./mvnw -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:$version:jar:linux-x64 -DoutputDirectory=bench/lib
  (cd "$WORK" && jar xf "$ROOT/$jar" linux-x64/libasyncProfiler.so)
  AGENT="$WORK/linux-x64/libasyncProfiler.so"
}

MODE=${1:-single}
[ "$MODE" = paced ] && { RATE=${2:?paced needs a rate}; shift; }
TOP=${2:-25}
case "$MODE" in
  single) conns=16 batch=0 ;;
  batch) conns=4 batch=100 ;;
  paced) ;;
  *) echo "mode: single, batch or paced RATE"; exit 2 ;;
esac
ensure_wrk
DB_ENV=()
[ "${BENCH_DB:-h2}" = postgres ] && postgres_db warren_profile
echo "job database: ${BENCH_DB:-h2}; machine: $(nproc) cores; broker, database, warren and wrk share them"
# JFR on from the start: started later by jcmd, it made the JIT throw away compiled code and the
# profiled run half as fast (the recording started at launch is dropped once warm)
PROFILER=${PROFILER:-jfr}
case "$PROFILER" in
  jfr) [ "${PROFILE_JFR:-1}" = 0 ] || BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-} -XX:StartFlightRecording=name=startup,settings=default" ;;
  async) async_profiler_library ;;
  *) echo "PROFILER: jfr or async"; exit 2 ;;
esac
start_warren main 18090 "${DB_ENV[@]}"
jit_warm_up main || { echo "profile: FAIL in the warm-up (log: $WORK/main.log)"; exit 1; }
status=0
# run_load: the measured load, one result line
run_load() {
  if [ "$MODE" = paced ]; then paced_load main "$RATE" "${WRK_SECONDS:-20}"; else wrk_load "$MODE" "$conns" "$batch" main; fi
}
if [ "${PROFILE_JFR:-1}" = 0 ]; then
  run_load || status=1
else
  if [ "$PROFILER" = async ]; then
    # the options quoted: jcmd would read the '=' in them as its own name=value arguments
    jcmd "$(pid_of main)" JVMTI.agent_load "$AGENT" "\"start,event=cpu,interval=2ms,file=$WORK/profile.jfr\"" > /dev/null
    line=$(run_load) || status=1
    jcmd "$(pid_of main)" JVMTI.agent_load "$AGENT" '"stop"' > /dev/null
  else
    jcmd "$(pid_of main)" JFR.stop name=startup > /dev/null
    jcmd "$(pid_of main)" JFR.start name=profile settings=default > /dev/null
    line=$(run_load) || status=1
    jcmd "$(pid_of main)" JFR.stop name=profile filename="$WORK/profile.jfr" > /dev/null
  fi
  echo "$line"
  java bench/Profile.java "$WORK/profile.jfr" "$TOP"
  echo "recording: $WORK/profile.jfr"
  BENCH_KEEP=1 # the recording is the point
fi
[ "$status" = 0 ] || { echo "profile: FAIL (refused or unprocessed jobs; log: $WORK/main.log)"; exit 1; }
echo "profile: PASS"
