#!/bin/sh
# make-test-ca.sh DIR: a throw-away CA (DIR/ca.pem) and a server certificate it signed for
# 127.0.0.1 and localhost (DIR/server.pem, DIR/server.key), valid one day.
set -eu
D=$1
mkdir -p "$D"
cd "$D"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 \
  -subj "/CN=craie test CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
  -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
  -days 1 -extfile server.ext 2>/dev/null
chmod 600 server.key ca.key
echo "$D"
