#!/usr/bin/env bash
# entcore.sh start DIR PORT | stop DIR
# The fake entcore (fake_entcore.py) on https://127.0.0.1:PORT with the certificate
# run-with.sh made (IDP_CERT, IDP_KEY; clients trust IDP_CA), client "craie-board"
# with a secret in DIR/client-secret (mode 0600). start prints KEY=VALUE lines.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?start|stop}
DIR=${2:?DIR}
if [ "$cmd" = stop ]; then
  if [ -r "$DIR/fake.pid" ]; then
    pid=$(cat "$DIR/fake.pid")
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q fake_entcore.py; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$DIR/fake.pid"
  fi
  exit 0
fi
PORT=${3:?PORT}
mkdir -p "$DIR"
( umask 077; openssl rand -hex 16 >"$DIR/client-secret" )
rm -f "$DIR/http-port"
python3 "$HERE/fake_entcore.py" --port "$PORT" --cert "$IDP_CERT" --key "$IDP_KEY" \
  --data "$HERE/../data/ent/entcore" --client-id craie-board --secret-file "$DIR/client-secret" \
  --http-port-file "$DIR/http-port" \
  >"$DIR/fake.log" 2>&1 </dev/null &
echo $! >"$DIR/fake.pid"
for _ in $(seq 1 100); do
  curl -s -o /dev/null --cacert "$IDP_CA" "https://127.0.0.1:$PORT/__test/calls" && break
  kill -0 "$(cat "$DIR/fake.pid")" 2>/dev/null || { cat "$DIR/fake.log" >&2; exit 1; }
  sleep 0.05
done
curl -sf -o /dev/null --cacert "$IDP_CA" "https://127.0.0.1:$PORT/__test/calls" || { cat "$DIR/fake.log" >&2; exit 1; }
cat <<OUT
ENTCORE_URL=https://127.0.0.1:$PORT
ENTCORE_HTTP_URL=http://127.0.0.1:$(cat "$DIR/http-port")
ENTCORE_CLIENT_ID=craie-board
ENTCORE_CLIENT_SECRET_FILE=$DIR/client-secret
OUT
