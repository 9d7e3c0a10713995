#!/usr/bin/env bash
# A burst on a PostgreSQL job table that ANALYZE last saw nearly empty: a new database, or one a
# purge emptied. PostgreSQL caches a plan per statement and plans again only when the statistics
# change: a plan made at 20 rows reads a job by id by scanning the whole table. A cold warren on a
# fresh database takes 20 jobs, the table is analyzed, then wrk drives the single-job endpoint (16
# connections) in BURST_WINDOWS (6) windows of 15 s. Autovacuum is off for the job table meanwhile:
# its next visit may come a naptime (a minute by default) after the last one, or later when its
# workers are busy elsewhere, and left on it rescued the table within 3 s in one run and 60 s in
# another; off, the run shows what warren does on its own. Each window: the rate, and the table's
# scans and rows scanned since the start (pg_stat_user_tables), with its last ANALYZE. The JIT is
# cold on purpose (a new deployment): the first windows' rates measure it too.
# Exits 1 when the job table was still scanned after the first window (PostgresStats analyzes a
# table that has more than doubled: within seconds of the burst's start), or a job was refused or lost.
source "$(dirname "$0")/lib.sh"
ensure_wrk
postgres_db warren_small_table
db=${DB_ENV[0]##*/}
sql() { PGPASSWORD=warren psql -Atq -h 127.0.0.1 -U warren -d "$db" -c "$1"; }
start_warren main 18090 "${DB_ENV[@]}"
printf '{"pad":"x"}' > "$WORK/job.json"
for _ in $(seq 1 20); do
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d @"$WORK/job.json" "http://127.0.0.1:18090/api/v1/jobs/bench"
done
within 30 processed_at_least main 20
sql "ANALYZE jobs"
sql "ALTER TABLE jobs SET (autovacuum_enabled = false)"
table() { sql "SELECT 'rows=' || n_live_tup || ' scans=' || seq_scan || ' rows_scanned=' || seq_tup_read || ' analyzed=' || COALESCE(last_analyze::time(0)::text, '-') FROM pg_stat_user_tables WHERE relname = 'jobs'"; }
field_of() { sed -nE "s/.*$1=([0-9]+).*/\1/p" <<< "$2"; }
start=$(table)
echo "analyzed at 20 jobs: $start"
status=0 jobs=0 late_scans=0 before=$start
for w in $(seq 1 "${BURST_WINDOWS:-6}"); do
  line=$(WRK_SECONDS=15 wrk_load single 16 0 main) || { status=1; echo "$line"; }
  n=$(field_of processed "$line")
  jobs=$((jobs + ${n:-0}))
  now=$(table)
  [ "$w" = 1 ] || late_scans=$((late_scans + $(field_of scans "$now") - $(field_of scans "$before")))
  before=$now
  echo "window $w: $(grep -oE '(end_to_end_per_s|p99_ms|cpu_postgres)=[^ ]*' <<< "$line" | tr '\n' ' ')$now"
done
end=$(table)
scans=$(( $(field_of scans "$end") - $(field_of scans "$start") ))
scanned=$(( $(field_of rows_scanned "$end") - $(field_of rows_scanned "$start") ))
echo "burst: jobs=$jobs scans=$scans rows_scanned=$scanned rows_scanned_per_job=$((scanned / (jobs > 0 ? jobs : 1)))"
[ "$status" = 0 ] || echo "FAIL: a request was refused or a job not processed"
[ "$late_scans" = 0 ] || { echo "FAIL: the job table was scanned $late_scans times after the first window"; status=1; }
[ "$status" = 0 ] && echo "small-table: PASS"
exit "$status"
