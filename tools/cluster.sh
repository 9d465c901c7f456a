#!/usr/bin/env bash
# tools/cluster.sh up|down|status|store|kill NODE — the replicated mode on one machine, for development
# and the tests (issue 19): one etcd, three PostgreSQL 15 instances under Patroni (synchronous mode,
# strict: a commit waits for a synchronous standby's flush, and with no standby left writes wait
# rather than go on alone), and three ledgerd nodes on 127.0.0.1:50061..50063, each restarted by a
# supervisor loop when it exits (ledgerd exits 75 when it must catch up again). Everything listens
# on loopback only; state lives under $SALESLEDGER_CLUSTER_DIR (default ./cluster).
#
#   store prints the libpq connection string of the log store (for ledger_bench --log-store).
#   NODE for kill: n1 n2 n3 (kill -9 of that ledgerd; its supervisor starts it again)
#                  pg1 pg2 pg3 (kill -9 of that Patroni and its PostgreSQL: the machine is gone
#                  until `up` starts it again)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
store="postgresql://postgres@127.0.0.1:5441,127.0.0.1:5442,127.0.0.1:5443/postgres?target_session_attrs=read-write&connect_timeout=3"
[ "${1:-}" = store ] && { echo "$store"; exit 0; }
dir="$(mkdir -p "${SALESLEDGER_CLUSTER_DIR:-$root/cluster}" && cd "${SALESLEDGER_CLUSTER_DIR:-$root/cluster}" && pwd)"
bin="$root/build/tools"
pgbin=/usr/lib/postgresql/15/bin

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

patroni_config() {  # $1 = 1..3
  local i=$1
  cat <<EOF
scope: salesledger
namespace: /salesledger/
name: pg$i
restapi:
  listen: 127.0.0.1:$((8007 + i))
  connect_address: 127.0.0.1:$((8007 + i))
etcd3:
  hosts: 127.0.0.1:2379
bootstrap:
  dcs:
    ttl: 6
    loop_wait: 1
    retry_timeout: 2
    maximum_lag_on_failover: 0
    synchronous_mode: true
    synchronous_mode_strict: true
    synchronous_node_count: 1
    postgresql:
      use_pg_rewind: true
      parameters:
        synchronous_commit: "on"
        fsync: "on"
        full_page_writes: "on"
        wal_level: replica
        wal_log_hints: "on"
        hot_standby: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 200
  initdb:
    - encoding: UTF8
    - auth: trust
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication replicator 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$((5440 + i))
  connect_address: 127.0.0.1:$((5440 + i))
  data_dir: $dir/pg$i/data
  bin_dir: $pgbin
  pgpass: $dir/pg$i/pgpass
  authentication:
    superuser: {username: postgres}
    replication: {username: replicator}
    rewind: {username: postgres}
  parameters:
    unix_socket_directories: $dir/pg$i
tags:
  nofailover: false
  noloadbalance: false
EOF
}

start_etcd() {
  alive "$dir/etcd.pid" && return
  mkdir -p "$dir/etcd"
  (setsid etcd --name e1 --data-dir "$dir/etcd" --listen-client-urls http://127.0.0.1:2379 \
     --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
     --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster e1=http://127.0.0.1:2380 \
     --enable-v2=false >"$dir/etcd.log" 2>&1 </dev/null & echo $! >"$dir/etcd.pid")
  for _ in $(seq 100); do etcdctl --endpoints=127.0.0.1:2379 endpoint health >/dev/null 2>&1 && return; sleep 0.1; done
  echo "cluster.sh: etcd did not start; see $dir/etcd.log" >&2; exit 1
}

