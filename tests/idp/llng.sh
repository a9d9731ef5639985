#!/bin/sh
# llng.sh start DIR PORT | stop DIR
# A throw-away LemonLDAP::NG 2.16 portal on http://127.0.0.1:PORT (CAS server and OpenID
# Connect provider; Demo users dwho/dwho, rtyler/rtyler, msmith/msmith), behind its own
# nginx, all files under DIR. Also a dummy CAS service on another port (answers 200).
#   CAS service:   the dummy service URL (LLNG_CAS_SERVICE)
#   OIDC clients:  "craie-board-pkce" (public, PKCE required, redirect $IDP_CALLBACK_URL)
#                  "craie-board" (confidential, password grant; secret in DIR/client-secret)
#   menu:          /myapplications lists per-user applications
# As root, the FastCGI server (which refuses root) and nginx run as www-data.
# start prints KEY=VALUE lines; stop kills exactly what start started.
# Needs the Debian packages lemonldap-ng, lemonldap-ng-fastcgi-server, nginx.
set -eu
cmd=${1:?start|stop}
DIR=${2:?DIR}

alive() { [ -r "/proc/$1/stat" ] && ! awk '{exit !($3=="Z")}' "/proc/$1/stat" 2>/dev/null; }
stop_pidfile() { # pidfile pattern
  [ -s "$1" ] || return 0
  pid=$(cat "$1")
  if alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$2"; then
    kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
    kill -TERM "$pid" 2>/dev/null || true
    n=0
    while alive "$pid" && [ $n -lt 50 ]; do sleep 0.05; n=$((n+1)); done
    for p in $pid $kids; do alive "$p" && kill -KILL "$p" 2>/dev/null; done
  fi
  rm -f "$1"
}
stop() {
  stop_pidfile "$DIR/nginx.pid" "nginx: master"
  stop_pidfile "$DIR/llng-fastcgi.pid" "llng-fastcgi-server"
}
if [ "$cmd" = stop ]; then stop; exit 0; fi

