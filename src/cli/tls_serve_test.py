#!/usr/bin/python3
"""`kclinic serve` over TLS and behind nginx, checked by clients and tools no one here wrote (issue 15 §2, §3).

Run by CTest as: tls_serve_test.py KCLINIC_BINARY NGINX_CONFIG SSLSCAN NGINX, the config being
docs/nginx/kclinic.conf. Every server is a real `kclinic serve --demo` on a fresh SQLite file; certificates are made
at test time with `openssl req`. The clients are Python's ssl module (OpenSSL), `openssl s_client`, Debian's sslscan
and Debian's nginx.

Why sslscan and not testssl.sh: both are packaged by Debian; sslscan is one C program that tests every protocol and
cipher of a listener in seconds (SSLv2/v3 with its own raw handshakes), while testssl.sh runs hundreds of openssl
processes from bash and takes minutes per listener, too slow for `make test`.
"""

import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

KCLINIC = ""
NGINX_CONFIG = ""
SSLSCAN = "sslscan"
NGINX = "nginx"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"
# How long any awaited condition may take before the test fails: a bound, never a pause.
DEADLINE_S = 60


def await_condition(condition, what):
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder, name):
    """A self-signed P-256 certificate for 127.0.0.1 and localhost: (certificate file, key file)."""
    cert, key = os.path.join(folder, name + ".crt"), os.path.join(folder, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=" + name,
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key


def fingerprint_of_file(cert):
    with open(cert) as pem:
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem.read())).hexdigest()


class Server:
    """`kclinic serve --demo` on a free port; its demo logins and its log (stderr) file."""

    def __init__(self, folder, name, *options):
        self.log_path = os.path.join(folder, name + ".log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [KCLINIC, "serve", "--db", "sqlite:" + os.path.join(folder, name + ".db"), "--listen", "127.0.0.1:0",
             "--demo", "--demo-feed-interval", "3600", "--workers", "4", *options],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        first = self.process.stdout.readline()
        match = re.match(r"kclinic serving on (https?)://127\.0\.0\.1:(\d+) ", first)
        if not match:
            self.stop()
            raise AssertionError("unexpected first line: " + first + self.log_text())
        self.scheme, self.port = match.group(1), int(match.group(2))
        self.logins = {}
        for line in self.process.stdout:
            if line.startswith("  "):
                role, email, password = line.split()[:3]
                self.logins[role] = (email, password)
                if "nurse" in self.logins and "admin" in self.logins:
                    break

    def log_text(self):
        with open(self.log_path) as log:
            return log.read()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=DEADLINE_S)
        self.process.stdout.close()
        self.log.close()


def client_context(version=None, verify_file=None):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if verify_file:
        context.load_verify_locations(verify_file)
    else:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if version:
        context.minimum_version = context.maximum_version = version
    return context


def request(connection, method, path, body=None, headers=None):
    """One exchange on `connection`: (status, {lower-case header: value}, body bytes)."""
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()


def fetch(connection, method, path, body=None, headers=None):
    """request() on a connection of its own, closed afterwards."""
    try:
        return request(connection, method, path, body, headers)
    finally:
        connection.close()


