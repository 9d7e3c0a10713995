# Shared by the bench scripts (sourced): build warren, start and stop instances of it on the local
# RabbitMQ with queues named bench.*, and count what the ledger job type ran.
set -euo pipefail
CALLER_DIR=$(pwd) # a relative BENCH_JAR (bench/ab.sh's and bench/startup.sh's jars) is relative to it
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

# Every run's whole output (stdout and stderr) also goes to bench/results/<UTC time>-<script>.txt:
# the figures in docs/benchmarks.md cite these files, so a number can be traced to the run that
# printed it. BENCH_RESULTS=DIR writes them elsewhere (bench/smoke.sh: a temp folder, so CI leaves
# its clone clean); BENCH_RESULTS=none keeps nothing.
BENCH_RESULTS=${BENCH_RESULTS:-$ROOT/bench/results}
TEE_PID=""
if [ "$BENCH_RESULTS" != none ]; then
  mkdir -p "$BENCH_RESULTS"
  RESULTS_FILE="$BENCH_RESULTS/$(date -u +%Y-%m-%dT%H%M%SZ)-$(basename "$0" .sh).txt"
  # tee -i: Ctrl-C reaches the whole process group; tee must outlive it to record the clean-up
  # (and a dead tee would cut the clean-up short with SIGPIPE)
  exec > >(tee -i -a "$RESULTS_FILE") 2>&1
  TEE_PID=$!
  # what a citation needs besides the numbers: the command, the commit, the knobs that were set
  dirty=""; git diff --quiet HEAD -- src pom.xml bench 2>/dev/null || dirty=" with uncommitted changes"
  echo "# bench/$(basename "$0") $*: $(date -u '+%F %T') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$dirty"
  knobs=$(env | grep -E '^(BENCH_[A-Z_]*|WARMUP|PERFTEST_SECONDS)=' | grep -v '^BENCH_RESULTS=' | tr '\n' ' ' || true)
  [ -z "$knobs" ] || echo "# environment: $knobs"
fi

bin/ensure-java >/dev/null
bin/ensure-rabbitmq >/dev/null
if [ ! -f target/warren.jar ] || [ -n "$(find src pom.xml -newer target/warren.jar -print -quit)" ]; then
  ./mvnw -B -q package -DskipTests
fi

WORK=$(mktemp -d /tmp/warren-bench.XXXXXX)
KEY="wk_bench_$(date +%s%N)"
HASH=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)
mkdir -p "$WORK/routes" "$WORK/plugins" "$WORK/classes"
cp bench/bench.yaml bench/ledger.yaml "$WORK/routes/"
# the ledger job type's handler, a plugin built against warren's jar
javac -cp target/warren.jar -d "$WORK/classes" bench/Ledger.java
jar cf "$WORK/plugins/ledger.jar" -C "$WORK/classes" .
# unique queue names per run, so runs never see each other's messages
RUN="bench.$(date +%s)"
PIDS=()
AT_EXIT=() # extra commands for cleanup (the drills: start the broker again, drop their database)
cleanup() {
  local status=$?
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && { kill "$p" 2>/dev/null || true; }; done
  # a warren drains for up to warren.worker.drain-timeout-seconds (30) on SIGTERM; then it goes
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] || continue
    for _ in $(seq 1 45); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
    kill -9 "$p" 2>/dev/null || true
  done
  for cmd in "${AT_EXIT[@]:-}"; do [ -n "$cmd" ] && { eval "$cmd" || true; }; done
  # the run's queues go with it (the broker keeps its exchanges: they hold nothing)
  for q in $(rmqctl -q list_queues name 2>/dev/null | grep "^$RUN\." || true); do
    rmqctl -q delete_queue "$q" >/dev/null 2>&1 || true
  done
  # a failed run keeps its folder (logs, ledgers) for a look; BENCH_KEEP=1 keeps any
  if [ "$status" -eq 0 ] && [ -z "${BENCH_KEEP:-}" ]; then rm -rf "$WORK"; else echo "run folder kept: $WORK"; fi
  if [ -n "$TEE_PID" ]; then
    echo "output kept: ${RESULTS_FILE#"$ROOT/"}"
    # the file is whole only once tee has read the last line: close our end and let it finish
    exec >&- 2>&-
    within 10 gone "$TEE_PID" || true
  fi
}
trap cleanup EXIT

