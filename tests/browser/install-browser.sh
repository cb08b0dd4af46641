#!/usr/bin/env bash
# Install what the browser tests drive: Debian's Chromium and its WebDriver, plus fonts for legible screenshots.
# No browser download step is used: the packages come from the distribution's own archive.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core fonts-liberation >/dev/null
chromium --version
chromedriver --version
