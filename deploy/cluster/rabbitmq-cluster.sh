#!/usr/bin/env bash
# A 3-node RabbitMQ cluster on this one machine, beside its own broker (../shared/CLUSTER.md):
# nodes wr1, wr2, wr3 @localhost on AMQP ports 5681-5683, management 15681-15683, distribution
# 25681-25683, one Erlang cookie (the machine's), each with its own config, folders and plugins file.
#   deploy/cluster/rabbitmq-cluster.sh start     start the nodes that are down and cluster them
#   deploy/cluster/rabbitmq-cluster.sh stop      stop every node cleanly
#   deploy/cluster/rabbitmq-cluster.sh status    the cluster as wr1 sees it, and each node's port
#   deploy/cluster/rabbitmq-cluster.sh kill N    kill -9 node N (a crash, for drills)
#   deploy/cluster/rabbitmq-cluster.sh start-node N   start one node again (it rejoins)
#   deploy/cluster/rabbitmq-cluster.sh url       warren.rabbitmq.url for the three nodes
# On real machines a cluster is one node per host with the same settings; nothing here is needed.
set -euo pipefail
BASE=${WARREN_CLUSTER_DIR:-/var/tmp/warren-cluster}
NODES=(1 2 3)
export PATH="$PATH:/usr/sbin:/usr/lib/rabbitmq/bin"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

node() { echo "wr$1@localhost"; }
port() { echo $((5680 + $1)); }
ctl() { $SUDO rabbitmqctl -n "$(node "$1")" "${@:2}"; }

node_env() { # N: the variables rabbitmq-server and rabbitmqctl need for node N
  local dir="$BASE/wr$1"
  echo RABBITMQ_NODENAME="$(node "$1")" RABBITMQ_DIST_PORT=$((25680 + $1)) \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/pid" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
}

prepare() { # N: the node's own config (the machine's pins port 5672), folders and plugins file
  local dir="$BASE/wr$1"
  $SUDO mkdir -p "$dir/mnesia" "$dir/log"
  printf 'listeners.tcp.local = 127.0.0.1:%s\nmanagement.tcp.port = %s\nmanagement.tcp.ip = 127.0.0.1\nloopback_users = none\n' \
    "$(port "$1")" $((15680 + $1)) | $SUDO tee "$dir/rabbitmq.conf" >/dev/null
  echo '[rabbitmq_management].' | $SUDO tee "$dir/enabled_plugins" >/dev/null
  $SUDO chown -R rabbitmq:rabbitmq "$dir"
}

running() { ctl "$1" status >/dev/null 2>&1; }

start_node() {
  running "$1" && return 0
  prepare "$1"
  echo "starting $(node "$1") on 127.0.0.1:$(port "$1")"
  $SUDO env $(node_env "$1") rabbitmq-server -detached >/dev/null 2>&1
  for _ in $(seq 1 90); do running "$1" && return 0; sleep 1; done
  echo "$(node "$1") did not start; see $BASE/wr$1/log" >&2; return 1
}

join() { # N: node N joins wr1's cluster unless it is in it already
  [ "$1" = 1 ] && return 0
  if ctl 1 cluster_status --formatter json 2>/dev/null | grep -q "\"$(node "$1")\""; then
    ctl "$1" start_app >/dev/null 2>&1 || true; return 0
  fi
  ctl "$1" stop_app >/dev/null
  ctl "$1" join_cluster "$(node 1)" >/dev/null
  ctl "$1" start_app >/dev/null
}

case "${1:-}" in
  start)
    for n in "${NODES[@]}"; do start_node "$n"; done
    for n in "${NODES[@]}"; do join "$n"; done
    ctl 1 await_online_nodes 3 >/dev/null
    echo "cluster up: $(ctl 1 cluster_status --formatter json | grep -o '"running_nodes":\[[^]]*\]')"
    ;;
  start-node) start_node "$2"; ctl "$2" start_app >/dev/null 2>&1 || true ;;
  stop)
    for n in 3 2 1; do running "$n" && { echo "stopping $(node "$n")"; ctl "$n" stop >/dev/null; }; done; true ;;
  kill)
    pid=$($SUDO cat "$BASE/wr$2/pid")
    echo "kill -9 $(node "$2") (beam pid $pid)"; $SUDO kill -9 "$pid" ;;
  status)
    ctl 1 cluster_status
    for n in "${NODES[@]}"; do
      if running "$n"; then echo "$(node "$n"): up, amqp 127.0.0.1:$(port "$n")"; else echo "$(node "$n"): down"; fi
    done ;;
  url) echo "amqp://guest:guest@127.0.0.1:5681/,amqp://127.0.0.1:5682,amqp://127.0.0.1:5683" ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
