#!/usr/bin/env bash
# Installs craie's build, run and test dependencies on Debian 12 (root or sudo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t pkgs < <(grep -v '^#' "$here/debian-packages.txt" | sed '/^$/d')
missing=()
for p in "${pkgs[@]}"; do
    # NodeSource's nodejs carries npm and conflicts with Debian's npm package.
    [ "$p" = npm ] && command -v npm >/dev/null && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "craie: all ${#pkgs[@]} packages already installed"
else
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "craie: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The browser tests' driver (playwright-core, pinned by package-lock.json; it
# drives Debian's chromium and never downloads a browser).
browser="$here/../../tests/browser"
if [ ! -d "$browser/node_modules/playwright-core" ]; then
    (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
