# Paths shared by stack/stack.sh and stack/demo.sh (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${IKOMA_STACK_DIR:-$ROOT/.stack}"
RUN="$STATE/run"
LOGS="$STATE/logs"
# The CKAN the venv holds: 2.11 (the default, in .venv) or 2.12 (in .venv-2.12); one stack serves both.
CKAN="${CKAN:-2.11}"
case "$CKAN" in
  2.11) VENV="${IKOMA_VENV:-$ROOT/.venv}" ;;
  2.12) VENV="${IKOMA_VENV:-$ROOT/.venv-2.12}" ;;
  *) echo "CKAN=$CKAN: ckanext-ikoma runs on CKAN 2.11 or 2.12" >&2; exit 2 ;;
esac
# How the demo serves CKAN: without Werkzeug's debugger, whose /console runs Python for anyone who
# can reach it (tests/security/test_demo_server.py starts CKAN with these flags and probes it).
CKAN_RUN_FLAGS="--disable-debugger --disable-reloader"
