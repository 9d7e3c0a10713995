#!/usr/bin/env bash
# What the broker reads and warren writes per job, and from where: one warren (H2), warmed up, then wrk on the
# single-job and the batch endpoint (as bench/throughput.sh), with the broker's own counters of each
# of warren's connections read before and after (rabbitmqctl list_connections: recv_cnt, the
# packets its socket received, recv_oct, its bytes, and send_cnt, the packets sent to it); then
# strace on the broker for 5 s of another single-job load, its read calls counted by name and by
# what the descriptor is (broker_reads_per_job in bench/throughput.sh counts those /proc/PID/io sees);
# then the same for warren's write calls, by thread (writes_per_job there).
#   bench/syscalls.sh
# Judges counts, never speed: exits 1 on a refused request or an unprocessed job.
source "$(dirname "$0")/lib.sh"
ensure_wrk
ensure_command gawk
ensure_command strace
start_warren main 18095
jit_warm_up main || { echo "syscalls: FAIL in the warm-up"; exit 1; }
# connections: "name recv_cnt recv_oct send_cnt" for this warren's connections (by client port)
connections() {
  rmqctl -q list_connections client_properties peer_port recv_cnt recv_oct send_cnt 2>/dev/null \
    | sed -nE 's/.*\{"connection_name","([^"]*)"\}.*\t([0-9]+)\t([0-9]+)\t([0-9]+)\t([0-9]+)$/\1:\2 \3 \4 \5/p' | sort
}
for mode in single batch; do
  conns=16; batch=0; [ "$mode" = batch ] && { conns=4; batch=100; }
  connections > "$WORK/c0"
  before=$(processed main)
  line=$(wrk_load "$mode" "$conns" "$batch" main) || { echo "FAIL: $line"; exit 1; }
  jobs=$(( $(processed main) - before ))
  connections > "$WORK/c1"
  echo "$line"
  echo "per connection, per processed job ($jobs): broker reads (recv_cnt), bytes in, broker sends"
  join "$WORK/c0" "$WORK/c1" | awk -v j="$jobs" '{ printf "  %-50s reads %.3f  bytes %.0f  sends %.3f\n", $1, ($5-$2)/j, ($6-$3)/j, ($7-$4)/j }'
done
# what the broker's read calls are: strace on every broker thread for 5 s in the middle of another
# single-job load, each call counted by its name and the kind of file its descriptor is, beside what
# /proc/PID/io counted meanwhile (its syscr: calls through the file layer, read, readv and pread;
# not recvfrom, the broker's socket reads)
beam=$(pgrep -f 'beam.smp.*rabbit' | head -1)
WRK_SECONDS=20 wrk_load strace 16 0 main > "$WORK/strace-load.txt" &
load=$!
sleep 7
s0=$(processed main)
io0=$(syscalls r "$beam")
timeout 5 strace -f -qq -e trace=read,readv,pread64,preadv,recvfrom,recvmsg,recvmmsg -p "$beam" -o "$WORK/strace.txt" 2>/dev/null || true
io1=$(syscalls r "$beam")
s1=$(processed main)
wait "$load" || true
echo "broker read calls in 5 s under strace: $((io1 - io0)) by /proc/$beam/io, $((s1 - s0)) jobs processed meanwhile; by call and descriptor:"
gawk '{ if (match($0, /(read|readv|pread64|preadv|recvfrom|recvmsg|recvmmsg)\(([0-9]+)/, m)) n[m[1] " " m[2]]++ } END { for (k in n) print k, n[k] }' "$WORK/strace.txt" \
  | while read -r call fd count; do
      what=$(readlink "/proc/$beam/fd/$fd" 2>/dev/null || echo "closed")
      case $what in /*) what="file ${what%/*}/";; *) what=${what%%:*};; esac
      echo "$count $call $what"
    done \
  | gawk '{ k = $2 " " $3 " " $4; c[k] += $1 } END { for (k in c) print "  " c[k], k }' | sort -rn
# warren's write calls: the same, on warren's threads, by thread (a thread's name as Linux keeps it,
# 15 characters, numbers as N), call and descriptor
pid=$(pid_of main)
WRK_SECONDS=20 wrk_load strace 16 0 main > "$WORK/strace-load.txt" &
load=$!
sleep 7
s0=$(processed main)
io0=$(syscalls w "$pid")
timeout 5 strace -f -qq -e trace=write,writev,pwrite64,pwritev,sendto,sendmsg,sendmmsg,fsync,fdatasync -p "$pid" -o "$WORK/strace-warren.txt" 2>/dev/null || true
io1=$(syscalls w "$pid")
s1=$(processed main)
for task in /proc/"$pid"/task/*; do echo "${task##*/} $(tr ' ' '_' < "$task/comm")"; done > "$WORK/threads.txt"
wait "$load" || true
echo "warren write calls in 5 s under strace: $((io1 - io0)) by /proc/$pid/io, $((s1 - s0)) jobs processed meanwhile; by thread, call and descriptor:"
gawk 'NR == FNR { name[$1] = $2; next }
  { if (match($0, /^([0-9]+) +(write|writev|pwrite64|pwritev|sendto|sendmsg|sendmmsg|fsync|fdatasync)\(([0-9]+)/, m)) n[name[m[1]] " " m[2] " " m[3]]++ }
  END { for (k in n) print k, n[k] }' "$WORK/threads.txt" "$WORK/strace-warren.txt" \
  | while read -r thread call fd count; do
      what=$(readlink "/proc/$pid/fd/$fd" 2>/dev/null || echo "closed")
      case $what in /*) what="file ${what##*/}";; *) what=${what%%:*};; esac
      echo "$count ${thread:-ended} $call $what"
    done \
  | gawk '{ t = $2; gsub(/[0-9]+/, "N", t); k = t " " $3 " " $4 " " $5; c[k] += $1 } END { for (k in c) print "  " c[k], k }' | sort -rn
