#!/usr/bin/env python3
"""A fake entcore (Open Digital Education) for the idp suite, over TLS.

entcore itself cannot run here (Java, Vert.x, Neo4j, MongoDB); this stands in for the
parts the board uses, with the shapes read from entcore's code (doc/ent.md lists them):
OAuth2 authorization code (no PKCE) and password grants with HTTP Basic client
authentication, entcore's error bodies (access_denied + auth.error.*, 509 quota_overflow),
/auth/user/requirements, userinfo v2.0 (the v1.0 answer drops apps and structures),
/applications-list, /userbook/preference/apps (double-encoded), /workspace/documents,
/gar/resources, /auth/oauth2/token?type=queryparam, /cas/oauth/login, /auth/logout. The JSON documents come from tests/data/ent/entcore.

Users (password "password"): jean.dupont; terms, mfa (a requirement is pending);
banned, blocked (refused with auth.error.*); busy (509 quota_overflow); short (its access
tokens stop working after 1 s although 3600 s are announced).
ENT pages (/, /welcome, /workspace/workspace, /conversation/conversation, /homeworks, /timeline/timeline)
show "Signed in as NAME" (green, and write a cookie and localStorage) only with a valid
?queryparam_token= (which, as entcore does, makes a web session: oneSessionId, authenticated,
XSRF-TOKEN cookies) or oneSessionId cookie; without, they redirect to the login page.
POST /auth/oauth2/token-as-cookie makes the same session from a Bearer token;
GET /__test/queryparam?off=1 makes the queryparam tokens unavailable (older ENTs).
/workspace/document/ID serves real files made at first use: d-old a 2-page PDF, d-new a PNG,
d-volcan a 3 s MP4 (GStreamer; 404 without it); /workspace/document/preview/ID a PDF.
GET /__test/calls lists the calls seen (for the tests' assertions); /lists/*.json serves the
technician's lists of tests/data/ent/lists (an https resource list).
Python 3 standard library only.
"""
import argparse
import base64
import html
import json
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USERS = {"jean.dupont", "terms", "mfa", "banned", "blocked", "busy", "short"}
SHORT_LIVED = {"short"}  # their access tokens die after 1 s, though 3600 s are announced
PASSWORD = "password"
DENIALS = {"banned": (401, "auth.error.ban"), "blocked": (401, "auth.error.blockedUser")}
REQUIREMENTS = {"terms": "requirements-terms.json", "mfa": "requirements-mfa.json"}
PAGES = {"/", "/welcome", "/workspace/workspace", "/conversation/conversation", "/homeworks",
         "/timeline/timeline"}


