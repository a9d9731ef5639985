#!/usr/bin/env bash
# phone-glewlwyd.sh VERIFICATION_URI_COMPLETE API [USER] [PASSWORD]
# The teacher's phone in the device flow, played with curl the way Glewlwyd's own login
# page does it: open the link, sign in, consent, confirm the code. Exit 0 once Glewlwyd
# says prompt=deviceComplete, printing when that was (approved_at_ns=, realtime clock).
set -uo pipefail
URL=$1 API=$2 USER_NAME=${3:-teacher1} PASSWORD=${4:-password}
JAR=$(mktemp); trap 'rm -f "$JAR"' EXIT
qparam() { local v; v=$(sed -n "s/.*[?&]$2=\([^&]*\).*/\1/p" <<<"$1"); v=${v//+/ }; printf '%b' "${v//%/\\x}"; }
LOC=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" "$URL")
CID=$(qparam "$LOC" client_id); SCOPE=$(qparam "$LOC" scope)
[ -n "$CID" ] || { echo "phone: code not accepted: $LOC" >&2; exit 1; }
CODE=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" -H 'Content-Type: application/json' \
       -d "$(jq -nc --arg u "$USER_NAME" --arg p "$PASSWORD" '{username:$u,password:$p}')" "$API/auth/")
[ "$CODE" = 200 ] || { echo "phone: login refused ($CODE)" >&2; exit 1; }
curl -s -o /dev/null -b "$JAR" -c "$JAR" -X PUT -H 'Content-Type: application/json' \
     -d "$(jq -nc --arg s "$SCOPE" '{scope:$s}')" "$API/auth/grant/$CID"
LOC=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" "${URL}&g_continue")
case "$LOC" in
  *prompt=deviceComplete*) echo "approved_at_ns=$(date +%s%N)"; exit 0 ;;
  *) echo "phone: not approved: $LOC" >&2; exit 1 ;;
esac