# start_warren NAME PORT [VAR=value ...]: starts an instance in the background and waits until it is ready
start_warren() {
  local name=$1 port=$2; shift 2
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is taken (a warren left from another run?)"; return 1
  fi
  local jar=${BENCH_JAR:-$ROOT/target/warren.jar}
  [[ $jar = /* ]] || jar=$CALLER_DIR/$jar
  mkdir -p "$WORK/$name"
  (cd "$WORK/$name" && exec env MALLOC_ARENA_MAX=2 WARREN_BROKER=external WARREN_HTTP_PORT="$port" WARREN_ROUTES_DIR="$WORK/routes" \
    WARREN_PLUGINS_DIR="$WORK/plugins" WARREN_DATA_DIR="$WORK/$name/data" WARREN_INSTANCE_ID="$name" \
    WARREN_SECURITY_API_KEYS="bench:admin:$HASH" WARREN_EXCHANGE_JOBS="$RUN.jobs" WARREN_EXCHANGE_DEAD="$RUN.dlx" \
    WARREN_QUEUE_AUDIT="$RUN.audit" WARREN_QUEUE_WORK_PREFIX="$RUN.work." WARREN_QUEUE_DEAD_PREFIX="$RUN.dead." \
    WARREN_EXCHANGE_COMMANDS="$RUN.commands" WARREN_QUEUE_COMMANDS_PREFIX="$RUN.commands." ${BENCH_WARREN_ENV:-} "$@" \
    "$ROOT/bin/java" -Xmx${BENCH_HEAP:-192m} ${BENCH_JAVA_OPTS:-} -jar "$jar" > "$WORK/$name.log" 2>&1) &
  local pid=$!
  disown "$pid" # no job notice when a drill kills it
  PIDS+=("$pid")
  eval "PID_$name=$pid PORT_$name=$port"
  # READY_POLL_SECONDS: how often readiness is asked for (bench/startup.sh times the start by it)
  local poll=${READY_POLL_SECONDS:-1}
  for _ in $(seq 1 "$(awk -v p="$poll" 'BEGIN { printf "%d", 120 / p }')"); do
    curl -fs "http://127.0.0.1:$port/observe/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "warren $name did not start:"; tail -20 "$WORK/$name.log"; return 1; }
    sleep "$poll"
  done
  echo "warren $name was not ready after 120 s"; return 1
}

pid_of() { eval "echo \$PID_$1"; }
port_of() { eval "echo \$PORT_$1"; }

# ---- HTTP load with wrk (C: almost no CPU of its own) on the no-op job type 'bench' --------------

# ensure_command COMMAND [PACKAGES]: Debian's packages (default: the command's name), installed when
# the command is missing
ensure_command() {
  command -v "$1" >/dev/null && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  # apt's notes (debconf's "delaying package configuration" among them) would land in the result
  # file: they go to a log, shown only if the install fails
  # shellcheck disable=SC2086 # the packages are words on purpose
  { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${2:-$1}; } \
    > "$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; return 1; }
}
ensure_wrk() { ensure_command wrk; }

# processed_at_least NAME N: the instance has processed N bench jobs
processed_at_least() { [ "$(processed "$1")" -ge "$2" ]; }

# job_json: the benchmark's job, as bench/wrk/jobs.lua sends it: BENCH_PAYLOAD bytes of JSON when
# set (and the yardstick's messages as long), else 90 (and 100)
job_json() {
  printf '{"pad":"%s"}' "$(head -c $((${BENCH_PAYLOAD:-90} - 10)) /dev/zero | tr '\0' x)"
}

# paced_load NAME RATE SECONDS: the single-job endpoint of instance NAME at RATE requests/s for
# SECONDS after 5 s not counted (bench/pacer.c: each request sent when due, open loop, 64
# connections, latency counted from then); prints the pacer's line after "warren ", then waits
# for the accepted jobs to be processed. Exits 1 on a refused request or an unprocessed job.
paced_load() {
  local name=$1 rate=$2 seconds=$3 before line
  ensure_pacer
  job_json > "$WORK/job.json"
  local pid d0 t0 u0 after
  pid=$(pid_of "$name")
  before=$(processed "$name"); d0=$(writer_ns "$pid"); t0=$(store_wait_us "$name"); u0=$(store_waits "$name")
  line=$("$WORK/pacer" 127.0.0.1 "$(port_of "$name")" /api/v1/jobs/bench "$rate" "$seconds" 5 64 "$WORK/job.json" \
    "Authorization: Bearer $KEY") || { echo "FAIL: the paced run refused jobs: $line"; return 1; }
  within 60 processed_at_least "$name" $((before + $(field accepted "$line"))) || { echo "FAIL: the paced run's jobs were not all processed"; return 1; }
  after=$(processed "$name")
  # the writer's figures as in wrk_load, over the whole run (the 5 s not counted too)
  echo "warren $line $(writer_fields $(($(writer_ns "$pid") - d0)) $((after - before)) \
    $(($(store_wait_us "$name") - t0)) $(($(store_waits "$name") - u0)))"
}

# writer_fields WRITER_NS JOBS WAIT_US WAITS: a run's writer_ms_per_job and store_wait_ms (see wrk_load)
writer_fields() {
  awk -v d="$1" -v a="$2" -v t="$3" -v u="$4" \
    'BEGIN { printf "writer_ms_per_job=%.4f store_wait_ms=%.2f", (a ? d / a / 1e6 : 0), (u ? t / u / 1000 : 0) }'
}

# ensure_pacer: bench/pacer.c (open-loop fixed-rate HTTP load, as cheap as wrk) built into $WORK/pacer
ensure_pacer() {
  [ -x "$WORK/pacer" ] && return 0
  ensure_command cc "gcc libc6-dev"
  cc -O2 -o "$WORK/pacer" bench/pacer.c
}

# processed NAME...: bench jobs these instances have processed so far (their metrics, summed)
processed() { metric_sum '^warren_jobs_succeeded_total\{type="bench"\}' "$@"; }
# commits NAME...: the store's shared transactions so far (the group commit's writer), summed
commits() { metric_sum '^warren_store_transaction_seconds_count' "$@"; }
# confirm_us NAME...: the time bench jobs waited for their publish's confirms so far, in µs (each
# job counts the wait of its request's whole publish: a batch's jobs wait for the batch's last confirm)
confirm_us() { METRIC_SCALE=1000000 metric_sum '^warren_publish_confirm_seconds_sum\{type="bench"\}' "$@"; }
confirms() { metric_sum '^warren_publish_confirm_seconds_count\{type="bench"\}' "$@"; }
# store_wait_us, store_waits NAME...: the time writes waited for the store's writer so far (µs), and how many writes
store_wait_us() { METRIC_SCALE=1000000 metric_sum '^warren_store_queued_seconds_sum' "$@"; }
store_waits() { metric_sum '^warren_store_queued_seconds_count' "$@"; }
# metric_sum REGEX NAME...: a counter at /observe/metrics (the first line REGEX matches; times
# METRIC_SCALE, default 1, as a whole number), summed over the instances
metric_sum() {
  local pattern=$1 name total=0 count; shift
  for name in "$@"; do
    count=$(curl -fs "http://127.0.0.1:$(port_of "$name")/observe/metrics" \
      | P="$pattern" S="${METRIC_SCALE:-1}" awk '$0 ~ ENVIRON["P"] && !found { printf "%d", $2 * ENVIRON["S"]; found = 1 } END { if (!found) print 0 }')
    total=$((total + count))
  done
  echo "$total"
}

# ticks PID...: CPU time (user + system, clock ticks) of these processes so far (or threads, as
# PID/task/TID; a thread's name may hold a space, so the fields are counted after its closing ")")
ticks() {
  local pid sum=0
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    sum=$((sum + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")))
  done
  echo "$sum"
}
idle_ticks() { awk '/^cpu / { print $5 + $6 }' /proc/stat; }
# writer_ns PID...: CPU time (ns, from the scheduler's own count) of the store's writer thread
# (warren-db-writer; Linux keeps 15 characters of a thread's name) of these processes so far
writer_ns() {
  local pid
  for pid in "$@"; do
    grep -lx 'warren-db-write' /proc/"$pid"/task/*/comm 2>/dev/null | sed 's/comm$/schedstat/' | xargs -r cat
  done | awk '{ n += $1 } END { printf "%d", n }'
}
# switches PID...: context switches (voluntary: the thread waited; involuntary: it was preempted) of
# every thread of these processes so far; a thread that ended meanwhile is not counted
switches() {
  local pid
  for pid in "$@"; do cat /proc/"$pid"/task/*/status 2>/dev/null; done \
    | awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { printf "%d", n }'
}
broker_pids() { pgrep -f 'beam.smp.*rabbit' | tr '\n' ' ' || true; }
# syscalls r|w PID...: read (r) or write (w) system calls of these processes so far (/proc/PID/io)
syscalls() {
  local kind=$1 pid; shift
  for pid in "$@"; do cat /proc/"$pid"/io 2>/dev/null; done | awk -v k="sysc$kind:" '$1 == k { n += $2 } END { printf "%d", n }'
}
# disk_bytes PID...: bytes these processes sent to storage so far (/proc/PID/io write_bytes)
disk_bytes() {
  local pid
  for pid in "$@"; do cat /proc/"$pid"/io 2>/dev/null; done | awk '$1 == "write_bytes:" { n += $2 } END { printf "%d", n }'
}
# cpu_pct TICKS SECONDS: those clock ticks over that time, in % of one core (the machine has nproc x 100 %)
cpu_pct() { awk -v d="$1" -v s="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%d", d / hz / s * 100 }'; }
# cpu_ms_per TICKS JOBS: those clock ticks in ms of CPU per job
cpu_ms_per() { awk -v d="$1" -v j="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", j ? d / hz * 1000 / j : 0 }'; }

# jit_warm_up NAME: wrk on both endpoints (15 s single-job, 16 connections; 15 s batches of 100,
# 4) in rounds until the JIT compiler has gone quiet (under 3 s of compile time in a round, from
# jstat), at most JIT_WARMUP_SECONDS (300; 0: no warm-up; on a slow machine the compiler needed ~200 s of load). Under load, warren's compiler threads
# took half a core of this 2-core machine for its first ~90 s: a 20 s run straight after a short
# warm-up measured the JIT as much as warren (342 jobs/s on the single-job endpoint; 732 over the
# 150 s that followed). Prints how long it took and whether the compiler went quiet.
jit_warm_up() {
  local name=$1 max=${JIT_WARMUP_SECONDS:-300} spent=0 before after quiet=no pid
  pid=$(pid_of "$name")
  compile_seconds() { jstat -compiler "$pid" | awk 'NR == 2 { print $4 }'; }
  while [ "$spent" -lt "$max" ]; do
    before=$(compile_seconds)
    WRK_SECONDS=15 wrk_load warmup 16 0 "$name" > /dev/null || return 1
    WRK_SECONDS=15 wrk_load warmup 4 100 "$name" > /dev/null || return 1
    spent=$((spent + 30))
    after=$(compile_seconds)
    if awk -v a="$after" -v b="$before" 'BEGIN { exit !(a - b < 3) }'; then quiet=yes; break; fi
  done
  echo "JIT warm-up: $spent s of load, not counted (compiler quiet: $quiet, $(compile_seconds) s compiling in all)"
}

# wrk_load MODE CONNECTIONS BATCH NAME...: WRK_SECONDS (20) of load, one wrk per instance at once
# (CONNECTIONS each; BATCH jobs per request, 0: the single-job endpoint), then waits until every
# accepted job was processed. One line: what wrk counted (summed; the worst p50 and p99), end to
# end = processed jobs / (load start .. last one processed), and the CPU that warren, RabbitMQ and
# PostgreSQL used while the load ran, in % of one core (the machine has nproc x 100 %), with
# cpu_ms_per_job (all three, per accepted job), commits_per_job (the store's shared transactions per
# processed job), confirm_ms (the mean wait of a job for its request's publish confirms) and
# switches_per_job (warren's context switches per processed job: each is a thread handing work to
# another and waiting, or preempted; on two shared cores, a cost of its own), writer_ms_per_job (the
# store's writer thread's CPU per processed job) and store_wait_ms (the mean wait of a write for the
# writer's transaction to begin), writes_per_job (warren's write system calls per processed job:
# sockets, files and logs) and broker_reads_per_job (the broker's read calls per processed job, as
# /proc/PID/io counts them: read, readv and pread, not a socket's recvfrom, so these are mostly
# the Erlang schedulers' wake-up pipe, not AMQP traffic; bench/syscalls.sh splits them) and
# broker_disk_kb_per_job (what the broker wrote to storage per processed job: its message store and
# queue indexes): the
# writer's work per job varies less between machines than the rates do. WRK_PATH: a path other than the API's (a route file's endpoint for bench jobs). Fails on
# a refused request or an accepted job not processed.
wrk_load() {
  local mode=$1 conns=$2 batch=$3; shift 3
  local names=("$@") path="" name before after start end accepted=0 refused=0 errors=0 p50=0 p99=0
  [ "$batch" -gt 0 ] && path=/batch
  local warren_pids=() broker postgres_pids
  for name in "${names[@]}"; do warren_pids+=("$(pid_of "$name")"); done
  broker=$(broker_pids)
  postgres_pids=$(pgrep -x postgres | tr '\n' ' ' || true)
  local w0 b0 p0 i0 w1 b1 p1 i1 c0 c1 q0 q1 n0 n1 s0 s1 d0 d1 t0 t1 u0 u1 x0 x1 r0 r1 k0 k1
  before=$(processed "${names[@]}"); c0=$(commits "${names[@]}"); q0=$(confirm_us "${names[@]}"); n0=$(confirms "${names[@]}")
  s0=$(switches "${warren_pids[@]}"); d0=$(writer_ns "${warren_pids[@]}"); t0=$(store_wait_us "${names[@]}"); u0=$(store_waits "${names[@]}")
  x0=$(syscalls w "${warren_pids[@]}"); r0=$(syscalls r $broker); k0=$(disk_bytes $broker)
  w0=$(ticks "${warren_pids[@]}"); b0=$(ticks $broker); p0=$(ticks $postgres_pids); i0=$(idle_ticks)
  start=$(date +%s.%N)
  local wrks=()
  for name in "${names[@]}"; do
    BENCH_KEY=$KEY WRK_BATCH=$batch wrk -t1 -c"$conns" -d"${WRK_SECONDS:-20}"s --timeout 30s -s bench/wrk/submit.lua \
      "http://127.0.0.1:$(port_of "$name")${WRK_PATH:-/api/v1/jobs/bench$path}" > "$WORK/wrk-$mode-$name.txt" 2>&1 &
    wrks+=($!)
  done
  wait "${wrks[@]}" # not a bare wait: that would also wait for the results file's tee
  w1=$(ticks "${warren_pids[@]}"); b1=$(ticks $broker); p1=$(ticks $postgres_pids); i1=$(idle_ticks)
  local load_seconds line
  load_seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
  for name in "${names[@]}"; do
    line=$(grep '^wrk ' "$WORK/wrk-$mode-$name.txt" || true)
    [ -n "$line" ] || { echo "FAIL: wrk printed no result for instance $name:"; cat "$WORK/wrk-$mode-$name.txt"; return 1; }
    accepted=$((accepted + $(field accepted_jobs "$line")))
    refused=$((refused + $(field refused "$line")))
    errors=$((errors + $(field socket_errors "$line")))
    p50=$(awk -v a="$p50" -v b="$(field p50_ms "$line")" 'BEGIN { print (b > a ? b : a) }')
    p99=$(awk -v a="$p99" -v b="$(field p99_ms "$line")" 'BEGIN { print (b > a ? b : a) }')
  done
  after=$before
  for _ in $(seq 1 3000); do after=$(processed "${names[@]}"); [ "$((after - before))" -ge "$accepted" ] && break; sleep 0.1; done
  end=$(date +%s.%N)
  c1=$(commits "${names[@]}"); q1=$(confirm_us "${names[@]}"); n1=$(confirms "${names[@]}")
  s1=$(switches "${warren_pids[@]}"); d1=$(writer_ns "${warren_pids[@]}"); t1=$(store_wait_us "${names[@]}"); u1=$(store_waits "${names[@]}")
  x1=$(syscalls w "${warren_pids[@]}"); r1=$(syscalls r $broker); k1=$(disk_bytes $broker)
  # processed may exceed accepted_jobs: wrk does not count the requests still in flight when it
  # stops, though warren answered them 202; the rate counts every job warren processed
  echo "wrk mode=$mode instances=${#names[@]} clients=$((conns * ${#names[@]})) accepted_jobs=$accepted" \
    "processed=$((after - before)) refused=$refused socket_errors=$errors" \
    "end_to_end_per_s=$(awk -v a="$((after - before))" -v s="$start" -v e="$end" 'BEGIN { printf "%d", a / (e - s) }')" \
    "p50_ms=$p50 p99_ms=$p99 cpu_warren=$(cpu_pct $((w1 - w0)) "$load_seconds")%" \
    "cpu_rabbitmq=$(cpu_pct $((b1 - b0)) "$load_seconds")% cpu_postgres=$(cpu_pct $((p1 - p0)) "$load_seconds")%" \
    "cpu_idle=$(cpu_pct $((i1 - i0)) "$load_seconds")%" \
    "cpu_ms_per_job=$(cpu_ms_per $((w1 - w0 + b1 - b0 + p1 - p0)) "$accepted")" \
    "commits_per_job=$(awk -v c="$((c1 - c0))" -v a="$((after - before))" 'BEGIN { printf "%.3f", a ? c / a : 0 }')" \
    "confirm_ms=$(awk -v q="$((q1 - q0))" -v n="$((n1 - n0))" 'BEGIN { printf "%.1f", n ? q / n / 1000 : 0 }')" \
    "switches_per_job=$(awk -v s="$((s1 - s0))" -v a="$((after - before))" 'BEGIN { printf "%.2f", a ? s / a : 0 }')" \
    "writes_per_job=$(awk -v s="$((x1 - x0))" -v a="$((after - before))" 'BEGIN { printf "%.2f", a ? s / a : 0 }')" \
    "broker_reads_per_job=$(awk -v s="$((r1 - r0))" -v a="$((after - before))" 'BEGIN { printf "%.2f", a ? s / a : 0 }')" \
    "broker_disk_kb_per_job=$(awk -v s="$((k1 - k0))" -v a="$((after - before))" 'BEGIN { printf "%.2f", a ? s / a / 1024 : 0 }')" \
    "$(writer_fields $((d1 - d0)) $((after - before)) $((t1 - t0)) $((u1 - u0)))"
  [ "$refused" = 0 ] && [ "$errors" = 0 ] && [ "$((after - before))" -ge "$accepted" ] && [ "$accepted" -gt 0 ]
}

# postgres_db NAME: a fresh database on the local PostgreSQL (bin/ensure-postgres), dropped at exit;
# sets DB_ENV to warren's settings for it. warren's docs ask for autovacuum (docs/running.md): a
# server with it off (this machine's CI configuration has it off) gets it on for the run, and back
# at exit, and the run says so. Off, dead row versions piled up during a run: paced 1,400 jobs/s
# had a p99 of 36.3 ms against 9.4 with it on (docs/benchmarks.md, twenty-sixth round).
postgres_db() {
  bin/ensure-postgres >/dev/null
  local db="$1_$(date +%s)"
  if [ "$(pg_autovacuum)" = off ]; then
    # back at exit as it was: off by ALTER SYSTEM is set off again, off by a configuration file is reset to it
    local restore="ALTER SYSTEM RESET autovacuum"
    case "$(as_postgres psql -Atq -d postgres -c "SELECT sourcefile FROM pg_settings WHERE name = 'autovacuum'" 2>/dev/null || true)" in
      */postgresql.auto.conf) restore="ALTER SYSTEM SET autovacuum = off" ;;
    esac
    if as_postgres psql -Atq -d postgres -c 'ALTER SYSTEM SET autovacuum = on' -c 'SELECT pg_reload_conf()' > /dev/null; then
      AT_EXIT+=("as_postgres psql -Atq -d postgres -c '$restore' -c 'SELECT pg_reload_conf()' > /dev/null")
    fi
    if within 10 autovacuum_on; then
      echo "postgres: autovacuum was off on this server; on for this run, back off at exit"
    else
      echo "postgres: autovacuum is off on this server and could not be turned on (no access as postgres, or set on its command line): this run has it off"
    fi
  fi
  PGPASSWORD=warren psql -q -h 127.0.0.1 -U warren -d postgres -c "CREATE DATABASE $db"
  AT_EXIT+=("PGPASSWORD=warren psql -q -h 127.0.0.1 -U warren -d postgres -c 'DROP DATABASE IF EXISTS $db' 2>/dev/null")
  DB_ENV=(WARREN_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" WARREN_DB_USER=warren WARREN_DB_PASSWORD=warren)
}

# pg_autovacuum: the local server's autovacuum setting (on or off); autovacuum_on: it is on
pg_autovacuum() { PGPASSWORD=warren psql -Atq -h 127.0.0.1 -U warren -d postgres -c 'SHOW autovacuum'; }
autovacuum_on() { [ "$(pg_autovacuum)" = on ]; }

# as_postgres COMMAND...: COMMAND as the local PostgreSQL's superuser (the system user postgres)
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi; }

# gone PID: the process has ended (a zombie not yet reaped counts: it is dead, only its status remains)
gone() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) } # the state follows the command name, which may itself hold spaces or ')'
  [ "${stat:0:1}" = Z ]
}

