#!/usr/bin/env bash
# tap.sh start DIR PORT | stop DIR
# token-tap.py in front of the Glewlwyd started before it (GLW_BASE), for the e2e tests:
# prints TAP_BASE (use it instead of GLW_BASE) and TAP_TOKENS (the tokens seen, NAME=VALUE).
set -euo pipefail
cmd=${1:?start|stop}
DIR=${2:?DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$cmd" = stop ]; then
  if [ -r "$DIR/tap.pid" ]; then
    pid=$(cat "$DIR/tap.pid")
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "token-tap.py"; then kill "$pid" 2>/dev/null || true; fi
    rm -f "$DIR/tap.pid"
  fi
  exit 0
fi
PORT=${3:?PORT}
: "${GLW_BASE:?start glewlwyd before tap}"
mkdir -p "$DIR"
: >"$DIR/tokens"
python3 "$HERE/token-tap.py" "$PORT" "$GLW_BASE" "$DIR/tokens" >"$DIR/tap.log" 2>&1 </dev/null &
echo $! >"$DIR/tap.pid"
for _ in $(seq 1 50); do
  curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/config" && break
  sleep 0.1
done
curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/config" || { echo "tap.sh: no answer" >&2; exit 1; }
cat <<OUT
TAP_BASE=http://127.0.0.1:$PORT
TAP_API=http://127.0.0.1:$PORT/api
TAP_TOKENS=$DIR/tokens
OUT
