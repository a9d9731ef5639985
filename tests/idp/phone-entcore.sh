#!/usr/bin/env bash
# phone-entcore.sh AUTHORIZE_URL USER CA_FILE [deny]
# The teacher's phone in the cross-device sign-in against the fake entcore: it opens the
# QR code's link, signs in (or refuses) on the ENT's page, follows the redirects to the
# board's HTTPS callback. Prints the board's page; exit 0 when it came with HTTP 200.
set -uo pipefail
URL=$1 USER_NAME=$2 CA=$3 DENY=${4:-}
JAR=$(mktemp); PAGE=$(mktemp); trap 'rm -f "$JAR" "$PAGE"' EXIT
LOGIN=$(curl -s --cacert "$CA" -c "$JAR" -b "$JAR" -o /dev/null -w '%{redirect_url}' "$URL")
case "$LOGIN" in */auth/login\?*) ;; *) echo "phone: no login page: '$LOGIN'" >&2; exit 1 ;; esac
CB=$(curl -s --cacert "$CA" -c "$JAR" -b "$JAR" "$LOGIN" | sed -n 's/.*name="callback" value="\([^"]*\)".*/\1/p' \
     | sed 's/&amp;/\&/g')
BASE=${URL%%/auth/*}
CODE=$(curl -s -L --cacert "$CA" -c "$JAR" -b "$JAR" -o "$PAGE" -w '%{http_code}' \
       --data-urlencode "email=$USER_NAME" --data-urlencode "password=password" \
       --data-urlencode "callback=$CB" ${DENY:+--data deny=1} "$BASE/auth/login")
cat "$PAGE"; echo
[ "$CODE" = 200 ]