# within SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds; fails if it never did
within() {
  local tries=$(( $1 * 5 )); shift
  for _ in $(seq 1 "$tries"); do "$@" && return 0; sleep 0.2; done
  "$@"
}

# amqp_answers: the broker takes TCP connections on 5672 (a stopped RabbitMQ app closes its listener)
amqp_answers() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

# api PORT METHOD PATH: one admin call
api() { curl -fsS -X "$2" -H "Authorization: Bearer $KEY" "http://127.0.0.1:$1$3"; echo; }

# rmqctl ARGS: rabbitmqctl, through sudo when not root (as bin/ensure-rabbitmq starts the broker)
rmqctl() { if [ "$(id -u)" -eq 0 ]; then rabbitmqctl "$@"; else sudo -n rabbitmqctl "$@"; fi; }

# ready PORT QUEUE: messages Ready in a queue, from warren's queue API (a passive declare: exact, now)
ready() { api "$1" GET "/api/v1/queues/$2" | sed -nE 's/.*"ready":([0-9]+).*/\1/p'; }

# load ARGS...: the load program (bench/Throughput.java). It exits 1 when a request failed or was
# refused (unless given --allow-errors) or when, waiting, not every accepted job was processed.
load() { java "$ROOT/bench/Throughput.java" --key "$KEY" "$@"; }