PORT=${3:?PORT}
APP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HOST=127.0.0.1
PORTAL="http://$HOST:$PORT/"
APP="http://$HOST:$APP_PORT"
CALLBACK=${IDP_CALLBACK_URL:-https://127.0.0.1/ent/callback}
if [ "$(id -u)" = 0 ]; then
  RUN_USER=www-data
  AS_USER="setpriv --reuid=www-data --regid=www-data --init-groups --"
  chmod 711 "$(dirname "$DIR")"
else
  RUN_USER=$(id -un)
  AS_USER=
fi
fail() {
  echo "llng.sh: $*" >&2
  tail -n 20 "$DIR"/log/*.log >&2 2>/dev/null || true
  stop
  exit 1
}
for d in conf sessions/lock psessions/lock cache log nginx-tmp; do mkdir -p "$DIR/$d"; done
SECRET=$(openssl rand -hex 16)
( umask 077; printf '%s\n' "$SECRET" >"$DIR/client-secret" )

cat >"$DIR/lemonldap-ng.ini" <<INI
[all]
logLevel   = warn
logger     = Lemonldap::NG::Common::Logger::Std
userLogger = Lemonldap::NG::Common::Logger::Std
checkTime  = 1
[configuration]
type        = File
dirName     = $DIR/conf
prettyPrint = 1
[portal]
staticPrefix = /static
templateDir  = /usr/share/lemonldap-ng/portal/templates
languages    = en, fr
[handler]
status = 0
useRedirectOnError = 1
INI

DIR=$DIR PORTAL=$PORTAL HOST=$HOST APP=$APP CALLBACK=$CALLBACK SECRET=$SECRET \
perl -MJSON -MCrypt::OpenSSL::RSA -e '
my ($dir,$portal,$host,$app,$cb,$secret) = @ENV{qw(DIR PORTAL HOST APP CALLBACK SECRET)};
my $rsa = Crypt::OpenSSL::RSA->generate_key(2048);
my $attrs = { uid => "uid", cn => "cn", mail => "mail" };
my $conf = {
  cfgNum => 1, cfgVersion => "2.16.1", cfgAuthor => "llng.sh", cfgDate => time,
  cfgAuthorIP => "127.0.0.1", cfgLog => "craie idp suite",
  portal => $portal, domain => $host, cookieName => "lemonldap",
  securedCookie => 0, https => 0, httpOnly => 1,
  authentication => "Demo", userDB => "Same", passwordDB => "Demo", registerDB => "Null",
  demoExportedVars => $attrs, exportedVars => {}, whatToTrace => "uid", timeout => 72000,
  globalStorage => "Apache::Session::File",
  globalStorageOptions => { Directory => "$dir/sessions", LockDirectory => "$dir/sessions/lock",
      generateModule => "Lemonldap::NG::Common::Apache::Session::Generate::SHA256" },
  persistentStorage => "Apache::Session::File",
  persistentStorageOptions => { Directory => "$dir/psessions", LockDirectory => "$dir/psessions/lock" },
  localSessionStorage => "Cache::FileCache",
  localSessionStorageOptions => { namespace => "lemonldap-ng-sessions", default_expires_in => 600,
      directory_umask => "007", cache_root => "$dir/cache", cache_depth => 3 },
  notification => 0, loginHistoryEnabled => 0, portalCheckLogins => 0,
  locationRules => { $host => { default => "accept" } }, groups => {}, macros => {},
  applicationList => {
    "1ent" => { type => "category", catname => "ENT",
      cahier => { type => "application", options => { name => "Cahier de textes",
          uri => "$app/cahier/", description => "Cahier de textes", display => q{$uid ne "msmith"} } },
      docs   => { type => "application", options => { name => "Documents",
          uri => "$app/docs/", description => "Espace documents", display => "on" } },
      profs  => { type => "application", options => { name => "Salle des profs",
          uri => "$app/profs/", description => "timelords only", display => q{inGroup("timelords")} } },
    },
  },
  issuerDBCASActivation => 1, issuerDBCASPath => "^/cas/", issuerDBCASRule => 1,
  casAttr => "uid", casAccessControlPolicy => "error", casStrictMatching => 1,
  casTicketExpiration => 300, casAttributes => $attrs,
  casAppMetaDataOptions => { "craie-cas" => { casAppMetaDataOptionsService => "$app/" } },
  casAppMetaDataExportedVars => { "craie-cas" => $attrs }, casAppMetaDataMacros => {},
  issuerDBOpenIDConnectActivation => 1, issuerDBOpenIDConnectPath => "^/oauth2/",
  issuerDBOpenIDConnectRule => 1,
  oidcServiceMetaDataIssuer => $portal =~ s#/$##r,
  oidcServicePrivateKeySig => $rsa->get_private_key_string,
  oidcServicePublicKeySig  => $rsa->get_public_key_x509_string,
  oidcServiceKeyIdSig      => "craie-test-1",
  oidcServiceAllowAuthorizationCodeFlow => 1,
  oidcServiceIgnoreScopeForClaims => 1,
  oidcRPMetaDataOptions => {
    "craie-board" => {
      oidcRPMetaDataOptionsClientID => "craie-board",
      oidcRPMetaDataOptionsClientSecret => $secret,
      oidcRPMetaDataOptionsRedirectUris => $cb,
      oidcRPMetaDataOptionsBypassConsent => 1,
      oidcRPMetaDataOptionsIDTokenSignAlg => "RS256",
      oidcRPMetaDataOptionsRefreshToken => 1,
      oidcRPMetaDataOptionsAllowPasswordGrant => 1,
      oidcRPMetaDataOptionsUserIDAttr => "uid",
    },
    "craie-board-pkce" => {
      oidcRPMetaDataOptionsClientID => "craie-board-pkce",
      oidcRPMetaDataOptionsPublic => 1,
      oidcRPMetaDataOptionsRedirectUris => $cb,
      oidcRPMetaDataOptionsBypassConsent => 1,
      oidcRPMetaDataOptionsIDTokenSignAlg => "RS256",
      oidcRPMetaDataOptionsRequirePKCE => 1,
      oidcRPMetaDataOptionsRefreshToken => 1,
      oidcRPMetaDataOptionsUserIDAttr => "uid",
    },
  },
  oidcRPMetaDataExportedVars => {
    "craie-board" => { email => "mail", name => "cn", preferred_username => "uid" },
    "craie-board-pkce" => { email => "mail", name => "cn", preferred_username => "uid" },
  },
  oidcRPMetaDataOptionsExtraClaims => {}, oidcRPMetaDataMacros => {},
};
open my $f, ">", "$dir/conf/lmConf-1.json" or die $!;
print $f JSON->new->pretty->canonical->encode($conf);
'

cat >"$DIR/nginx.conf" <<NGINX
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/log/nginx-error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $DIR/log/nginx-access.log;
  client_body_temp_path $DIR/nginx-tmp/body;
  fastcgi_temp_path     $DIR/nginx-tmp/fastcgi;
  proxy_temp_path       $DIR/nginx-tmp/proxy;
  uwsgi_temp_path       $DIR/nginx-tmp/uwsgi;
  scgi_temp_path        $DIR/nginx-tmp/scgi;
  upstream llng { server unix:$DIR/llng-fastcgi.sock; }
  server {
    listen 127.0.0.1:$PORT default_server;
    server_name $HOST;
    root /usr/share/lemonldap-ng/portal/htdocs/;
    if (\$uri !~ ^/((static|javascript|favicon).*|.*\.psgi)) {
      rewrite ^/(.*)\$ /index.psgi/\$1 break;
    }
    location ~ ^(?<sc>/.*\.psgi)(?:\$|/) {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass llng;
      fastcgi_param HTTP_HOST \$host:\$server_port;
      fastcgi_param LLTYPE psgi;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_split_path_info ^(.*\.psgi)(/.*)\$;
      fastcgi_param PATH_INFO \$fastcgi_path_info;
      location ~ ^/index.psgi/(adminSessions|proxy|sessions|config|notification) { deny all; }
    }
    index index.psgi;
    location / { try_files \$uri \$uri/ =404; }
    location /static/ { alias /usr/share/lemonldap-ng/portal/htdocs/static/; }
    location /javascript/ { alias /usr/share/javascript/; }
  }
  server {
    listen 127.0.0.1:$APP_PORT default_server;
    access_log $DIR/log/app-access.log;
    location / { default_type text/plain; return 200 "ok\n"; }
  }
}
NGINX

[ "$(id -u)" = 0 ] && chown -R "$RUN_USER:" "$DIR"
chmod -R go-rwx "$DIR/conf"
# --foreground + &: when daemonized, its logs go nowhere.
env LLNG_DEFAULTCONFFILE="$DIR/lemonldap-ng.ini" LLNG_DEFAULTLOGGER=Lemonldap::NG::Common::Logger::Std \
  $AS_USER /usr/sbin/llng-fastcgi-server --foreground --proc 2 \
    --socket "$DIR/llng-fastcgi.sock" --pid "$DIR/llng-fastcgi.pid" \
    </dev/null >>"$DIR/log/llng.log" 2>&1 &
$AS_USER /usr/sbin/nginx -e "$DIR/log/nginx-error.log" -c "$DIR/nginx.conf" \
  >>"$DIR/log/nginx-start.log" 2>&1 || fail "nginx did not start"
# Each FastCGI worker compiles the portal on its first request.
ok=0; i=0
while [ $i -lt 300 ]; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${PORTAL}.well-known/openid-configuration" || true)
  if [ "$code" = 200 ]; then ok=$((ok+1)); [ $ok -ge 2 ] && break; else ok=0; sleep 0.1; fi
  i=$((i+1))
done
[ $ok -ge 2 ] || fail "the portal did not answer"
cat <<OUT
LLNG_PORTAL=${PORTAL%/}
LLNG_CAS=${PORTAL}cas
LLNG_CAS_SERVICE=$APP/
LLNG_CLIENT_SECRET_FILE=$DIR/client-secret
OUT
