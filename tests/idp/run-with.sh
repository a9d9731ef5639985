#!/usr/bin/env bash
# run-with.sh SERVER... -- PROGRAM [ARGS...]
# Starts the named identity providers on free loopback ports (glewlwyd, llng, entcore),
# runs PROGRAM with their addresses in its environment, and stops them however PROGRAM
# ends (even when it aborts). Also makes a test CA and a certificate for 127.0.0.1 (the
# fake entcore's and the board's callback): IDP_CA, IDP_CERT, IDP_KEY.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
servers=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do servers+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "usage: run-with.sh SERVER... -- PROGRAM [ARGS...]" >&2; exit 2; }

W=$(mktemp -d "${TMPDIR:-/tmp}/craie-idp.XXXXXX")
started=()
cleanup() {
  for s in "${started[@]}"; do "$HERE/$s.sh" stop "$W/$s" >/dev/null 2>&1 || true; done
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

"$HERE/make-test-ca.sh" "$W/ca" >/dev/null
export IDP_CA="$W/ca/ca.pem" IDP_CERT="$W/ca/server.pem" IDP_KEY="$W/ca/server.key"
export IDP_SCRIPTS="$HERE" IDP_WORK="$W"
IDP_CALLBACK_PORT=$(free_port); export IDP_CALLBACK_PORT
export IDP_CALLBACK_URL="https://127.0.0.1:$IDP_CALLBACK_PORT/ent/callback"

for s in "${servers[@]}"; do
  port=$(free_port)
  started+=("$s")
  out=$("$HERE/$s.sh" start "$W/$s" "$port") || { echo "run-with: $s did not start" >&2; exit 1; }
  while IFS='=' read -r k v; do
    [[ $k =~ ^[A-Z_][A-Z0-9_]*$ ]] && export "$k=$v"
  done <<<"$out"
done
"$@"