# field NAME LINE: the value of NAME=... in one result line (the load program's, the verdict's);
# empty when it is missing, which every check below treats as wrong
field() { sed -nE "s/^(.* )?$1=([^ ]*).*/\2/p" <<< "$2"; }

# expect NAME ACTUAL WANTED: one count checked; prints why and fails when it is off
expect() { [ "$2" = "$3" ] || { echo "FAIL: $1 is ${2:-missing}, expected $3"; return 1; }; }

# check_load LINE JOBS: the load program's line says all JOBS were accepted, no request failed, and
# (when it waited for them) all were processed; prints what is off
check_load() {
  local ok=0 processed
  processed=$(field processed "$1")
  expect accepted "$(field accepted "$1")" "$2" || ok=1
  expect errors "$(field errors "$1")" 0 || ok=1
  [ "$processed" = n/a ] || expect processed "$processed" "$2" || ok=1
  return $ok
}

# ledger_lines: every run of a ledger job, on any instance (one job id per line)
ledger_lines() { cat "$WORK"/*/data/ledger.txt 2>/dev/null || true; }

# peak_rss PID: the process's peak resident set (VmHWM), in MB
peak_rss() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

# tick_seconds TICKS: clock ticks (as ticks counts them) in seconds, one decimal
tick_seconds() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'; }
# cpu_seconds PID...: the CPU seconds (user and system) these processes or threads have used so far
cpu_seconds() { tick_seconds "$(ticks "$@")"; }

# jit_cpu_seconds PID: the CPU seconds of the JVM's JIT compiler threads (from /proc). jstat's
# compile time is the compiles' summed wall time, which counts each compile's waits for a core:
# on this 2-core machine two to three times the CPU (docs/benchmarks.md, thirty-eighth round).
# A compiler thread the JVM ended is not counted (on 2 cores it keeps its one C1 and one C2 thread).
jit_cpu_seconds() {
  local task comm threads=()
  for task in /proc/"$1"/task/*; do
    comm=$(cat "$task/comm" 2>/dev/null) || continue
    case $comm in "C1 CompilerThre"* | "C2 CompilerThre"*) threads+=("$1/task/${task##*/}") ;; esac
  done
  cpu_seconds "${threads[@]}"
}

