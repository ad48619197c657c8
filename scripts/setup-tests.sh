#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian machine, then run it.
# Python packages: ketpk with its test extra (pytest, hypothesis, dask, pandas, tqdm, shiny,
# selenium). The browser test drives Debian's chromium through chromium-driver; they are
# installed with apt-get when missing (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
python3 -m pip install -q -e ".[test]"
python3 -m pytest "$@"