def pdf_bytes(pages):
    """A small valid PDF: one line of text per page (A4)."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", None,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 36 Tf 72 700 Td ({text}) Tj ET 0 0 1 rg 72 100 450 450 re f".encode()
        objs.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents "
                    f"{len(objs)} 0 R /Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        body = o if isinstance(o, bytes) else o.encode()
        out += f"{i + 1} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


class State:
    def __init__(self, data, client_id, secret):
        self.data = data
        self.client_id = client_id
        self.secret = secret
        self.lock = threading.Lock()
        self.sessions = {}  # oneSessionId -> user
        self.codes = {}  # code -> (user, redirect_uri, expiry)
        self.tokens = {}  # access token -> user
        self.refresh = {}  # refresh token -> user
        self.calls = []
        self.queryparam = {}  # queryparam JWT -> (user, expiry)
        self.queryparam_off = False
        self.files = {}  # document id -> (bytes, content type)


def doc(state, name):
    with open(os.path.join(state.data, name), "rb") as f:
        return f.read()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-entcore/1"

    def log_message(self, *args):
        pass

    # ---- helpers ----
    @property
    def st(self):
        return self.server.state

    def send(self, status, body=b"", ctype="application/json", headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def json(self, status, obj, headers=()):
        self.send(status, json.dumps(obj), headers=headers)

    def redirect(self, location, headers=()):
        self.send(302, b"", "text/plain", [("Location", location)] + list(headers))

    def form(self):
        n = int(self.headers.get("Content-Length") or 0)
        return dict(urllib.parse.parse_qsl(self.rfile.read(n).decode()))

    def bearer_user(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return None
        with self.st.lock:
            entry = self.st.tokens.get(auth[7:])
        if not entry or entry[1] < time.time():
            return None
        return entry[0]

    def session_user(self):
        for part in self.headers.get("Cookie", "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == "oneSessionId":
                with self.st.lock:
                    return self.st.sessions.get(v), v
        return None, None

    def record(self, path, user=None):
        with self.st.lock:
            self.st.calls.append({
                "method": self.command, "path": path, "user": user,
                "bearer": self.headers.get("Authorization", "").startswith("Bearer "),
                "accept": self.headers.get("Accept", ""),
            })

    def issue(self, user, scope):
        at, rt = str(uuid.uuid4()), str(uuid.uuid4())
        life = 1 if user in SHORT_LIVED else 3600
        with self.st.lock:
            self.st.tokens[at] = (user, time.time() + life)
            self.st.refresh[rt] = user
        return {"token_type": "Bearer", "access_token": at, "refresh_token": rt,
                "expires_in": 3600, "scope": scope}

    # ---- OAuth2 ----
    def authorize(self, q):
        ru, state = q.get("redirect_uri"), q.get("state", "")
        if q.get("response_type") != "code" or q.get("client_id") != self.st.client_id or not ru:
            return self.send(400, "invalid_request", "text/plain")
        if not q.get("scope"):
            return self.redirect(ru + "?" + urllib.parse.urlencode(
                {"error": "invalid_scope", "state": state}))
        user, _ = self.session_user()
        if not user:
            back = self.path
            return self.redirect("/auth/login?" + urllib.parse.urlencode({"callback": back}))
        code = str(uuid.uuid4())
        with self.st.lock:
            self.st.codes[code] = (user, ru, time.time() + 600)
        self.redirect(ru + "?" + urllib.parse.urlencode({"code": code, "state": state}))

    def login_page(self, q, error=""):
        cb = html.escape(q.get("callback", "/"), quote=True)
        self.send(200, f"""<!DOCTYPE html><html><head><title>ENT login</title></head>
