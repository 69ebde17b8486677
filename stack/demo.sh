#!/usr/bin/env bash
# `make demo`: a CKAN with the Ikoma plugin at http://127.0.0.1:5000, in the foreground.
# Runs after `stack/stack.sh up`. A second run is quick and creates nothing twice.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
INI="$STATE/demo.ini"
CKAN=("$VENV/bin/ckan" -c "$INI")
ADMIN=admin

say() { printf '\033[1;34m[demo]\033[0m %s\n' "$*"; }

mkdir -p "$STATE/storage-demo" "$RUN" "$LOGS"

# Written on every run so template changes take effect; the secret is kept between runs.
secret_file="$STATE/demo-secret"
[ -f "$secret_file" ] || "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$secret_file"
sed -e "s|@STATE@|$STATE|g" -e "s|@SECRET@|$(cat "$secret_file")|g" "$ROOT/stack/demo.ini.template" >"$INI"

say "database: core and plugin migrations"
"${CKAN[@]}" db upgrade >"$LOGS/demo-db.log" 2>&1 || { tail -n 30 "$LOGS/demo-db.log"; exit 1; }

password_file="$STATE/demo-admin-password"
[ -f "$password_file" ] || "$VENV/bin/python" -c 'import secrets; print("ikoma-" + secrets.token_hex(6))' >"$password_file"
password="$(cat "$password_file")"
if ! "${CKAN[@]}" user show "$ADMIN" 2>/dev/null | grep -q "name=$ADMIN"; then
  say "creating sysadmin $ADMIN"
  "${CKAN[@]}" user add "$ADMIN" email=admin@example.org password="$password" >/dev/null
fi
"${CKAN[@]}" sysadmin add "$ADMIN" >/dev/null 2>&1 || true

say "demo organization and datasets"
"${CKAN[@]}" ikoma demo-data
# a changed Solr configset starts the index empty (stack.sh): index what is missing
"${CKAN[@]}" search-index rebuild --only-missing >"$LOGS/demo-index.log" 2>&1 || { tail -n 30 "$LOGS/demo-index.log"; exit 1; }

# Background workers; their pids are recorded so `make stack-stop` (or leaving this script) stops them.
start_process() {
  local name="$1"; shift
  nohup "$@" >"$LOGS/demo-$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/demo-$name.pid"
}
start_worker() {
  local name="$1"; shift
  start_process "$name" "${CKAN[@]}" "$@"
}
stop_workers() {
  local f
  for f in "$RUN"/demo-*.pid; do
    [ -e "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
}
stop_workers
trap stop_workers EXIT INT TERM
start_worker harvest-gather harvester gather-consumer
start_worker harvest-fetch harvester fetch-consumer
start_worker jobs jobs worker

# A neighbour's catalog (fictional 平群町, three pages of DCAT in ckanext/ikoma/demo/neighbour) on
# 127.0.0.1, its organization and harvest source, and a harvest through the consumers above.
# `ckan harvester run` every 30 s marks finished jobs as such (cron does it on a real site).
NEIGHBOUR_PORT=8765
start_process neighbour-catalog "$VENV/bin/python" -m http.server "$NEIGHBOUR_PORT" --bind 127.0.0.1 \
  --directory "$("$VENV/bin/python" -c 'import ckanext.ikoma.demo as d, os; print(os.path.join(os.path.dirname(d.__file__), "neighbour"))')"
say "neighbour catalog at http://127.0.0.1:$NEIGHBOUR_PORT/catalog-1.ttl; harvesting it"
"${CKAN[@]}" ikoma neighbours sync --file "$ROOT/ckanext/ikoma/demo/neighbours.yaml" | tail -n 1
"${CKAN[@]}" harvester job harvest-293423 >/dev/null 2>&1 || true  # refused while one is still running
start_process harvest-run bash -c "while sleep 30; do '$VENV/bin/ckan' -c '$INI' harvester run; done"
# The KPI on /region: today's counts now (the first run reconstructs the past), then hourly (cron
# runs `ckan ikoma stats snapshot` once a day on a real site; the same day is replaced, not added).
"${CKAN[@]}" ikoma stats snapshot | tail -n 1
start_process stats-snapshot bash -c "while sleep 3600; do '$VENV/bin/ckan' -c '$INI' ikoma stats snapshot; done"

cat <<MSG

  生駒市オープンデータカタログ（デモ） / Ikoma open data catalog (demo)
  URL:       http://127.0.0.1:5000       neighbours' harvests: http://127.0.0.1:5000/neighbours
  sysadmin:  $ADMIN
  password:  $password
  config:    $INI        logs: $LOGS
  Ctrl-C stops CKAN and the workers; \`make stack-stop\` stops the services.

MSG
# shellcheck disable=SC2086  # CKAN_RUN_FLAGS is a list of flags
"${CKAN[@]}" run -H 127.0.0.1 -p 5000 $CKAN_RUN_FLAGS &
echo $! >"$RUN/demo-web.pid"
wait "$(cat "$RUN/demo-web.pid")"
