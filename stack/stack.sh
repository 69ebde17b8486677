#!/usr/bin/env bash
# The real service stack for ckanext-ikoma, without Docker:
#   PostgreSQL and Redis from Debian packages, Apache Solr 9.10.1 from Maven Central,
#   the Python venv with the pinned packages. Everything runs from .stack/ in the checkout.
#
#   stack/stack.sh up       install what is missing, start what is not running, wait until ready
#   stack/stack.sh down     stop what `up` started (by recorded pid)
#   stack/stack.sh status   one line per service
#   stack/stack.sh recreate-db NAME   drop and create a database owned by the CKAN role
#   stack/stack.sh recreate-db-of INI the same for the database the ini's sqlalchemy.url names
# CKAN=2.12 in the environment: the venv is .venv-2.12 with CKAN 2.12 (default CKAN=2.11, .venv).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PYTHON="${PYTHON:-python3}"

PG_PORT=5432
REDIS_PORT=6379
SOLR_PORT=8983
# SolrCloud (`stack.sh cloud-up`, `make stack SOLR=cloud`): two nodes and a control port
SOLR_CLOUD_PORTS="8991 8992"
SOLR_CLOUD_CONTROL=8993
SOLR_CORE=ckan
PG_ROLE=ckan_default
PG_PASSWORD=ckan_default
PG_DATABASES="ckan_demo ckan_test"
SOLR_VERSION=9.10.1

say() { printf '\033[1;34m[stack]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[stack] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# PostgreSQL refuses to run as root, so the server runs as the Debian `postgres` user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pid_alive() { [ -f "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

# ---------------------------------------------------------------- installs
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

install_debian_packages() {
  local missing=() pkg
  # libpq-dev: psycopg2 builds against it. Chromium + driver: browser tests.
  # fonts-noto-cjk: Japanese text in browser screenshots.
  for pkg in postgresql redis-server libpq-dev libmagic1 curl maven openjdk-17-jdk-headless \
             chromium chromium-driver fonts-noto-cjk; do
    deb_installed "$pkg" || missing+=("$pkg")
  done
  # Any Java 17+ and any Maven will do; don't pull Debian's when the machine has its own.
  if command -v java >/dev/null 2>&1; then missing=("${missing[@]/openjdk-17-jdk-headless}"); fi
  if command -v mvn >/dev/null 2>&1; then missing=("${missing[@]/maven}"); fi
  read -r -a missing <<<"${missing[*]}"
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq >"$LOGS/apt.log" 2>&1 || die "apt-get update failed; see $LOGS/apt.log"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$LOGS/apt.log" 2>&1 \
      || die "apt-get install failed; see $LOGS/apt.log"
  fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1; }

install_venv() {
  local stamp="$VENV/.ikoma-requirements.sha" req="$ROOT/requirements" log="$LOGS/pip-$CKAN.log"
  local want
  want="$(cat "$req/tools.txt" "$req/ckan-$CKAN.txt" "$req/base.txt" "$req/dev.txt" \
              "$ROOT/setup.cfg" "$ROOT/setup.py" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/ckan" ]; then
    return
  fi
  say "installing the Python venv in $VENV (CKAN $CKAN with its own pins, the rest pinned, project editable)"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$req/tools.txt" >"$log" 2>&1 || die "pip failed; see $log"
  # CKAN's pins first in the same resolve: the extension's requirements never move CKAN's.
  "$VENV/bin/pip" install -q -r "$req/ckan-$CKAN.txt" -r "$req/dev.txt" -e "$ROOT" >>"$log" 2>&1 \
    || die "pip failed; see $log"
  echo "$want" >"$stamp"
}

install_solr() {
  local lib="$ROOT/stack/solr/target/lib"
  if ls "$lib"/solr-core-$SOLR_VERSION.jar >/dev/null 2>&1; then return; fi
  say "fetching Apache Solr $SOLR_VERSION from Maven Central"
  mvn -B -q -f "$ROOT/stack/solr/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$lib" >"$LOGS/maven.log" 2>&1 \
    || die "maven could not fetch Solr; see $LOGS/maven.log"
}

