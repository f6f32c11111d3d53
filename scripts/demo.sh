#!/usr/bin/env bash
# Sets up pia with demo data on SQLite and serves it: prints the URL and the demo sign-ins.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# The demo serves plain http on this machine, where a Secure session cookie may not come back.
export PIA_INSECURE_COOKIES="${PIA_INSECURE_COOKIES:-1}"
.venv/bin/pia db upgrade
# New demo passwords on every start, so the sign-ins printed below always work.
.venv/bin/pia demo --reset-passwords
exec .venv/bin/pia serve --host "${PIA_HOST:-127.0.0.1}" --port "${PIA_PORT:-5000}"
