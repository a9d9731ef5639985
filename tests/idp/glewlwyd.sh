#!/usr/bin/env bash
# glewlwyd.sh start DIR PORT | stop DIR
# A throw-away Glewlwyd 2.7 OpenID Connect provider on 127.0.0.1:PORT, run from DIR
# (SQLite database, RS256 key, config), provisioned through its admin API:
#   - a teacher (teacher1 / password, "Teacher One"),
#   - a confidential client "craie-board" (secret in DIR/client-secret, mode 0600),
#   - three OIDC plugin instances: "oidc" (device code: 600 s, poll every 1 s),
#     "oidcshort" (device code expires after 4 s), "oidcfast" (access tokens live 4 s).
# start prints KEY=VALUE lines; stop kills exactly the glewlwyd it started.
# Needs the Debian packages glewlwyd, sqlite3, curl, jq, openssl.
set -euo pipefail
cmd=${1:?start|stop}
DIR=${2:?DIR}

stop() {
  local pid
  if [ -r "$DIR/glewlwyd.pid" ]; then
    pid=$(cat "$DIR/glewlwyd.pid")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "glewlwyd -c $DIR/glewlwyd.conf"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$DIR/glewlwyd.pid"
  fi
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
PORT=${3:?PORT}
BASE="http://127.0.0.1:$PORT"
API="$BASE/api"
die() { echo "glewlwyd.sh: $*" >&2; [ -r "$DIR/glewlwyd.log" ] && tail -20 "$DIR/glewlwyd.log" >&2; stop; exit 1; }
mkdir -p "$DIR"

SCHEMA=/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3
if [ -r "$SCHEMA" ]; then sqlite3 "$DIR/glewlwyd.db" <"$SCHEMA"
else zcat /usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz | sqlite3 "$DIR/glewlwyd.db"; fi
openssl genrsa -out "$DIR/key.pem" 2048 2>/dev/null
openssl rsa -in "$DIR/key.pem" -pubout -out "$DIR/pub.pem" 2>/dev/null

# No use_secure_connection line at all: any makes 2.7.5 demand certificate files.
cat >"$DIR/glewlwyd.conf" <<CONF
port=$PORT
bind_address="127.0.0.1"
external_url="$BASE"
login_url="login.html"
api_prefix="api"
allow_origin="*"
log_mode="console"
log_level="WARNING"
cookie_secure=0
cookie_same_site="empty"
session_expiration=2419200
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie,api_key"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3" path = "$DIR/glewlwyd.db" };
CONF

(cd "$DIR" && exec glewlwyd -c "$DIR/glewlwyd.conf" >"$DIR/glewlwyd.log" 2>&1 </dev/null) &
echo $! >"$DIR/glewlwyd.pid"
for _ in $(seq 1 100); do
  curl -sf -o /dev/null --max-time 1 "$BASE/config" && break
  kill -0 "$(cat "$DIR/glewlwyd.pid")" 2>/dev/null || die "glewlwyd exited"
  sleep 0.1
done
curl -sf -o /dev/null --max-time 1 "$BASE/config" || die "no answer on $BASE"

ADM="$DIR/admin.cookies"
adm() {
  local code
  code=$(curl -s -o "$DIR/last" -w '%{http_code}' -b "$ADM" -X "$1" -H 'Content-Type: application/json' \
         ${3:+--data-binary "$3"} "$API$2")
  [ "$code" = 200 ] || die "admin API $1 $2 -> $code $(cat "$DIR/last")"
}
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$ADM" -H 'Content-Type: application/json' \
       -d '{"username":"admin","password":"password"}' "$API/auth/")
[ "$code" = 200 ] || die "admin login: $code"
for s in profile email; do
  adm POST /scope/ "{\"name\":\"$s\",\"display_name\":\"$s\",\"description\":\"$s\",\"password_required\":true,\"password_max_age\":0,\"scheme\":{}}"
done
adm POST /user/ '{"username":"teacher1","password":"password","name":"Teacher One","email":"teacher1@school.example","enabled":true,"scope":["openid","profile","email","g_profile"]}'
SECRET=$(openssl rand -hex 16)
( umask 077; printf '%s\n' "$SECRET" >"$DIR/client-secret" )
adm POST /client/ "$(jq -nc --arg sec "$SECRET" '{client_id:"craie-board", name:"craie board", confidential:true,
  enabled:true, scope:[], client_secret:$sec, token_endpoint_auth_method:["client_secret_basic","client_secret_post"],
  redirect_uri:["https://127.0.0.1/ent/callback"], authorization_type:["device_authorization","code","refresh_token"]}')"
plugin() { # name device-expires access-token-duration
  jq -n --arg name "$1" --arg iss "$API/$1" --argjson exp "$2" --argjson at "$3" \
        --rawfile key "$DIR/key.pem" --rawfile pub "$DIR/pub.pem" '{
    module:"oidc", name:$name, display_name:$name, enabled:true,
    parameters:{
      iss:$iss, "jwt-type":"rsa", "jwt-key-size":"256", key:$key, cert:$pub, "jwks-show":true,
      "access-token-duration":$at, "refresh-token-duration":1209600, "code-duration":600,
      "refresh-token-rolling":true, "refresh-token-one-use":"never", "allow-non-oidc":false,
      "auth-type-code-enabled":true, "auth-type-token-enabled":false, "auth-type-id-token-enabled":true,
      "auth-type-none-enabled":false, "auth-type-password-enabled":false, "auth-type-client-enabled":false,
      "auth-type-device-enabled":true, "auth-type-refresh-enabled":true,
      "subject-type":"public", "allowed-scope":["openid","profile","email"],
      "name-claim":"on-demand", "name-claim-scope":["profile"],
      "email-claim":"on-demand", "email-claim-scope":["email"], "scope-claim":"no",
      "pkce-allowed":true, "pkce-method-plain-allowed":false, "pkce-required":false, "pkce-required-public-client":false,
      "introspection-revocation-allowed":true, "introspection-revocation-allow-target-client":true,
      "introspection-revocation-auth-scope":[],
      "session-management-allowed":true, "session-cookie-name":("GLEWLWYD2_SID_" + $name), "session-cookie-expiration":2419200,
      "front-channel-logout-allowed":false, "back-channel-logout-allowed":false, "request-parameter-allow":true,
      "device-authorization-expiration":$exp, "device-authorization-interval":1
    }}'
}
adm POST /mod/plugin/ "$(plugin oidc 600 3600)"
adm POST /mod/plugin/ "$(plugin oidcshort 4 3600)"
adm POST /mod/plugin/ "$(plugin oidcfast 600 4)"
# The teacher consents once (what ticking "grant" in the web page stores).
USR="$DIR/teacher.cookies"
curl -sf -o /dev/null -c "$USR" -H 'Content-Type: application/json' \
  -d '{"username":"teacher1","password":"password"}' "$API/auth/" || die "teacher login"
curl -sf -o /dev/null -b "$USR" -X PUT -H 'Content-Type: application/json' \
  -d '{"scope":"openid profile email"}' "$API/auth/grant/craie-board" || die "consent"
for p in oidc oidcshort oidcfast; do
  for _ in $(seq 1 50); do curl -sf -o /dev/null "$API/$p/.well-known/openid-configuration" && break; sleep 0.1; done
done
cat <<OUT
GLW_BASE=$BASE
GLW_API=$API
GLW_CLIENT_ID=craie-board
GLW_CLIENT_SECRET_FILE=$DIR/client-secret
GLW_TEACHER=teacher1
GLW_PASSWORD=password
OUT