# ---------------------------------------------------------------- services
start_postgres() {
  local data="$STATE/postgres" bin
  bin="$(pg_bin)"
  if pid_alive "$data/postmaster.pid" && as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p $PG_PORT; then return; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "initialising PostgreSQL cluster in $data"
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
    chmod 700 "$data"
    as_pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust >"$LOGS/initdb.log" 2>&1 \
      || die "initdb failed; see $LOGS/initdb.log"
  fi
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$RUN" "$LOGS"
  touch "$LOGS/postgres.log"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$LOGS/postgres.log"
  say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_pg "$bin/pg_ctl" -D "$data" -l "$LOGS/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $RUN -c fsync=off -c full_page_writes=off" start \
      >/dev/null || die "PostgreSQL did not start; see $LOGS/postgres.log"
  head -n1 "$data/postmaster.pid" >"$RUN/postgres.pid"
}

psql_admin() { as_pg "$(pg_bin)/psql" -v ON_ERROR_STOP=1 -q -h "$RUN" -p $PG_PORT -U postgres "$@"; }

ensure_pg_roles() {
  psql_admin -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PG_ROLE'" | grep -q 1 \
    || psql_admin -d postgres -c "CREATE ROLE $PG_ROLE"
  # CREATEDB lets the packaging test make a throw-away database of its own.
  psql_admin -d postgres -c "ALTER ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
  local db
  for db in $PG_DATABASES; do
    psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
      || psql_admin -d postgres -c "CREATE DATABASE $db OWNER $PG_ROLE ENCODING 'UTF8' TEMPLATE template0"
  done
}

