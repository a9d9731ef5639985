#!/usr/bin/env python3
"""token-tap.py PORT UPSTREAM_BASE TOKENS_FILE

A reverse proxy on 127.0.0.1:PORT in front of an identity provider on loopback
(UPSTREAM_BASE, e.g. http://127.0.0.1:4593), for the e2e tests: it lets the test see
the tokens the board really received, as anyone on the wire could, so that it can ask
the board's memory for them after sign-out. It forwards every request unchanged,
rewrites the upstream's address into its own in response bodies (so that the
provider's discovery document sends the board back through it), and appends every
access_token, refresh_token and id_token it sees in a JSON response to TOKENS_FILE
as NAME=VALUE lines. Never for anything but tests."""
import http.client
import http.server
import json
import sys
import urllib.parse

PORT, UPSTREAM, TOKENS = int(sys.argv[1]), sys.argv[2].rstrip('/'), sys.argv[3]
UP = urllib.parse.urlsplit(UPSTREAM)
SELF = f"http://127.0.0.1:{PORT}"
HOP = {'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host'}


class Tap(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def forward(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else None
        conn = http.client.HTTPConnection(UP.hostname, UP.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        headers['Host'] = UP.netloc
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if 'json' in (resp.getheader('Content-Type') or ''):
            try:
                obj = json.loads(data)
            except ValueError:
                obj = None
            if isinstance(obj, dict):
                with open(TOKENS, 'a') as f:
                    for name in ('access_token', 'refresh_token', 'id_token'):
                        if isinstance(obj.get(name), str):
                            f.write(f"{name}={obj[name]}\n")
            data = data.replace(UPSTREAM.encode(), SELF.encode())
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    do_GET = do_POST = do_PUT = do_DELETE = forward


http.server.ThreadingHTTPServer(('127.0.0.1', PORT), Tap).serve_forever()