# heap_sampler PID FILE: in the background, keeps the largest heap in use (MB, jstat every
# HEAP_SAMPLE_SECONDS, 10 by default) in FILE. Not more often: jstat starts a JVM of its own, about
# 0.35 s of CPU a call here, so every 2 s (as until 2026-12-07) took some 9 % of the two cores from
# the run it measured.
heap_sampler() {
  ( while kill -0 "$1" 2>/dev/null; do
      jstat -gc "$1" 2>/dev/null | awk 'NR == 2 { printf "%d\n", ($3 + $4 + $6 + $8) / 1024 }'
      sleep "${HEAP_SAMPLE_SECONDS:-10}"
    done | awk '$1 > max { max = $1; print max; fflush() }' > "$2" ) &
  PIDS+=("$!")
}

# verdict ACCEPTED_IDS_FILE: accepted, processed (distinct ids run), lost (accepted, never run), duplicated (runs beyond the first)
verdict() {
  local accepted=$1
  ledger_lines | grep -Fxf "$accepted" | sort > "$WORK/ran.txt" || true
  sort -u "$WORK/ran.txt" > "$WORK/ran-unique.txt"
  sort -u "$accepted" > "$WORK/accepted-unique.txt"
  local n_acc n_proc n_lost n_dup
  n_acc=$(wc -l < "$WORK/accepted-unique.txt")
  n_proc=$(comm -12 "$WORK/accepted-unique.txt" "$WORK/ran-unique.txt" | wc -l)
  n_lost=$(comm -23 "$WORK/accepted-unique.txt" "$WORK/ran-unique.txt" | wc -l)
  n_dup=$(( $(wc -l < "$WORK/ran.txt") - $(wc -l < "$WORK/ran-unique.txt") ))
  echo "accepted=$n_acc processed=$n_proc lost=$n_lost duplicated=$n_dup"
}