def login(connection, credentials):
    """Logs in on `connection` (closed afterwards): the session cookie as Set-Cookie sent it."""
    email, password = credentials
    status, headers, body = fetch(connection, "POST", "/api/v1/auth/login",
                                  json.dumps({"email": email, "password": password}),
                                  {"Content-Type": "application/json"})
    assert status == 200, body
    return headers["set-cookie"]


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def websocket_upgrade(sock, host, cookie):
    """Upgrades `sock` (plain or TLS) to the live channel with a browser's session `cookie` and subscribes to the
    board: (the upgrade's status line, the first message the server sends)."""
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(("GET /api/v1/live HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: https://{host}\r\n"
                  "Cookie: {cookie}\r\n\r\n").format(host=host, key=key, cookie=cookie.split(";")[0]).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            break
        head += chunk
    status_line = head.split(b"\r\n")[0].decode()
    if " 101 " not in status_line:
        return status_line, head.decode(errors="replace")
    message = b'{"subscribe":"board"}'
    mask = os.urandom(4)
    sock.sendall(bytes([0x81, 0x80 | len(message)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(message)))
    first = sock.recv(2)
    length = first[1] & 0x7F
    if length == 126:
        length = int.from_bytes(sock.recv(2), "big")
    payload = b""
    while len(payload) < length:
        payload += sock.recv(length - len(payload))
    return status_line, payload.decode()


def weaknesses(scan):
    """What sslscan's text output shows that a clinic's listener must not offer."""
    found = []
    for protocol in ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1"):
        if re.search(r"^" + re.escape(protocol) + r"\s+enabled", scan, re.MULTILINE):
            found.append(protocol + " enabled")
    for line in scan.splitlines():
        if line.startswith(("Accepted", "Preferred")):
            cipher = line.split()[4]
            # RC4, DES and 3DES, NULL, EXPORT, anonymous (ADH, AECDH), MD5, and every CBC suite (their names end
            # in SHA, SHA256 or SHA384 without GCM, CHACHA20 or CCM): TLS 1.2 offers AEAD ciphers only.
            if re.search(r"RC4|DES|NULL|EXP|ADH|AECDH|anon|MD5", cipher) or not re.search(
                    r"GCM|CHACHA20|CCM|^TLS_", cipher):
                found.append("cipher " + cipher)
    if "Insecure session renegotiation supported" in scan:
        found.append("insecure renegotiation")
    if re.search(r"Compression enabled", scan):
        found.append("compression")
    return found


class TlsServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="kclinic-tls-")
        cls.first_cert, cls.first_key = make_certificate(cls.folder, "first")
        cls.second_cert, cls.second_key = make_certificate(cls.folder, "second")
        # The server reads these paths; the reload test replaces their contents.
        cls.cert, cls.key = os.path.join(cls.folder, "served.crt"), os.path.join(cls.folder, "served.key")
        shutil.copy(cls.first_cert, cls.cert)
        shutil.copy(cls.first_key, cls.key)
        # Clients trust both: the reload test leaves the second one served, whatever order the tests run in.
        cls.trusted = os.path.join(cls.folder, "trusted.pem")
        with open(cls.trusted, "w") as bundle:
            for cert in (cls.first_cert, cls.second_cert):
                with open(cert) as pem:
                    bundle.write(pem.read())
        cls.tls = Server(cls.folder, "tls", "--tls-cert", cls.cert, "--tls-key", cls.key)
        cls.plain = Server(cls.folder, "plain", "--trusted-proxy", "127.0.0.1")

    @classmethod
    def tearDownClass(cls):
        cls.tls.stop()
        cls.plain.stop()
        shutil.rmtree(cls.folder)

    def https(self, version=None):
        return http.client.HTTPSConnection("127.0.0.1", self.tls.port, timeout=DEADLINE_S,
                                           context=client_context(version, verify_file=self.trusted))

    def test_tls_1_3_and_1_2_are_served_with_hsts(self):
        for version, name in ((ssl.TLSVersion.TLSv1_3, "TLSv1.3"), (ssl.TLSVersion.TLSv1_2, "TLSv1.2")):
            connection = self.https(version)
            try:
                status, headers, _ = request(connection, "GET", "/healthz")
                self.assertEqual(status, 200, name)
                self.assertEqual(connection.sock.version(), name)
                self.assertEqual(headers.get("strict-transport-security"), HSTS, name)
                if version == ssl.TLSVersion.TLSv1_2:
                    self.assertRegex(connection.sock.cipher()[0], r"^ECDHE-(ECDSA|RSA)-(AES\d+-GCM|CHACHA20)")
            finally:
                connection.close()

    def test_tls_1_0_and_1_1_are_refused_by_the_server(self):
        for flag in ("-tls1", "-tls1_1"):
            # The client is allowed the old protocol (security level 0), so a failure is the server's refusal.
            attempt = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % self.tls.port, flag,
                                      "-cipher", "DEFAULT:@SECLEVEL=0"],
                                     input="", capture_output=True, text=True, timeout=DEADLINE_S)
            self.assertNotEqual(attempt.returncode, 0, flag)
            self.assertRegex(attempt.stdout + attempt.stderr, r"alert protocol version|unsupported protocol", flag)

    def test_sslscan_finds_no_weak_protocol_or_cipher(self):
        scan = subprocess.run([SSLSCAN, "--no-colour", "127.0.0.1:%d" % self.tls.port], capture_output=True,
                              text=True, timeout=120).stdout
        self.assertIn("TLSv1.3   enabled", scan)
        self.assertIn("TLSv1.2   enabled", scan)
        self.assertRegex(scan, r"Accepted|Preferred")
        self.assertEqual(weaknesses(scan), [], scan)

    def test_the_sslscan_check_fails_on_a_weak_server(self):
        # The same check against openssl's own test server configured as a clinic must not be: it has to object.
        port = free_port()
        weak = subprocess.Popen(["openssl", "s_server", "-accept", "127.0.0.1:%d" % port, "-cert", self.first_cert,
                                 "-key", self.first_key, "-cipher", "ALL:@SECLEVEL=0", "-no_tls1_3", "-www"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            await_condition(lambda: listening(port), "openssl s_server")
            scan = subprocess.run([SSLSCAN, "--no-colour", "127.0.0.1:%d" % port], capture_output=True,
                                  text=True, timeout=120).stdout
        finally:
            weak.kill()
            weak.wait()
        found = weaknesses(scan)
        self.assertIn("TLSv1.0 enabled", found, scan)
        self.assertTrue(any(item.startswith("cipher ") for item in found), scan)

    def test_every_answer_carries_the_security_headers(self):
        cookies = {
            self.tls: login(self.https(), self.tls.logins["nurse"]).split(";")[0],
            self.plain: login(http.client.HTTPConnection("127.0.0.1", self.plain.port, timeout=DEADLINE_S),
                              self.plain.logins["nurse"]).split(";")[0],
        }
        oversized = "x" * (2 << 20)
        walk = [
            ("GET", "/", None, {}, 200),
            ("GET", "/index.html", None, {}, 200),
            ("HEAD", "/", None, {}, 200),
            ("GET", "/healthz", None, {}, 200),
            ("GET", "/metrics", None, {}, 200),
            ("GET", "/api/v1/patients", None, {}, 401),
            ("GET", "/api/v1/patients", None, {"Cookie": None}, 200),
            ("GET", "/api/v1/auth/me", None, {"Cookie": None}, 200),
            ("GET", "/api/v1/no-such-route", None, {}, 404),
            ("DELETE", "/healthz", None, {}, 405),
            ("GET", "/api/v1/patients?after=%zz", None, {}, 400),
            ("POST", "/api/v1/auth/login", "{not json", {"Content-Type": "application/json"}, 400),
            ("POST", "/api/v1/auth/login", "{}", {"Content-Type": "text/plain"}, 415),
            ("POST", "/api/v1/auth/login", oversized, {"Content-Type": "application/json"}, 413),
            ("GET", "/api/v1/live", None, {}, 426),
            ("GET", "/api/v1/live", None, {"Upgrade": "websocket", "Connection": "Upgrade",
                                           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                                           "Sec-WebSocket-Version": "13"}, 401),
        ]
        for server, secure in ((self.tls, True), (self.plain, False)):
            for method, path, body, headers, expected in walk:
                if secure:
                    connection = self.https()
                else:
                    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE_S)
                if "Cookie" in headers:
                    headers = dict(headers, Cookie=cookies[server])
                what = "%s %s %s" % (server.scheme, method, path)
                status, answer, _ = fetch(connection, method, path, body, headers)
                self.assertEqual(status, expected, what)
                for name, value in SECURITY_HEADERS.items():
                    self.assertEqual(answer.get(name), value, what + ": " + name)
                self.assertIn("frame-ancestors 'none'", answer.get("content-security-policy", ""), what)
                self.assertEqual(answer.get("strict-transport-security"), HSTS if secure else None, what)

    def test_the_live_channel_speaks_wss(self):
        cookie = login(self.https(), self.tls.logins["nurse"])
        raw = socket.create_connection(("127.0.0.1", self.tls.port), timeout=DEADLINE_S)
        with client_context(verify_file=self.trusted).wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            status, message = websocket_upgrade(tls, "127.0.0.1:%d" % self.tls.port, cookie)
        self.assertIn(" 101 ", status, message)
        self.assertEqual(json.loads(message), {"type": "subscribed", "topic": "board"})

    def test_sighup_swaps_the_certificate_and_keeps_open_connections(self):
        kept = http.client.HTTPSConnection("127.0.0.1", self.tls.port, timeout=DEADLINE_S, context=client_context())
        self.assertEqual(request(kept, "GET", "/healthz")[0], 200)
        first = hashlib.sha256(kept.sock.getpeercert(binary_form=True)).hexdigest()
        self.assertEqual(first, fingerprint_of_file(self.first_cert))

        def served_fingerprint():
            raw = socket.create_connection(("127.0.0.1", self.tls.port), timeout=DEADLINE_S)
            with client_context().wrap_socket(raw) as tls:
                return hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest()

        def reload_lines(outcome):
            return [line for line in self.tls.log_text().splitlines() if '"tls.reload"' in line and outcome in line]

        shutil.copy(self.second_cert, self.cert)
        shutil.copy(self.second_key, self.key)
        self.tls.process.send_signal(signal.SIGHUP)
        await_condition(lambda: reload_lines("loaded"), "the reload's log line")
        self.assertEqual(served_fingerprint(), fingerprint_of_file(self.second_cert))
        # The connection opened before the reload goes on, on its first certificate.
        self.assertEqual(request(kept, "GET", "/healthz")[0], 200)
        self.assertEqual(hashlib.sha256(kept.sock.getpeercert(binary_form=True)).hexdigest(), first)

        # A key that does not belong to the certificate is refused, logged, and the second certificate stays.
        shutil.copy(self.first_key, self.key)
        self.tls.process.send_signal(signal.SIGHUP)
        refused = await_condition(lambda: reload_lines("refused"), "the refused reload's log line")
        self.assertIn("not the key of the certificate", refused[0])
        self.assertEqual(served_fingerprint(), fingerprint_of_file(self.second_cert))
        self.assertEqual(request(kept, "GET", "/healthz")[0], 200)
        kept.close()
        self.assertIsNone(self.tls.process.poll())

    def test_nginx_in_front_with_the_shipped_configuration(self):
        nginx_port = free_port()
        prefix = os.path.join(self.folder, "nginx")
        os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
        os.chmod(self.folder, 0o755)
        os.chmod(prefix, 0o777)
        with open(NGINX_CONFIG) as shipped:
            site = shipped.read()
        # The shipped file's deployment values, replaced by this test's.
        for deployed, here in (("listen 443 ssl;", "listen 127.0.0.1:%d ssl;" % nginx_port),
                               ("listen [::]:443 ssl;", ""),
                               ("/etc/ssl/certs/kclinic.crt", self.first_cert),
                               ("/etc/ssl/private/kclinic.key", self.first_key),
                               ("server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % self.plain.port)):
            self.assertIn(deployed, site)
            site = site.replace(deployed, here)
        with open(os.path.join(prefix, "kclinic.conf"), "w") as out:
            out.write(site)
        with open(os.path.join(prefix, "nginx.conf"), "w") as out:
            out.write(("%s\ndaemon off;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log stderr;\nevents {}\n"
                       "http {\n    access_log off;\n    client_body_temp_path %s/body;\n"
                       "    proxy_temp_path %s/proxy;\n    fastcgi_temp_path %s/fastcgi;\n"
                       "    uwsgi_temp_path %s/uwsgi;\n    scgi_temp_path %s/scgi;\n    include %s/kclinic.conf;\n}\n")
                      % ("user root;" if os.geteuid() == 0 else "", prefix, prefix, prefix, prefix, prefix, prefix,
                         prefix))
        nginx = subprocess.Popen([NGINX, "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"), "-e", "stderr"],
                                 stderr=subprocess.PIPE, text=True)
        try:
            await_condition(lambda: nginx.poll() is not None or listening(nginx_port), "nginx to listen")
            self.assertIsNone(nginx.poll(), nginx.stderr.read() if nginx.poll() is not None else "")

            def through():
                return http.client.HTTPSConnection("127.0.0.1", nginx_port, timeout=DEADLINE_S,
                                                   context=client_context(verify_file=self.first_cert))

            cookie = login(through(), self.plain.logins["nurse"])
            self.assertIn("; Secure", cookie)  # the trusted proxy said https
            status, headers, body = fetch(through(), "GET", "/api/v1/patients",
                                          headers={"Cookie": cookie.split(";")[0]})
            self.assertEqual(status, 200, body)
            self.assertTrue(json.loads(body)["items"])
            self.assertEqual(headers.get("strict-transport-security"), HSTS)
            raw = socket.create_connection(("127.0.0.1", nginx_port), timeout=DEADLINE_S)
            with client_context(verify_file=self.first_cert).wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                status, message = websocket_upgrade(tls, "127.0.0.1:%d" % nginx_port, cookie)
            self.assertIn(" 101 ", status, message)
            self.assertEqual(json.loads(message), {"type": "subscribed", "topic": "board"})
        finally:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=DEADLINE_S)
            nginx.stderr.close()


if __name__ == "__main__":
    KCLINIC, NGINX_CONFIG, SSLSCAN, NGINX = sys.argv[1:5]
    unittest.main(argv=sys.argv[:1], verbosity=2)
