#!/usr/bin/env bash
# H2 alone, no warren (bench/H2Indexes.java): the store writer's CPU per job with the jobs table's
# indexes before V12 and after, alternated ROUNDS times (the machine's speed drifts). Each run
# inserts and completes JOBS jobs twice on a fresh file database; the second pass is the warm one.
# H2_SCHEMAS ("v11 v12"; v12uuid: V12's with the ids as UUID columns; v12split: V12's with the
# payload in a table of its own), H2_PER_COMMIT (50: jobs per commit) and H2_PAYLOAD (100: the
# payload's length), each a list that runs every value, pick the runs:
# H2_SCHEMAS=v12 H2_PER_COMMIT="1 2 3 5 10 20 50" shows what a commit costs, shared by the jobs it carries;
# H2_SCHEMAS="v12 v12split" H2_PAYLOAD="100 1000 4000" what a payload's length costs.
#   bench/h2-indexes.sh [rounds] [jobs]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
exec > >(tee -a "bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-h2-indexes.txt") 2>&1
echo "# bench/h2-indexes.sh $*: $(date -u '+%F %T') UTC, commit $(git rev-parse --short HEAD)"
ROUNDS=${1:-3}
JOBS=${2:-100000}
H2=$(find ~/.m2/repository/com/h2database/h2 -name 'h2-*.jar' | sort | tail -1)
[ -n "$H2" ] || { echo "no H2 jar in ~/.m2: build warren once first (./mvnw -B package -DskipTests)"; exit 2; }
for round in $(seq 1 "$ROUNDS"); do
  for schema in ${H2_SCHEMAS:-v11 v12}; do
    for per_commit in ${H2_PER_COMMIT:-50}; do
      for payload in ${H2_PAYLOAD:-100}; do
        java -cp "$H2" bench/H2Indexes.java "$schema" "$JOBS" "$per_commit" "$payload" | sed "s/^/round=$round /"
      done
    done
  done
done
