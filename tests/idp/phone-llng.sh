#!/usr/bin/env bash
# phone-llng.sh AUTHORIZE_URL USER CA_FILE
# The teacher's phone in the cross-device sign-in against LemonLDAP::NG: it opens the QR
# code's link, signs in on the portal's form, and follows the redirect to the board's
# HTTPS callback (trusting CA_FILE). Prints "CALLBACK=<url>" then the page the board
# answered; exits 0 when that page came with HTTP 200.
set -uo pipefail
URL=$1 USER_NAME=$2 CA=$3
JAR=$(mktemp); PAGE=$(mktemp); trap 'rm -f "$JAR" "$PAGE"' EXIT
curl -s -c "$JAR" -b "$JAR" -o "$PAGE" "$URL"
TOKEN=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' "$PAGE" | head -1)
URLF=$(sed -n 's/.*name="url" value="\([^"]*\)".*/\1/p' "$PAGE" | head -1)
[ -n "$TOKEN" ] || { echo "phone: no login form" >&2; exit 1; }
LOC=$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{redirect_url}' \
      --data-urlencode "user=$USER_NAME" --data-urlencode "password=$USER_NAME" \
      --data-urlencode "token=$TOKEN" --data-urlencode "url=$URLF" "$URL")
case "$LOC" in https://*) ;; *) echo "phone: no redirect to the board: '$LOC'" >&2; exit 1 ;; esac
echo "CALLBACK=$LOC"
CODE=$(curl -s --cacert "$CA" -o "$PAGE" -w '%{http_code}' "$LOC")
cat "$PAGE"; echo
[ "$CODE" = 200 ]
