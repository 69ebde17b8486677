# Paths shared by stack/stack.sh and stack/demo.sh (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${IKOMA_STACK_DIR:-$ROOT/.stack}"
RUN="$STATE/run"
LOGS="$STATE/logs"
VENV="${IKOMA_VENV:-$ROOT/.venv}"