# await_processed ACCEPTED_IDS_FILE SECONDS: until every accepted job ran once; fails when the time is up
await_processed() {
  local want; want=$(sort -u "$1" | wc -l)
  for _ in $(seq 1 "$2"); do
    # counting lines is cheap; the exact check (which ids) only once there are enough of them
    if [ "$(ledger_lines | wc -l)" -ge "$want" ] && [ "$(ledger_lines | grep -Fxf "$1" | sort -u | wc -l)" -ge "$want" ]; then
      return 0
    fi
    sleep 1
  done
  echo "not every accepted job ran within $2 s"
  return 1
}

# ---- the broker alone: RabbitMQ PerfTest -------------------------------------------------------

# perftest_classpath: sets CP to RabbitMQ PerfTest's classpath (from Maven Central, bench/perftest/pom.xml)
perftest_classpath() { CP=$(./mvnw -q -f bench/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile=/dev/stdout); }

# received_rate FILE: a consumer PerfTest's mean per-second receive rate while messages flowed
# (seconds with none left out, and the first and last such second, which are partial)
received_rate() {
  grep -oE 'received: [0-9]+ msg/s' "$1" | grep -oE '[0-9]+' | awk '$1 > 0' | sed '1d;$d' \
    | awk '{ s += $1; n++ } END { if (n) printf "%d", s / n; else print 0 }'
}

