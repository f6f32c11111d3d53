#!/usr/bin/env bash
# Sets up pia with demo data on SQLite and serves it: prints the URL and the demo sign-ins.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/pia db upgrade
.venv/bin/pia demo
exec .venv/bin/pia serve --host "${PIA_HOST:-127.0.0.1}" --port "${PIA_PORT:-5000}"
