#!/usr/bin/env bash
# Starts or stops the database servers the SQL tests run against: PostgreSQL and MariaDB, each in its own
# temporary data directory, listening on a free port of 127.0.0.1 only.
#
#   eval "$(tests/servers.sh start)"   # prints export lines: TOOLBAR_TEST_POSTGRES, TOOLBAR_TEST_MYSQL, TOOLBAR_TEST_SERVERS_DIR
#   ... run the tests ...
#   tests/servers.sh stop "$TOOLBAR_TEST_SERVERS_DIR"
#
# Run as root (the servers then run as the users "postgres" and "mysql") or as an ordinary user (they run as
# that user). A server that cannot start is reported on stderr; its variable is left unset, so the tests
# that need it fail.
set -uo pipefail

free_port() {
  python3 - 2>/dev/null <<'EOF' || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
EOF
}

# Runs a command as the given user when we are root, as ourselves otherwise.
as_user() {
  local user=$1; shift
  if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

wait_for() { # wait_for <seconds> <command...>
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

start_postgres() {
  local dir=$1 bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] && command -v pg_ctl >/dev/null; then bin=$(dirname "$(command -v pg_ctl)"); fi
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then echo "servers.sh: PostgreSQL is not installed" >&2; return 1; fi
  local port; port=$(free_port)
  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pg"
  if ! as_user postgres "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/pg/initdb.log" 2>&1; then
    echo "servers.sh: initdb failed (see $dir/pg/initdb.log)" >&2; return 1
  fi
  # Loopback only, the socket in our own directory, no fsync (a throw-away database).
  if ! as_user postgres "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 20 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null; then
    echo "servers.sh: PostgreSQL did not start (see $dir/pg/server.log)" >&2; return 1
  fi
  echo "$bin" >"$dir/pg/bin"
  echo "export TOOLBAR_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
}

start_mariadb() {
  local dir=$1 user=mysql
  if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then echo "servers.sh: MariaDB is not installed" >&2; return 1; fi
  local daemon; daemon=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  [ "$(id -u)" = 0 ] || user=$(id -un)
  local port; port=$(free_port)
  mkdir -p "$dir/my"
  [ "$(id -u)" = 0 ] && chown "$user" "$dir/my"
  if ! mariadb-install-db --no-defaults --user="$user" --datadir="$dir/my/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/my/install.log" 2>&1; then
    echo "servers.sh: mariadb-install-db failed (see $dir/my/install.log)" >&2; return 1
  fi
  [ "$(id -u)" = 0 ] && chown -R "$user" "$dir/my"
  "$daemon" --no-defaults --user="$user" --datadir="$dir/my/data" --socket="$dir/my/mysqld.sock" --pid-file="$dir/my/mysqld.pid" \
    --port="$port" --bind-address=127.0.0.1 --skip-networking=0 --skip-name-resolve --innodb-flush-log-at-trx-commit=0 \
    --innodb-buffer-pool-size=64M --max-connections=200 --log-error="$dir/my/server.log" >/dev/null 2>&1 &
  if ! wait_for 20 mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u root -e "SELECT 1"; then
    echo "servers.sh: MariaDB did not start (see $dir/my/server.log)" >&2; return 1
  fi
  # Root over TCP with a password (no socket authentication), allowed to create the tests' databases.
  mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u root \
    -e "CREATE USER IF NOT EXISTS 'toolbar'@'127.0.0.1' IDENTIFIED BY 'toolbar'; GRANT ALL ON *.* TO 'toolbar'@'127.0.0.1' WITH GRANT OPTION;" >/dev/null
  echo "export TOOLBAR_TEST_MYSQL='Server=127.0.0.1;Port=$port;User ID=toolbar;Password=toolbar;Database=mysql'"
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/toolbar-db.XXXXXX)
    chmod 755 "$dir"
    echo "export TOOLBAR_TEST_SERVERS_DIR='$dir'"
    start_postgres "$dir" || true
    start_mariadb "$dir" || true
    ;;
  stop)
    dir=${2:-${TOOLBAR_TEST_SERVERS_DIR:-}}
    [ -n "$dir" ] && [ -d "$dir" ] || exit 0
    if [ -f "$dir/pg/bin" ]; then
      as_user postgres "$(cat "$dir/pg/bin")/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -f "$dir/my/mysqld.pid" ]; then
      pid=$(cat "$dir/my/mysqld.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop <dir>" >&2
    exit 2
    ;;
esac