# drop_queues PREFIX: deletes the PerfTest queues PREFIX.work and PREFIX.audit, so that a later run
# under the same names starts from new, empty ones
drop_queues() { local q; for q in work audit; do rmqctl -q delete_queue "$1.$q" >/dev/null 2>&1 || true; done; }

# durable_queues QUEUE...: fails, naming it on stderr, unless each queue is there and durable. The
# yardstick's queues must be: a persistent message in a transient queue is never written to disk.
durable_queues() {
  local listing q
  if ! listing=$(rmqctl -q list_queues name durable 2>&1); then
    echo "rabbitmqctl list_queues failed, so the queues' durability is unknown: $listing" >&2
    return 1
  fi
  for q in "$@"; do
    awk -v q="$q" '$1 == q && $2 == "true" { found = 1 } END { exit !found }' <<< "$listing" \
      || { echo "queue $q is not durable, or not there" >&2; return 1; }
  done
}

# topology_limit [IN_FLIGHT] [MULTI_ACK] [PREFETCH] [PRODUCERS RATE]: the broker's limit for warren's topology
# (bench/throughput.sh's yardstick): one producer (persistent, confirms, at most IN_FLIGHT
# unconfirmed, default 100; 100-byte bodies) into a direct exchange routing each message to two
# durable queues, one consumer on each (qos PREFETCH, default 500; one ack per MULTI_ACK messages,
# default 100). Prints both queues' receive rates, jobs_per_s (the smaller) and the broker's CPU while
# the producer ran (cpu_rabbitmq, % of one core; cpu_rabbitmq_ms_per_job at that rate). PRODUCERS
# RATE: that many producers (IN_FLIGHT each), each paced to RATE messages/s: not a limit then, but
# what the broker's CPU per job is at a rate like warren's. QUEUE_ARGS (PerfTest's --queue-args, e.g.
# x-queue-version=2): the queues' arguments. Needs perftest_classpath.
topology_limit() {
  local in_flight=${1:-100} multi_ack=${2:-100} prefetch=${3:-500} producers=${4:-1} rate=${5:-}
  local seconds=${PERFTEST_SECONDS:-20} exchange="$RUN.limit" q pids=()
  # -f persistent on the consumers too: PerfTest declares a queue durable only when its own flags
  # say persistent. Without it the queues were transient, and the broker wrote none of the
  # producer's persistent messages to disk (the limit measured before 2026-12-05 afternoon).
  for q in work audit; do
    java -cp "$CP" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 -x 0 -y 1 -f persistent -e "$exchange" -t direct \
      -k job -u "$RUN.limit.$q" -ad false -q "$prefetch" -A "$multi_ack" -z $((seconds + 12)) ${QUEUE_ARGS:+--queue-args "$QUEUE_ARGS"} \
      > "$WORK/limit-$q.txt" 2>&1 &
    pids+=($!)
  done
  sleep 4 # both queues declared and bound before the first message
  # (the consumers' 12 s beyond the producer's cover this check's rabbitmqctl too)
  if ! durable_queues "$RUN.limit.work" "$RUN.limit.audit"; then
    kill "${pids[@]}" 2>/dev/null || true
    drop_queues "$RUN.limit"
    echo "work_queue_per_s=0 audit_queue_per_s=0 jobs_per_s=0 error=queues_not_durable"
    return 0
  fi
  local broker b0 b1 started
  broker=$(broker_pids)
  b0=$(ticks $broker); started=$(date +%s.%N)
  java -cp "$CP" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 -x "$producers" -y 0 -e "$exchange" -t direct \
    -k job -p -u "$RUN.limit.work" -f persistent -c "$in_flight" -s "${BENCH_PAYLOAD:-100}" ${rate:+-r "$rate"} -z "$seconds" \
    > "$WORK/limit-producer.txt" 2>&1 || true
  b1=$(ticks $broker)
  local elapsed; elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
  wait "${pids[@]}" || true
  local work audit jobs
  work=$(received_rate "$WORK/limit-work.txt"); audit=$(received_rate "$WORK/limit-audit.txt")
  jobs=$(( work < audit ? work : audit ))
  # the broker's CPU while the producer ran (% of one core), and per job at the measured rate: to
  # compare with what it costs per job under warren (wrk_load's cpu_rabbitmq)
  # PerfTest's last line: "... confirm latency min/median/75th/95th/99th 87/347/588/7630/40627 µs"
  local confirm_p50
  confirm_p50=$(grep 'confirm latency' "$WORK/limit-producer.txt" | tail -1 | awk '{ split($(NF-1), v, "/"); printf "%.1f", v[2] / 1000 }')
  echo "work_queue_per_s=$work audit_queue_per_s=$audit jobs_per_s=$jobs confirm_p50_ms=${confirm_p50:-n/a}" \
    "cpu_rabbitmq=$(cpu_pct $((b1 - b0)) "$elapsed")%" \
    "cpu_rabbitmq_ms_per_job=$(cpu_ms_per $((b1 - b0)) "$(awk -v j="$jobs" -v s="$elapsed" 'BEGIN { print j * s }')")"
  # its queues go now, so that another call in the same run starts from empty ones
  drop_queues "$RUN.limit"
}