start_patroni() {  # $1 = 1..3
  local i=$1
  alive "$dir/pg$i.pid" && return
  mkdir -p "$dir/pg$i"
  patroni_config "$i" >"$dir/pg$i/patroni.yml"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$dir/pg$i"
  local run=()
  [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  (setsid "${run[@]}" patroni "$dir/pg$i/patroni.yml" >"$dir/pg$i/patroni.log" 2>&1 </dev/null & echo $! >"$dir/pg$i.pid")
}

primary_ready() {
  as_postgres "$pgbin/psql" -X -q -At -d "$store" -c "select 1" >/dev/null 2>&1
}

start_ledgerd() {  # $1 = 1..3: a supervisor loop that starts the node again whenever it exits uncleanly
  local i=$1
  alive "$dir/n$i.pid" && return
  (setsid bash -c "
     while true; do
       '$bin/ledgerd' --listen 127.0.0.1:$((50060 + i)) --data-dir '$dir/n$i' --node-name n$i \
         --log-store '$store' --log-name \"\$(hostname)/salesledger/cluster\" &
       echo \$! > '$dir/n$i.ledgerd.pid'
       wait \$! && exit 0
       echo \"cluster.sh: n$i exited \$?; starting it again\"
       sleep 1
     done" >>"$dir/n$i.log" 2>&1 </dev/null & echo $! >"$dir/n$i.pid")
}

up() {
  [ -x "$bin/ledgerd" ] || { echo "cluster.sh: build first (tools/build.sh)" >&2; exit 1; }
  "$here/install-deps.sh" postgresql-15 patroni etcd-server etcd-client
  [ "$(id -u)" = 0 ] && chmod 755 "$dir"
  start_etcd
  for i in 1 2 3; do start_patroni "$i"; done
  for _ in $(seq 600); do primary_ready && break; sleep 0.2; done
  primary_ready || { echo "cluster.sh: no PostgreSQL primary; see $dir/pg*/patroni.log" >&2; exit 1; }
  # One log, one key: the first node makes log.key, the others get a copy before their first start.
  start_ledgerd 1
  for _ in $(seq 300); do [ -f "$dir/n1/log.key" ] && [ -f "$dir/n1/admin.token" ] && break; sleep 0.1; done
  for i in 2 3; do
    mkdir -p "$dir/n$i"
    [ -f "$dir/n$i/log.key" ] || install -m 600 "$dir/n1/log.key" "$dir/n$i/log.key"
    start_ledgerd "$i"
  done
  echo "cluster.sh: up — ledgerd on 127.0.0.1:50061..50063, admin token in $dir/n1/admin.token"
}

down() {
  for i in 1 2 3; do
    if alive "$dir/n$i.pid"; then
      kill "$(cat "$dir/n$i.ledgerd.pid")" 2>/dev/null || true
      for _ in $(seq 100); do alive "$dir/n$i.pid" || break; sleep 0.1; done
      kill -- "-$(cat "$dir/n$i.pid")" 2>/dev/null || true
    fi
  done
  for i in 1 2 3; do alive "$dir/pg$i.pid" && kill -- "-$(cat "$dir/pg$i.pid")" 2>/dev/null || true; done
  for _ in $(seq 100); do
    pgrep -f "patroni $dir/" >/dev/null || break; sleep 0.2
  done
  # A PostgreSQL that outlived its Patroni (a smart shutdown waiting for sessions): stop it fast.
  for i in 1 2 3; do
    [ -f "$dir/pg$i/data/postmaster.pid" ] && as_postgres "$pgbin/pg_ctl" -s -w -m fast -D "$dir/pg$i/data" stop >/dev/null 2>&1 || true
  done
  alive "$dir/etcd.pid" && kill "$(cat "$dir/etcd.pid")" 2>/dev/null || true
  echo "cluster.sh: down (state kept in $dir; remove it to start afresh)"
}

status() {
  patronictl -c "$dir/pg1/patroni.yml" list 2>/dev/null || echo "patroni: not running"
  for i in 1 2 3; do
    echo "--- n$i (127.0.0.1:$((50060 + i)))"
    "$bin/ledgerctl" status --server "127.0.0.1:$((50060 + i))" --token-file "$dir/n1/admin.token" 2>&1 || true
  done
}

kill_node() {
  case "${1:-}" in
    n1|n2|n3) kill -9 "$(cat "$dir/$1.ledgerd.pid")" && echo "cluster.sh: killed ledgerd $1 (-9)";;
    pg1|pg2|pg3)
      local i=${1#pg}
      local postmaster
      postmaster=$(head -1 "$dir/pg$i/data/postmaster.pid" 2>/dev/null || true)
      kill -9 -- "-$(cat "$dir/pg$i.pid")" 2>/dev/null || true
      [ -n "$postmaster" ] && kill -9 "$postmaster" 2>/dev/null || true
      pkill -9 -f "$pgbin/postgres -D $dir/pg$i/data" 2>/dev/null || true
      echo "cluster.sh: killed Patroni and PostgreSQL $1 (-9)";;
    *) echo "usage: cluster.sh kill n1|n2|n3|pg1|pg2|pg3" >&2; exit 2;;
  esac
}

case "${1:-}" in
  up) up;;
  down) down;;
  status) status;;
  kill) kill_node "${2:-}";;
  *) echo "usage: tools/cluster.sh up|down|status|store|kill NODE" >&2; exit 2;;
esac
