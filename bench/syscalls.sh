#!/usr/bin/env bash
# What the broker reads and warren writes per job, and from where: one warren (H2), warmed up, then wrk on the
# single-job and the batch endpoint (as bench/throughput.sh), with the broker's own counters of each
# of warren's connections read before and after (rabbitmqctl list_connections: recv_cnt, the
# packets its socket received, recv_oct, its bytes, and send_cnt, the packets sent to it); then
# strace for 5 s of another single-job load on the broker (its read calls) and then on warren (its
# write calls), counted by thread, call and what the descriptor is: broker_reads_per_job and
# writes_per_job in bench/throughput.sh count those /proc/PID/io sees.
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
# traced NAME PID r|w CALLS: strace on every thread of PID for 5 s in the middle of another
# single-job load, each of CALLS (comma-separated) counted by thread (the name Linux keeps, numbers
# as N, cut to 14 characters so that "10_x" and "1_x" cut short alike), call and the kind of file
# its descriptor is, beside what /proc/PID/io counted meanwhile (syscr and syscw: calls through the file layer, read, readv,
# pread and their writes; not recvfrom or sendto, which a socket may be read and written with)
traced() {
  local name=$1 pid=$2 kind=$3 calls=$4 load s0 s1 io0 io1 task
  WRK_SECONDS=20 wrk_load strace 16 0 main > "$WORK/strace-load-$name.txt" &
  load=$!
  sleep 7
  s0=$(processed main)
  io0=$(syscalls "$kind" "$pid")
  timeout 5 strace -f -qq -e trace="$calls" -p "$pid" -o "$WORK/strace-$name.txt" 2>/dev/null || true
  io1=$(syscalls "$kind" "$pid")
  s1=$(processed main)
  for task in /proc/"$pid"/task/*; do echo "${task##*/} $(tr ' ' '_' < "$task/comm")"; done > "$WORK/threads-$name.txt" 2>/dev/null
  wait "$load" || true
  echo "$name: calls in 5 s under strace, $((io1 - io0)) counted by /proc/$pid/io, $((s1 - s0)) jobs processed meanwhile; by thread, call and descriptor:"
  gawk -v calls="$calls" 'NR == FNR { name[$1] = $2; next }
    { if (match($0, "^([0-9]+) +(" gensub(/,/, "|", "g", calls) ")\\(([0-9]+)", m))
        n[(m[1] in name ? name[m[1]] : "ended") " " m[2] " " m[3]]++ }
    END { for (k in n) print k, n[k] }' "$WORK/threads-$name.txt" "$WORK/strace-$name.txt" \
    | while read -r thread call fd count; do
        what=$(readlink "/proc/$pid/fd/$fd" 2>/dev/null || echo closed)
        case $what in /*) what="file ${what##*/}";; *) what=${what%%:*};; esac
        echo "$count $thread $call $what"
      done \
    | gawk '{ c = $1; $1 = ""; gsub(/[0-9]+/, "N", $2); $2 = substr($2, 1, 14); n[$0] += c } END { for (k in n) print " ", n[k] k }' | sort -k1,1rn
}
read -r broker _ <<< "$(broker_pids)"
traced broker "$broker" r read,readv,pread64,preadv,recvfrom,recvmsg,recvmmsg
traced warren "$(pid_of main)" w write,writev,pwrite64,pwritev,sendto,sendmsg,sendmmsg,fsync,fdatasync
