#!/usr/bin/env bash
# Creates .venv and installs pia into it; installs system packages the tests need when root.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install --quiet -e ".[$extras]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
# Fonts for the scripts that pia's Python font packages do not cover (Hebrew and Indic scripts,
# Chinese and Japanese, Korean); see pia/report/script_fonts.py. Without them reports still
# render, showing those characters as marked placeholders and naming these packages.
fonts=(fonts-noto-core fonts-droid-fallback fonts-nanum)
if command -v dpkg >/dev/null; then
  missing=()
  for package in "${fonts[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "reports need the fonts in: ${missing[*]} (install them with apt-get as root)" >&2
    fi
  fi
fi
