# Paths shared by stack/stack.sh and stack/demo.sh (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${IKOMA_STACK_DIR:-$ROOT/.stack}"
RUN="$STATE/run"
LOGS="$STATE/logs"
VENV="${IKOMA_VENV:-$ROOT/.venv}"
# How the demo serves CKAN: without Werkzeug's debugger, whose /console runs Python for anyone who
# can reach it (tests/security/test_demo_server.py starts CKAN with these flags and probes it).
CKAN_RUN_FLAGS="--disable-debugger --disable-reloader"
