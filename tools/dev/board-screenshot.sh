#!/usr/bin/env bash
# board-screenshot.sh [BUILD_DIR] [OUT.png]
# The picture of issue 7: a web resource beside the document camera (its test
# pattern) on the board (Affichage), with ink over both. Runs the real craie
# headless (SDL dummy video) with a small lesson page served on loopback, drives
# it through craiectl and writes OUT.png (doc/images/web-beside-camera.png).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$ROOT/doc/images/web-beside-camera.png}
W=$(mktemp -d /tmp/craie-shot.XXXXXX)
craie_pid="" http_pid=""
cleanup() {
  [ -n "$craie_pid" ] && kill "$craie_pid" 2>/dev/null || true
  [ -n "$http_pid" ] && kill "$http_pid" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

mkdir -p "$W/www"
cat >"$W/www/index.html" <<'HTML'
<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Les volcans</title>
<style>
body { margin: 0; font-family: sans-serif; background: #f8fafc; color: #0f172a; }
header { background: #7c3aed; color: #fff; padding: 24px 40px; font-size: 40px; font-weight: bold; }
main { padding: 24px 40px; font-size: 28px; line-height: 1.5; }
.box { display: flex; gap: 24px; margin-top: 16px; }
.card { flex: 1; background: #fff; border: 3px solid #e2e8f0; border-radius: 16px; padding: 16px; }
.lava { height: 120px; border-radius: 12px; background: linear-gradient(#f97316, #b91c1c); }
</style></head><body>
<header>Les volcans — CM2</header>
<main><p>Un volcan est une ouverture de la croûte terrestre par laquelle le magma remonte.</p>
<div class="box"><div class="card"><div class="lava"></div><p>Éruption effusive : la lave coule.</p></div>
<div class="card"><div class="lava" style="background:linear-gradient(#64748b,#1e293b)"></div>
<p>Éruption explosive : cendres et gaz.</p></div></div></main></body></html>
HTML
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$W/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
http_pid=$!

sock="$W/ipc.sock"
SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$BUILD/craie" --windowed --ipc-socket="$sock" \
  --display.width=1600 --display.height=900 --camera=test --cast.enabled=false \
  --ent.kind=none >"$W/craie.log" 2>&1 &
craie_pid=$!
ctl() { "$BUILD/craiectl" --socket="$sock" "$@"; }
for _ in $(seq 1 100); do [ -S "$sock" ] && ctl get_state >/dev/null 2>&1 && break; sleep 0.1; done

ctl open url "http://127.0.0.1:$port/index.html" >/dev/null
ctl board add camera >/dev/null
# Wait for both pictures (the page loaded, the camera live).
ready() {
  ctl get_state | python3 -c '
import json, sys
s = json.load(sys.stdin)
t = {x["kind"]: x for x in s["board"]["tiles"]}
ok = "web" in t and "camera" in t and t["web"].get("has_image") and not t["web"].get("loading") \
     and t["camera"].get("frames_shown", 0) >= 5
sys.exit(0 if ok else 1)'
}
for _ in $(seq 1 200); do ready && break; sleep 0.1; done
ready || { echo "board-screenshot: the tiles did not show" >&2; cat "$W/craie.log" >&2; exit 1; }
sleep 1

# Ink over both tiles: an arrow from the page to the picture, a circle round a bar.
pen() { ctl drag "$@" 400 pen >/dev/null; }
ctl ink width thick >/dev/null
pen 420 520 1120 420
pen 1120 420 1060 395
pen 1120 420 1080 470
ctl ink color red >/dev/null
cx=1220 cy=300 r=70
prev=""
for a in $(seq 0 20 360); do
  pt=$(python3 -c "import math; print(int($cx+$r*math.cos(math.radians($a))), int($cy+$r*math.sin(math.radians($a))))")
  [ -n "$prev" ] && pen $prev $pt
  prev=$pt
done
mkdir -p "$(dirname "$OUT")"
ctl screenshot "$OUT" >/dev/null
ctl quit >/dev/null || true
wait "$craie_pid" 2>/dev/null || true
craie_pid=""
echo "$OUT"