<body style="background:#b91c1c;color:#fff"><h1 id="login">ENT login</h1>
<form method="post" action="/auth/login">
<p>{html.escape(error)}</p><input type="text" name="email"><input type="password" name="password">
<input type="hidden" name="callback" value="{cb}"></form></body></html>""", "text/html")

    def login(self):
        f = self.form()
        cb = f.get("callback", "/")
        if f.get("deny"):  # the teacher refuses on the phone
            q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(cb).query))
            return self.redirect(q["redirect_uri"] + "?" + urllib.parse.urlencode(
                {"error": "access_denied", "state": q.get("state", "")}))
        if f.get("email") not in USERS or f.get("password") != PASSWORD:
            return self.login_page({"callback": cb}, "auth.error.authenticationFailed")
        sid = str(uuid.uuid4())
        with self.st.lock:
            self.st.sessions[sid] = f["email"]
        self.redirect(cb, [("Set-Cookie", f"oneSessionId={sid}; Path=/; HttpOnly; Secure")])

    def token(self):
        auth = self.headers.get("Authorization", "")
        f = self.form()
        expected = base64.b64encode(f"{self.st.client_id}:{self.st.secret}".encode()).decode()
        if auth != "Basic " + expected:
            return self.json(401, {"error": "invalid_client"})
        grant = f.get("grant_type")
        self.record("/auth/oauth2/token " + str(grant))
        if grant == "authorization_code":
            with self.st.lock:
                entry = self.st.codes.pop(f.get("code", ""), None)
            if not entry or entry[1] != f.get("redirect_uri") or entry[2] < time.time():
                return self.json(401, {"error": "invalid_grant"})
            return self.json(200, self.issue(entry[0], "userinfo portal workspace"))
        if grant == "refresh_token":
            with self.st.lock:
                user = self.st.refresh.get(f.get("refresh_token", ""))
            if not user:
                return self.json(401, {"error": "invalid_grant"})
            return self.json(200, self.issue(user, "userinfo portal workspace"))
        if grant == "password":
            user = f.get("username")
            if user == "busy":
                return self.json(509, {"error": "quota_overflow"})
            if user not in USERS or f.get("password") != PASSWORD:
                return self.json(401, {"error": "access_denied",
                                       "error_description": "auth.error.authenticationFailed"})
            if user in DENIALS:
                status, desc = DENIALS[user]
                return self.json(status, {"error": "access_denied", "error_description": desc})
            return self.json(200, self.issue(user, f.get("scope", "")))
        self.json(400, {"error": "unsupported_grant_type"})

    def logout(self, q):
        user = self.bearer_user()
        s_user, sid = self.session_user()
        self.record("/auth/logout", user or s_user)
        with self.st.lock:
            self.st.sessions.pop(sid, None)
        self.redirect(q.get("callback", "/"), [
            ("Set-Cookie", "oneSessionId=; Path=/; Max-Age=0"),
            ("Set-Cookie", "authenticated=; Path=/; Max-Age=0")])

    # ---- API ----
    def api(self, path, q):
        user = self.bearer_user()
        self.record(path, user)
        if not user:
            return self.json(401, {"error": "invalid_token"})
        if path == "/auth/user/requirements":
            return self.send(200, doc(self.st, REQUIREMENTS.get(user, "requirements-none.json")))
        if path == "/auth/oauth2/userinfo":
            info = json.loads(doc(self.st, "userinfo.json"))
            if "version=2.0" not in self.headers.get("Accept", "") and q.get("version") != "2.0":
                for k in ("apps", "structures", "functions", "groupsIds", "children",
                          "classNames", "structureNames", "federated"):
                    info.pop(k, None)
            return self.json(200, info)
        if path == "/auth/oauth2/token" and q.get("type") == "queryparam":
            # the short JWT a browser page takes as ?queryparam_token=
            if self.st.queryparam_off:
                return self.json(404, {"error": "not found"})
            jwt = "eyJ.qp-" + str(uuid.uuid4()) + ".sig"
            with self.st.lock:
                self.st.queryparam[jwt] = (user, time.time() + 30)
            return self.json(200, {"token_type": "QueryParam", "access_token": jwt,
                                   "expires_in": 30})
        if path == "/cas/oauth/login":
            # a CAS ticket for a connector, by OAuth token: 200 with Location
            svc = q.get("service", "")
            sep = "&" if "?" in svc else "?"
            return self.send(200, b"", "text/plain",
                             [("Location", f"{svc}{sep}ticket=ST-{uuid.uuid4().hex}")])
        if path == "/applications-list":
            return self.send(200, doc(self.st, "applications-list.json"))
        if path == "/userbook/preference/apps":
            return self.send(200, doc(self.st, "preference-apps.json"))
        if path == "/workspace/documents":
            if q.get("parentId") == "folder-1":
                return self.send(200, doc(self.st, "documents-folder-1.json"))
            return self.send(200, doc(self.st, "documents.json") if not q.get("parentId") else b"[]")
        if path.startswith("/workspace/document/") and "thumbnail" not in q:
            return self.document(path)
        if path.startswith("/workspace/document/"):
            # a document's thumbnail (a 1x1 PNG), only with the token
            png = base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
            return self.send(200, png, "image/png")
        if path == "/gar/resources":
            if q.get("structure") == "s-0123456X":
                return self.send(200, doc(self.st, "gar-resources.json"))
            return self.send(200, b"[]")
        self.json(404, {"error": "not found"})

    # ---- web pages, as a browser sees them ----
    def new_session(self, user):
        sid = str(uuid.uuid4())
        with self.st.lock:
            self.st.sessions[sid] = user
        sec = "; Secure" if self.server.tls else ""
        return [("Set-Cookie", f"oneSessionId={sid}; Path=/; HttpOnly{sec}"),
                ("Set-Cookie", f"authenticated=true; Path=/{sec}"),
                ("Set-Cookie", f"XSRF-TOKEN={uuid.uuid4().hex}; Path=/{sec}")]

    def page(self, path, q):
        headers, user, via = [], None, "none"
        jwt = q.get("queryparam_token")
        if jwt:
            with self.st.lock:
                entry = self.st.queryparam.get(jwt)
            if entry and entry[1] >= time.time():
                user, via = entry[0], "queryparam"
                headers = self.new_session(user)
        if not user:
            user, _ = self.session_user()
            via = "cookie" if user else "none"
        with self.st.lock:
            self.st.calls.append({"method": "GET", "path": path, "user": user, "via": via,
                                  "bearer": False, "accept": self.headers.get("Accept", "")})
        if not user:
            return self.redirect("/auth/login?" + urllib.parse.urlencode({"callback": path}))
        info = json.loads(doc(self.st, "userinfo.json"))
        name = f"{info.get('firstName', '')} {info.get('lastName', user)}"
        who = html.escape(f"Signed in as {name}")
        self.send(200, f"""<!DOCTYPE html><html><head><title>{who}</title></head>
