#!/usr/bin/env bash
# Headless Chromium for the report rendering test (tests/test_reports_browser.py).
# Debian's chromium + chromium-driver; Playwright drives it by path and never downloads browsers.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null
fi
chromium --version