# The database an ini's sqlalchemy.url names, following `use = config:` to the ini it inherits from.
ini_database() {
  local ini="$1" url parent
  [ -f "$ini" ] || die "no such ini: $ini"
  url="$(sed -n 's/^sqlalchemy\.url *= *//p' "$ini" | tail -n1)"
  if [ -n "$url" ]; then url="${url%%\?*}"; echo "${url##*/}"; return; fi
  parent="$(sed -n 's/^use *= *config://p' "$ini" | tail -n1)"
  [ -n "$parent" ] || die "$ini names no sqlalchemy.url"
  case "$parent" in /*) ;; *) parent="$(dirname "$ini")/$parent" ;; esac
  ini_database "$parent"
}

recreate_db() {
  local db="$1"
  [[ "$db" =~ ^[A-Za-z0-9_]+$ ]] || die "not a database name: $db"
  psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  psql_admin -d postgres -c "CREATE DATABASE $db OWNER $PG_ROLE ENCODING 'UTF8' TEMPLATE template0"
}

start_redis() {
  if pid_alive "$RUN/redis.pid" && redis-cli -p $REDIS_PORT ping >/dev/null 2>&1; then return; fi
  mkdir -p "$STATE/redis"
  say "starting Redis on 127.0.0.1:$REDIS_PORT"
  # A cache with a ceiling: at 256 MB Redis evicts the least recently used keys that have a TTL
  # (the extension's caches), never the queues without one (harvest, background jobs).
  redis-server --port $REDIS_PORT --bind 127.0.0.1 --dir "$STATE/redis" --daemonize yes \
      --pidfile "$RUN/redis.pid" --logfile "$LOGS/redis.log" --save "" --appendonly no \
      --maxmemory 256mb --maxmemory-policy volatile-lru \
    || die "Redis did not start; see $LOGS/redis.log"
}

solr_ready() { curl -fsS "http://127.0.0.1:$SOLR_PORT/solr/$SOLR_CORE/select?q=*:*&rows=0" >/dev/null 2>&1; }

start_solr() {
  local home="$STATE/solr" want
  want="$(cd "$ROOT/stack/solr/configset/$SOLR_CORE/conf" && find . -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)"
  if [ "$(cat "$home/configset.sha" 2>/dev/null)" != "$want" ]; then
    # another configset: field types may have changed, and Lucene refuses documents whose fields
    # disagree with the segments already written, so the index starts empty (sites reindex)
    stop_pidfile Solr "$RUN/solr.pid"
    rm -rf "$home/$SOLR_CORE/data"
  fi
  if pid_alive "$RUN/solr.pid" && solr_ready; then return; fi
  # The configset in the repo is the source of truth; the index lives beside it in .stack/.
  mkdir -p "$home/$SOLR_CORE/conf" "$LOGS"
  echo "$want" >"$home/configset.sha"
  cp "$ROOT/stack/solr/configset/solr.xml" "$home/solr.xml"
  cp "$ROOT/stack/solr/configset/$SOLR_CORE/core.properties" "$home/$SOLR_CORE/core.properties"
  cp -r "$ROOT/stack/solr/configset/$SOLR_CORE/conf/." "$home/$SOLR_CORE/conf/"
  say "starting Solr $SOLR_VERSION on 127.0.0.1:$SOLR_PORT (core $SOLR_CORE)"
  # SOLR_* and ZK_HOST variables become Solr system properties; keep them out (ZK_HOST means cloud mode).
  nohup env -u ZK_HOST -u SOLR_MODULES -u SOLR_HOME java -Xmx768m \
      -Dlog4j2.configurationFile="$ROOT/stack/solr/log4j2.xml" -Dsolr.log.dir="$LOGS" \
      -cp "$ROOT/stack/solr/target/lib/*" "$ROOT/stack/solr/IkomaSolr.java" "$home" $SOLR_PORT $SOLR_CORE \
      >"$LOGS/solr.log" 2>&1 </dev/null &
  echo $! >"$RUN/solr.pid"
}

wait_for() {
  local name="$1" log="$2" pidfile="$3"; shift 3
  local i
  for i in $(seq 1 180); do
    if "$@" >/dev/null 2>&1; then return; fi
    if [ -n "$pidfile" ] && ! pid_alive "$pidfile"; then
      tail -n 30 "$log" >&2 || true
      die "$name exited before it was ready; see $log"
    fi
    sleep 1
  done
  tail -n 30 "$log" >&2 || true
  die "$name was not ready after 180 s; see $log"
}

# axe-core for the browser tests' accessibility check: the version package-lock.json pins.
install_node_tools() {
  [ -f "$ROOT/node_modules/axe-core/axe.min.js" ] && return
  command -v npm >/dev/null 2>&1 || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >>"$LOGS/apt.log" 2>&1 \
    || die "apt-get install npm failed; see $LOGS/apt.log"
  say "installing axe-core (package-lock.json) for the browser tests"
  (cd "$ROOT" && npm ci --no-audit --no-fund --ignore-scripts >"$LOGS/npm.log" 2>&1) || die "npm ci failed; see $LOGS/npm.log"
}

up() {
  mkdir -p "$RUN" "$LOGS"
  install_debian_packages
  install_solr
  start_postgres
  start_redis
  start_solr
  install_venv
  install_node_tools
  wait_for PostgreSQL "$LOGS/postgres.log" "$RUN/postgres.pid" as_pg "$(pg_bin)/pg_isready" -h 127.0.0.1 -p $PG_PORT
  ensure_pg_roles
  wait_for Redis "$LOGS/redis.log" "$RUN/redis.pid" redis-cli -p $REDIS_PORT ping
  wait_for Solr "$LOGS/solr.log" "$RUN/solr.pid" solr_ready
  say "ready: postgresql://127.0.0.1:$PG_PORT  redis://127.0.0.1:$REDIS_PORT  http://127.0.0.1:$SOLR_PORT/solr/$SOLR_CORE"
}

# ready: the collection answers, and the control port (started right after it) takes a connection
solr_cloud_ready() {
  curl -fsS "http://127.0.0.1:${SOLR_CLOUD_PORTS%% *}/solr/$SOLR_CORE/select?q=*:*&rows=0" >/dev/null 2>&1 \
    && curl -sS -o /dev/null "http://127.0.0.1:$SOLR_CLOUD_CONTROL/" 2>/dev/null
}

# A two-node SolrCloud (embedded ZooKeeper, one collection of two shards with a replica of each
# on both nodes) from the same configset, beside the standalone Solr; see IkomaSolrCloud.java.
cloud_up() {
  mkdir -p "$RUN" "$LOGS"
  install_solr
  if pid_alive "$RUN/solr-cloud.pid" && solr_cloud_ready; then return; fi
  local base="$STATE/solr-cloud"
  rm -rf "$base"  # ZooKeeper's state and the indexes start empty: the configset is uploaded anew
  mkdir -p "$base"
  say "starting SolrCloud $SOLR_VERSION: nodes on 127.0.0.1:${SOLR_CLOUD_PORTS/ /, }, collection $SOLR_CORE (2 shards × 2 replicas)"
  # shellcheck disable=SC2086
  nohup env -u ZK_HOST -u SOLR_MODULES -u SOLR_HOME java -Xmx1g \
      -Dlog4j2.configurationFile="$ROOT/stack/solr/log4j2.xml" -Dsolr.log.dir="$LOGS" \
      -cp "$ROOT/stack/solr/target/lib/*" "$ROOT/stack/solr/IkomaSolrCloud.java" "$base" \
      "$ROOT/stack/solr/configset/$SOLR_CORE/conf" "$SOLR_CORE" $SOLR_CLOUD_PORTS $SOLR_CLOUD_CONTROL \
      >"$LOGS/solr-cloud.log" 2>&1 </dev/null &
  echo $! >"$RUN/solr-cloud.pid"
  wait_for SolrCloud "$LOGS/solr-cloud.log" "$RUN/solr-cloud.pid" solr_cloud_ready
  say "ready: http://127.0.0.1:${SOLR_CLOUD_PORTS%% *}/solr/$SOLR_CORE (control: http://127.0.0.1:$SOLR_CLOUD_CONTROL/stop|start for node 1)"
}

stop_pidfile() {
  local name="$1" pidfile="$2" signal="${3:-TERM}" pid i
  [ -f "$pidfile" ] || return 0
  pid="$(head -n1 "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    say "stopping $name (pid $pid)"
    kill -"$signal" "$pid"
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$pidfile"
}

down() {
  # Demo processes first (they hold connections), then the services; only pids we recorded.
  local f
  for f in "$RUN"/demo-*.pid; do [ -e "$f" ] && stop_pidfile "$(basename "$f" .pid)" "$f"; done
  stop_pidfile Solr "$RUN/solr.pid"
  stop_pidfile SolrCloud "$RUN/solr-cloud.pid"
  stop_pidfile Redis "$RUN/redis.pid"
  stop_pidfile PostgreSQL "$RUN/postgres.pid" INT   # SIGINT = PostgreSQL's fast shutdown
  return 0
}

status() {
  local name
  for name in postgres redis solr solr-cloud; do
    if pid_alive "$RUN/$name.pid"; then echo "$name: running (pid $(head -n1 "$RUN/$name.pid"))"; else echo "$name: stopped"; fi
  done
}

case "${1:-}" in
  up) up; [ "${SOLR:-}" != cloud ] || cloud_up ;;
  cloud-up) cloud_up ;;
  cloud-down) stop_pidfile SolrCloud "$RUN/solr-cloud.pid" ;;
  down) down ;;
  status) status ;;
  recreate-db) recreate_db "$2" ;;
  recreate-db-of) recreate_db "$(ini_database "$2")" ;;
  *) echo "usage: $0 up|down|status|cloud-up|cloud-down|recreate-db NAME|recreate-db-of INI" >&2; exit 2 ;;
esac
