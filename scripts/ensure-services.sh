#!/usr/bin/env bash
# Makes sure Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432, trust auth, database
# "test") answer before the tests run: starts them if stopped, installs them with apt-get
# if missing (Debian, as root). Safe to run when both are already up.
set -uo pipefail

REDIS_PORT=6379
PG_PORT=5432

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}

apt_install() {
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
    echo "ensure-services: cannot install $* (need root and apt-get)" >&2
    return 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_redis() {
  port_open "$REDIS_PORT" && { echo "redis: up"; return 0; }
  command -v redis-server >/dev/null || apt_install redis-server || return 1
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp --logfile /tmp/jt-redis.log
  wait_port "$REDIS_PORT" && echo "redis: started"
}

pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

ensure_postgres() {
  if ! port_open "$PG_PORT"; then
    [ -n "$(pg_version)" ] || apt_install postgresql || return 1
    local version
    version=$(pg_version)
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    # trust on loopback, as the tests (and the examples) connect without a password
    if [ -f "$hba" ] && ! grep -q "jt-trust" "$hba"; then
      sed -i '1i host all all 127.0.0.1/32 trust # jt-trust\nhost all all ::1/128 trust # jt-trust\nlocal all all trust # jt-trust' "$hba"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_port "$PG_PORT" || return 1
    echo "postgres: started"
  else
    echo "postgres: up"
  fi
  local psql_bin
  psql_bin=$(command -v psql || true)
  if [ -n "$psql_bin" ]; then
    if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
      psql -h 127.0.0.1 -U postgres -d postgres -c 'create database test' >/dev/null 2>&1 \
        || su postgres -c "createdb test" 2>/dev/null || true
    fi
  fi
}

ensure_redis || echo "ensure-services: redis is not available" >&2
ensure_postgres || echo "ensure-services: postgres is not available" >&2
exit 0
