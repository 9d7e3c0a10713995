#!/usr/bin/env bash
# Throughput of warren against RabbitMQ PerfTest on the same broker, in one run.
#   bench/throughput.sh [jobs] [concurrency]      (defaults: 10000 jobs, 8 concurrent clients)
# Starts its own warren (port 18080, queues named bench.*, a no-op job type 'bench'), sends the jobs
# through the single-job endpoint and then the batch endpoint (100 per request), waits until each
# is processed, then runs PerfTest (1 producer, 1 consumer, persistent, confirms, same message size)
# for 20 s and prints warren's end-to-end rate as a ratio of PerfTest's. Needs a RabbitMQ on
# 127.0.0.1:5672 (bin/ensure-rabbitmq starts one).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-10000}
CONCURRENCY=${2:-8}
SIZE=100
PORT=18080

bin/ensure-java
bin/ensure-rabbitmq
./mvnw -B -q package -DskipTests

work=$(mktemp -d)
mkdir -p "$work/routes"
cp bench/bench.yaml "$work/routes/"
KEY="wk_bench_$(date +%s%N)"
HASH=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)
root=$(pwd)
(cd "$work" && WARREN_BROKER=external WARREN_HTTP_PORT=$PORT WARREN_ROUTES_DIR="$work/routes" WARREN_DATA_DIR="$work/data" \
  WARREN_SECURITY_API_KEYS="bench:admin:$HASH" WARREN_EXCHANGE_JOBS=bench.jobs WARREN_EXCHANGE_DEAD=bench.dlx \
  WARREN_QUEUE_AUDIT=bench.audit WARREN_QUEUE_WORK_PREFIX=bench.work. WARREN_QUEUE_DEAD_PREFIX=bench.dead. \
  WARREN_EXCHANGE_COMMANDS=bench.commands WARREN_QUEUE_COMMANDS_PREFIX=bench.commands. \
  exec java -Xmx512m ${BENCH_JAVA_OPTS:-} -jar "$root/target/warren.jar" > "$work/warren.log" 2>&1) &
WARREN_PID=$!
trap 'kill $WARREN_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/observe/health/ready" >/dev/null 2>&1 && break; sleep 1; done

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; broker, warren and load share them"
single=$(java bench/Throughput.java --url "http://127.0.0.1:$PORT" --key "$KEY" --jobs "$JOBS" --concurrency "$CONCURRENCY" --size $SIZE)
echo "warren $single"
batch=$(java bench/Throughput.java --url "http://127.0.0.1:$PORT" --key "$KEY" --jobs "$JOBS" --concurrency "$CONCURRENCY" --size $SIZE --batch 100)
echo "warren $batch"
kill $WARREN_PID 2>/dev/null || true

CP=$(./mvnw -q -f bench/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
perf=$(java -cp "$CP" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 -x 1 -y 1 -f persistent -c 100 \
  -s $SIZE -z 20 -u bench.perftest -ad false 2>&1 | grep -E "receiving rate avg" | tail -1)
echo "perftest $perf"
perf_rate=$(echo "$perf" | sed -E 's/.*receiving rate avg: ([0-9]+).*/\1/')
for line in "$single" "$batch"; do
  rate=$(echo "$line" | sed -E 's/.*end_to_end_per_s=([0-9]+).*/\1/')
  mode=$(echo "$line" | sed -E 's/mode=([a-z0-9]+).*/\1/')
  awk -v r="$rate" -v p="$perf_rate" -v m="$mode" 'BEGIN { printf "ratio %s: %.2f x PerfTest (%d / %d msg/s)\n", m, r / p, r, p }'
done