<body style="background:#15803d;color:#fff;font-size:48px"><h1 id="who">{who}</h1>
<p>{html.escape(path)}</p><script>
document.cookie = "ent-pref=kept; path=/";
localStorage.setItem("ent-test", "kept-" + Date.now());
</script></body></html>""", "text/html", headers)

    def token_as_cookie(self):
        user = self.bearer_user()
        self.record("/auth/oauth2/token-as-cookie", user)
        if not user:
            return self.json(401, {"error": "invalid_token"})
        self.json(200, {"succces": True}, self.new_session(user))

    # ---- workspace files ----
    def make_file(self, doc_id):
        if doc_id in ("d-old",) or doc_id.startswith("preview-"):
            return pdf_bytes(["Cours 2023 - page 1", "Cours 2023 - page 2"]), "application/pdf"
        if doc_id == "d-new":
            return base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), "image/png"
        if doc_id == "d-volcan":
            out = os.path.join(tempfile.mkdtemp(prefix="fake-entcore-"), "v.mp4")
            cmd = ["gst-launch-1.0", "-q", "videotestsrc", "num-buffers=90", "pattern=ball", "!",
                   "video/x-raw,width=320,height=240,framerate=30/1", "!", "x264enc",
                   "tune=zerolatency", "!", "mp4mux", "!", "filesink", f"location={out}"]
            try:
                subprocess.run(cmd, check=True, timeout=60, capture_output=True)
                with open(out, "rb") as f:
                    data = f.read()
            except (OSError, subprocess.SubprocessError):
                return None
            finally:
                shutil.rmtree(os.path.dirname(out), ignore_errors=True)
            return data, "video/mp4"
        return None

    def document(self, path):
        rest = path[len("/workspace/document/"):]
        doc_id = "preview-" + rest[len("preview/"):] if rest.startswith("preview/") else rest
        doc_id = urllib.parse.unquote(doc_id)
        with self.st.lock:
            f = self.st.files.get(doc_id)
        if f is None:
            f = self.make_file(doc_id)
            if f is None:
                return self.json(404, {"error": "not found"})
            with self.st.lock:
                self.st.files[doc_id] = f
        self.send(200, f[0], f[1])

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        if u.path in PAGES:
            return self.page(u.path, q)
        if u.path == "/__test/queryparam":
            self.st.queryparam_off = q.get("off") == "1"
            return self.json(200, {"off": self.st.queryparam_off})
        if u.path == "/auth/oauth2/auth":
            return self.authorize(q)
        if u.path == "/auth/login":
            return self.login_page(q)
        if u.path == "/auth/logout":
            return self.logout(q)
        if u.path.startswith("/lists/") and u.path.endswith(".json"):
            # a technician's resource list served over https (not entcore's)
            name = os.path.basename(u.path)
            path = os.path.join(self.st.data, "..", "lists", name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    return self.send(200, f.read())
            return self.send(404, b"{}")
        if u.path == "/__test/calls":
            with self.st.lock:
                return self.json(200, self.st.calls)
        self.api(u.path, q)

    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        if u.path == "/auth/login":
            return self.login()
        if u.path == "/auth/oauth2/token":
            return self.token()
        if u.path == "/auth/oauth2/token-as-cookie":
            return self.token_as_cookie()
        self.json(404, {"error": "not found"})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--client-id", required=True)
    p.add_argument("--secret-file", required=True)
    p.add_argument("--http-port-file",
                   help="also serve plain HTTP on a free port, written there (a browser "
                        "that cannot be told about the test CA)")
    a = p.parse_args()
    with open(a.secret_file) as f:
        secret = f.readline().strip()
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    server.state = State(a.data, a.client_id, secret)
    server.tls = True
    if a.http_port_file:
        plain = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        plain.daemon_threads = True
        plain.state = server.state
        plain.tls = False
        threading.Thread(target=plain.serve_forever, daemon=True).start()
        with open(a.http_port_file + ".tmp", "w") as f:
            f.write(str(plain.server_address[1]))
        os.replace(a.http_port_file + ".tmp", a.http_port_file)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
