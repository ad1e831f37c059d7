#!/usr/bin/env python3
"""Soak under faults (issue 15 §4): mixed clinic traffic against a real `kclinic serve` while it is killed with
SIGKILL and restarted, while its PostgreSQL server is stopped and restarted underneath it, and while the disk under
its SQLite file is full. Then the checks: no acknowledged write lost, none stored twice, an audit entry for every
acknowledged read and write, only 503 `unavailable` (never a 500, never a crash) while the database is away, recovery
without help, RSS flat after warm-up, no file descriptor leaked. Prints the figures (docs/benchmarks.md "Soak under
faults") and exits 1 when a check fails.

python3 bench/soak/soak.py --kclinic build/release/kclinic [--backend sqlite|postgres|both] [--seconds N]

Only the standard library: the HTTP client is http.client, the live channel's WebSocket (RFC 6455) is the few lines
below, and the disk fills on a tmpfs mounted for the run (so it needs root; without it the disk phase is skipped and
the report says so). Every request is one of the clinic's: logins, chart reads, vital sign writes, live subscribers
and `kclinic export`.
"""

import argparse
import base64
import glob
import http.client
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

PASSWORD = "correct horse battery staple"
WRITERS = 3
READERS = 2
SUBSCRIBERS = 2
PATIENTS = 12
# A request that takes longer than this is a hang, not a slow answer (the server's own timeouts are 30 s).
REQUEST_TIMEOUT_S = 15
# A restarted server or database must answer again within this (docs/operations.md promises no manual step at all).
RECOVERY_LIMIT_S = 30
# What a store's own error message holds (the library's name, the SQL it ran): never in an answer's body.
DATABASE_WORDS = ("SQLite", "PostgreSQL", "(in: ", "127.0.0.1")


class Clinic:
    """The server process on one database, started and killed as the phases ask."""

    def __init__(self, kclinic, db_url, workdir, env):
        self.kclinic = kclinic
        self.db_url = db_url
        self.workdir = workdir
        self.env = env
        self.process = None
        self.port = 0
        self.starts = 0
        self.log = open(os.path.join(workdir, "serve.log"), "ab")

    def start(self):
        args = [self.kclinic, "serve", "--db", self.db_url, "--listen", "127.0.0.1:%d" % self.port]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, env=self.env)
        line = self.process.stdout.readline().decode()
        # "kclinic serving on http://127.0.0.1:PORT (database: ...)"
        if "serving on http://127.0.0.1:" not in line:
            raise RuntimeError("kclinic serve did not start: %r (see %s/serve.log)" % (line, self.workdir))
        self.port = int(line.split("127.0.0.1:")[1].split()[0].rstrip("/"))
        self.starts += 1
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def parallel(self, commands):
        """Runs each (args, stdin) of `commands` as `run` does, all at once; their CompletedProcess in order."""
        results = [None] * len(commands)

        def one(i):
            results[i] = self.run(*commands[i])

        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(commands))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def run(self, args, stdin=""):
        return subprocess.run([self.kclinic] + args + ["--db", self.db_url], input=stdin.encode(),
                              capture_output=True, env=self.env, timeout=120)

    def rss_kb(self):
        with open("/proc/%d/status" % self.process.pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def log_mentions(self, text):
        """How many lines of the server's log (all its runs) hold `text`."""
        self.log.flush()
        with open(os.path.join(self.workdir, "serve.log"), "rb") as log:
            return sum(1 for line in log if text.encode() in line)

    def fd_count(self):
        return len(os.listdir("/proc/%d/fd" % self.process.pid))


class Client:
    """A browser-like client: session cookie and CSRF token, one kept-alive connection, reopened after a failure."""

    def __init__(self, soak, email):
        self.soak = soak
        self.email = email
        self.connection = None
        self.cookie = ""
        self.csrf = ""

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, kind, method, target, body=None):
        """(status, parsed body); status 0 when no answer came (the server is down or the connection broke)."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if method != "GET" and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.soak.clinic.port,
                                                             timeout=REQUEST_TIMEOUT_S)
            self.connection.request(method, target, body=data, headers=headers)
            response = self.connection.getresponse()
            text = response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            self.soak.record(kind, 0, None, time.monotonic() - started)
            return 0, None
        parsed = None
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        if status == 200 and target == "/api/v1/auth/login":
            cookie = response.getheader("Set-Cookie", "")
            self.cookie = cookie.split(";")[0]
            self.csrf = parsed["csrf_token"]
        self.soak.record(kind, status, parsed, time.monotonic() - started, text)
        return status, parsed

    def login(self):
        status, _ = self.request("login", "POST", "/api/v1/auth/login", {"email": self.email, "password": PASSWORD})
        return status == 200

    def ensure_login(self):
        while not self.soak.stopping.is_set():
            if self.cookie or self.login():
                return True
            self.soak.wait_a_little()
        return False


class LiveSubscriber:
    """A WebSocket client of /api/v1/live watching the board; reconnects whenever the connection ends."""

    def __init__(self, soak, token):
        self.soak = soak
        self.token = token
        self.sock = None

    def connect(self):
        self.sock = socket.create_connection(("127.0.0.1", self.soak.clinic.port), timeout=REQUEST_TIMEOUT_S)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                           "Authorization: Bearer %s\r\n\r\n" % (self.soak.clinic.port, key, self.token)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise OSError("closed during the upgrade")
            head += chunk
        status = int(head.split(b" ", 2)[1])
        if status != 101:
            raise OSError("upgrade answered %d" % status)
        self.buffer = head.split(b"\r\n\r\n", 1)[1]
        self.send_text(json.dumps({"subscribe": "board"}))

    def send_text(self, text):
        payload = text.encode()
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        assert len(payload) < 126  # our messages are short
        self.sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)

    def read_exactly(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("closed")
            self.buffer += chunk
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def next_message(self):
        first, second = self.read_exactly(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self.read_exactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self.read_exactly(8))[0]
        payload = self.read_exactly(length)
        opcode = first & 0x0F
        if opcode == 0x8:
            raise OSError("close frame")
        if opcode == 0x9:  # ping: answer with a pong carrying the same payload
            mask = os.urandom(4)
            self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask +
                              bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            return None
        return json.loads(payload) if opcode == 0x1 else None

    def run(self):
        while not self.soak.stopping.is_set():
            if self.soak.paused.is_set():
                self.soak.wait_while_paused()
                continue
            try:
                self.connect()
                self.soak.count("live_connections")
                self.sock.settimeout(0.5)
                while not self.soak.stopping.is_set() and not self.soak.paused.is_set():
                    try:
                        message = self.next_message()
                    except socket.timeout:
                        continue
                    if message and message.get("type") == "vital_sign":
                        self.soak.count("live_vital_events")
            except (OSError, ValueError):
                self.soak.count("live_disconnects")
                self.soak.wait_a_little()
            finally:
                if self.sock is not None:
                    self.sock.close()
                    self.sock = None


class Soak:
    def __init__(self, clinic, backend, staff_emails):
        self.clinic = clinic
        self.backend = backend
        self.patients = []
        self.staff = staff_emails
        self.stopping = threading.Event()
        self.paused = threading.Event()
        self.lock = threading.Lock()
        self.phase = "warm-up"
        self.by_phase = defaultdict(Counter)          # phase -> "kind status" -> n
        self.phase_seconds = Counter()
        self.bad_bodies = []                          # 5xx answers that were not a precise 503 unavailable
        self.counters = Counter()
        self.sample_503 = {}                          # kind of request -> the first 503 body it got
        self.export_failures = []                     # what `kclinic export` said when it failed, the first few
        self.acknowledged = {}                        # observed_at -> (patient, vital id)
        self.unacknowledged = set()                   # observed_at of writes without a definite answer
        self.reads = Counter()                        # (actor, action, patient) -> acknowledged reads
        self.sequence = 0
        self.base = datetime.now(timezone.utc) - timedelta(hours=2)
        self.busy_workers = 0
        self.idle = threading.Condition(self.lock)

    # Bookkeeping -----------------------------------------------------------------------------------------------
    def record(self, kind, status, body, seconds, text=b""):
        with self.lock:
            self.by_phase[self.phase]["%s %d" % (kind, status)] += 1
            if status == 503 and kind not in self.sample_503:
                self.sample_503[kind] = text[:300].decode(errors="replace")
            if status >= 500:
                error = (body or {}).get("error", {}) if isinstance(body, dict) else {}
                if status != 503 or error.get("code") != "unavailable" or not error.get("message"):
                    self.bad_bodies.append("%s %s %d %s" % (self.phase, kind, status, text[:300]))
                elif any(word in error["message"] for word in DATABASE_WORDS):
                    # The cause belongs in the server's log, not in an answer to whoever asked (docs/api.md "Errors").
                    self.bad_bodies.append("%s %s %d names the database's failure: %s" %
                                           (self.phase, kind, status, text[:300]))

    def count(self, name, n=1):
        with self.lock:
            self.counters[name] += n

    def wait_a_little(self):
        # Backing off while the server or its database is away; stopping or pausing ends it at once.
        self.stopping.wait(0.05 + random.random() * 0.1)

    def wait_while_paused(self):
        with self.lock:
            self.busy_workers -= 1
            self.idle.notify_all()
        while self.paused.is_set() and not self.stopping.is_set():
            self.stopping.wait(0.05)
        with self.lock:
            self.busy_workers += 1

    def next_observed_at(self):
        with self.lock:
            self.sequence += 1
            # One millisecond apart, two hours ago: inside the late-entry limit, and each write's own key.
            at = self.base + timedelta(milliseconds=self.sequence)
        return at.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (at.microsecond // 1000)

    # Traffic ---------------------------------------------------------------------------------------------------
    def logged_in_loop(self, email, step):
        """Runs step(client, patient) -> status over and over as `email`: paused when asked, logged in again after a
        401, backing off while the server or its database is away."""
        client = Client(self, email)
        while not self.stopping.is_set():
            if self.paused.is_set():
                client.close()
                self.wait_while_paused()
                continue
            if not client.ensure_login():
                break
            status = step(client, random.choice(self.patients))
            if status == 401:
                client.cookie = ""
            elif status in (0, 503):
                self.wait_a_little()

    def write_vital(self, client, patient):
        observed_at = self.next_observed_at()
        status, body = client.request("vital_write", "POST", "/api/v1/patients/%d/vitals" % patient,
                                      {"loinc": "8867-4", "value": random.randint(55, 110), "unit": "/min",
                                       "observed_at": observed_at})
        with self.lock:
            if status == 201:
                self.acknowledged[observed_at] = (patient, body["id"])
            else:
                # No definite answer, or a refusal: stored at most once (a refusal, 4xx or 503 before the commit, not
                # at all); the check accepts 0 or 1 copies of each.
                self.unacknowledged.add(observed_at)
        return status

    def read_chart(self, client, patient):
        if random.random() < 0.5:
            kind, action, target = "chart_read", "patient.read", "/api/v1/patients/%d" % patient
        else:
            kind, action, target = "vitals_read", "vital_sign.list", "/api/v1/patients/%d/vitals?limit=20" % patient
        status, _ = client.request(kind, "GET", target)
        if status == 200:
            with self.lock:
                self.reads[(client.email, action, patient)] += 1
        return status

    def login_churn(self, email):
        # Logins as a clinic makes them: a nurse logs in, reads the list, logs out.
        while not self.stopping.is_set():
            if self.paused.is_set():
                self.wait_while_paused()
                continue
            client = Client(self, email)
            if client.login():
                client.request("patient_list", "GET", "/api/v1/patients?limit=20")
                client.request("logout", "POST", "/api/v1/auth/logout")
            else:
                self.wait_a_little()
            client.close()
            # Each login hashes a password (Argon2id, 64 MiB): a few a second is a busy clinic's morning.
            self.stopping.wait(0.5)

    def exporter(self):
        # `kclinic export`, the whole record, beside the running server (docs/operations.md).
        while not self.stopping.is_set():
            if self.paused.is_set():
                self.wait_while_paused()
                continue
            run = self.clinic.run(["export", "--format", "ndjson"])
            with self.lock:
                self.by_phase[self.phase]["export exit %d" % run.returncode] += 1
                if run.returncode != 0 and len(self.export_failures) < 5:
                    self.export_failures.append("%s: %s" % (self.phase, run.stderr.decode().strip()[:300]))
            self.stopping.wait(2.0)

    def start_traffic(self, tokens):
        threads = []
        for i in range(WRITERS):
            threads.append(threading.Thread(target=self.logged_in_loop,
                                            args=(self.staff[i % len(self.staff)], self.write_vital)))
        for i in range(READERS):
            threads.append(threading.Thread(target=self.logged_in_loop,
                                            args=(self.staff[(WRITERS + i) % len(self.staff)], self.read_chart)))
        threads.append(threading.Thread(target=self.login_churn, args=(self.staff[0],)))
        threads.append(threading.Thread(target=self.exporter))
        for token in tokens:
            threads.append(threading.Thread(target=LiveSubscriber(self, token).run))
        self.busy_workers = len(threads)
        for thread in threads:
            thread.daemon = True
            thread.start()
        return threads

    def pause(self):
        """Stops the traffic and waits until every worker has closed its connections."""
        self.paused.set()
        with self.lock:
            self.idle.wait_for(lambda: self.busy_workers == 0, timeout=60)

    def resume(self):
        self.paused.clear()

    def set_phase(self, name):
        with self.lock:
            self.phase = name


def settled_fd_count(clinic):
    """The server's open descriptors once closed client connections are gone (the count stops changing)."""
    previous = -1
    for _ in range(100):
        current = clinic.fd_count()
        if current == previous:
            return current
        previous = current
        time.sleep(0.2)
    return previous


def healthz(clinic):
    """GET /healthz: "STATUS BODY", or "no answer"."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", clinic.port, timeout=REQUEST_TIMEOUT_S)
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        return "%d %s" % (response.status, response.read().decode(errors="replace")[:300])
    except (OSError, http.client.HTTPException):
        return "no answer"


def await_health(clinic, limit_s):
    """Seconds until /healthz answers 200 (None when it does not within limit_s)."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", clinic.port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return time.monotonic() - started
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    return None


def slope_mb_per_min(samples):
    """Least-squares slope of (seconds, kB) samples, in MB/min."""
    if len(samples) < 3:
        return 0.0
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_v = sum(v for _, v in samples) / n
    covariance = sum((t - mean_t) * (v - mean_v) for t, v in samples)
    variance = sum((t - mean_t) ** 2 for t, _ in samples)
    return covariance / variance * 60 / 1024 if variance else 0.0


class DatabaseFaults:
    """How the database goes away for each backend: the PostgreSQL server stopped, or the SQLite disk filled."""

    def __init__(self, backend, workdir, pg_dir=None):
        self.backend = backend
        self.workdir = workdir
        self.pg_dir = pg_dir
        self.ballast = None

    def pg_ctl(self, *args):
        # The pg_ctl scripts/pg-test-server chose: pg_config's, else the newest Debian keeps out of PATH.
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                            key=lambda path: int(path.split("/")[4]) if path.split("/")[4].isdigit() else 0)
        if shutil.which("pg_config"):
            bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
            candidates.append(os.path.join(bindir, "pg_ctl"))
        pg_ctl = next(c for c in reversed(candidates) if os.access(c, os.X_OK))
        owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        subprocess.run(owner + [pg_ctl, "-D", os.path.join(self.pg_dir, "data"), "-w", "-t", "60"] + list(args),
                       check=True, capture_output=True)

    def take_away(self):
        if self.backend == "postgres":
            self.pg_ctl("-m", "fast", "stop")
        else:
            # Fill what is left of the tmpfs; the server's next write that needs a page fails with SQLITE_FULL.
            self.ballast = os.path.join(self.workdir, "db", "ballast")
            with open(self.ballast, "wb") as ballast:
                block = b"\0" * (1 << 16)
                try:
                    while True:
                        ballast.write(block)
                        ballast.flush()
                except OSError:
                    pass

    def bring_back(self):
        if self.backend == "postgres":
            self.pg_ctl("-l", os.path.join(self.pg_dir, "restart.log"), "start")
        else:
            os.unlink(self.ballast)

    def restart_underneath(self):
        self.pg_ctl("-m", "fast", "restart", "-l", os.path.join(self.pg_dir, "restart.log"))


def run_backend(args, backend, report):
    began = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="kclinic-soak-%s-" % backend, dir=args.workdir)
    env = dict(os.environ)
    problems = []
    mounted = False
    pg_dir = None
    faults_available = True
    if backend == "sqlite":
        db_dir = os.path.join(workdir, "db")
        os.mkdir(db_dir)
        if os.getuid() == 0:
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dm" % args.tmpfs_mb, "kclinic-soak", db_dir],
                           check=True)
            mounted = True
        else:
            faults_available = False
        db_url = "sqlite:" + os.path.join(db_dir, "clinic.db")
    else:
        pg_dir = os.path.join(workdir, "pg")
        # As root the cluster belongs to `postgres` (scripts/pg-test-server), which must reach into the work folder.
        os.chmod(workdir, 0o755)
        started = subprocess.run([args.pg_test_server, "start", pg_dir], capture_output=True, text=True)
        if started.returncode != 0:
            raise RuntimeError("pg-test-server start: " + started.stderr)
        with open(os.path.join(pg_dir, "dsn")) as dsn:
            db_url = dsn.read().strip()
    faults = DatabaseFaults(backend, workdir, pg_dir)
    clinic = Clinic(args.kclinic, db_url, workdir, env)
    try:
        clinic.start()
        staff = ["nurse%d@clinic.example" % i for i in range(1, WRITERS + READERS + 1)]
        # Nurses and the front desk need no second factor by default (docs/security.md "Second factor"). The
        # commands run side by side: each hashes a password, which is most of the set-up's time.
        users = [(email, "nurse") for email in staff] + [("front_desk@clinic.example", "front_desk")]
        for run in clinic.parallel([(["user", "add", email, "--role", role], PASSWORD + "\n") for email, role in users]):
            if run.returncode != 0:
                raise RuntimeError("kclinic user add: " + run.stderr.decode())
        tokens = [json.loads(run.stdout)["token"] for run in clinic.parallel(
            [(["token", "create", staff[i], "--name", "soak-live-%d" % i, "--json"], "") for i in range(SUBSCRIBERS)])]
        soak = Soak(clinic, backend, staff)
        soak.set_phase("set-up")
        front_desk = Client(soak, "front_desk@clinic.example")
        front_desk.login()
        for i in range(PATIENTS):
            status, body = front_desk.request("set-up", "POST", "/api/v1/patients",
                                         {"mrn": "SOAK-%04d" % i, "given_name": "Soak", "family_name": "Patient%d" % i,
                                          "birth_date": "1980-03-14", "sex": "female"})
            if status != 201:
                raise RuntimeError("registering a patient answered %d" % status)
            soak.patients.append(body["id"])
        front_desk.close()
        del soak.by_phase["set-up"]
        soak.set_phase("warm-up")

        seconds = args.seconds
        # The floors keep each phase long enough for every kind of request to happen in it at a short --seconds.
        warm_up = max(2.0, seconds * 0.15)
        outage = max(2.0, seconds * 0.1)
        steady = max(3.0, seconds * 0.45)
        kills = max(2, int(seconds // 20))
        kill_gap = max(2.0, seconds * 0.3 / kills)
        rss = []
        sampling = threading.Event()

        def sample_rss():
            started = time.monotonic()
            while not sampling.is_set():
                if clinic.alive():
                    try:
                        rss.append((time.monotonic() - started, clinic.rss_kb()))
                    except OSError:
                        pass
                sampling.wait(0.5)

        set_up_s = time.monotonic() - began
        threads = soak.start_traffic(tokens)
        phase_started = time.monotonic()

        def phase(name):
            nonlocal phase_started
            now = time.monotonic()
            soak.phase_seconds[soak.phase] += now - phase_started
            phase_started = now
            soak.set_phase(name)

        time.sleep(warm_up)
        soak.pause()
        fd_before = settled_fd_count(clinic)
        rss_at_warm_up = clinic.rss_kb()
        pid_after_warm_up = clinic.process.pid
        soak.resume()
        sampler = threading.Thread(target=sample_rss, daemon=True)
        sampler.start()

        recoveries = []

        def note_recovery(fault, since, **figures):
            recovered = await_first_write(soak, since, RECOVERY_LIMIT_S)
            recoveries.append(dict(fault=fault, first_write_s=recovered, **figures))
            if recovered is None:
                problems.append("no write succeeded within %d s after the fault (%s)" % (RECOVERY_LIMIT_S, fault))

        healthz_while_away = None
        steady_from = 0
        outage_phase = "database away" if backend == "postgres" else "disk full"
        if faults_available:
            phase("taking the database away")
            faults.take_away()
            phase(outage_phase)
            time.sleep(outage / 2)
            healthz_while_away = healthz(clinic)
            # A monitoring check must see the outage: PostgreSQL away, or the disk under SQLite full.
            if not healthz_while_away.startswith("503 "):
                problems.append("/healthz answered %r while the database was away (%s), not 503" %
                                (healthz_while_away, outage_phase))
            time.sleep(outage / 2)
            # While the database is away the server still answers, 503 on what needs the database.
            if not clinic.alive():
                problems.append("the server died while the database was away (exit %s)" % clinic.process.returncode)
            phase("recovering")
            came_back = time.monotonic()
            faults.bring_back()
            note_recovery(outage_phase, came_back, healthz_s=await_health(clinic, RECOVERY_LIMIT_S))
            if backend == "postgres":
                phase("database restarted")
                restarted = time.monotonic()
                faults.restart_underneath()
                note_recovery("pg_ctl restart", restarted)
        else:
            report.setdefault("skipped", []).append(
                "%s: the disk-full phase needs root to mount a tmpfs (not root here)" % backend)
        phase("steady")
        steady_from = len(rss)
        time.sleep(steady)
        soak.pause()
        fd_after = settled_fd_count(clinic)
        rss_at_end = clinic.rss_kb()
        sampling.set()
        if clinic.process.pid != pid_after_warm_up or clinic.starts != 1:
            problems.append("the server restarted by itself during the database faults")
        soak.resume()

        if backend == "postgres" and faults_available:
            # A host booting starts kclinic before PostgreSQL: it waits (--database-wait) and comes up by itself.
            phase("started before the database")
            clinic.kill()
            faults.take_away()
            killed = time.monotonic()
            waits_before = clinic.log_mentions('"event":"database.wait"')
            start_failure = []

            def start_while_away():
                try:
                    clinic.start()
                except RuntimeError as failure:
                    start_failure.append(str(failure))

            starter = threading.Thread(target=start_while_away)
            starter.start()
            time.sleep(outage)
            if not clinic.alive():
                problems.append("kclinic serve exited when started while PostgreSQL was down (exit %s)" %
                                clinic.process.returncode)
            faults.bring_back()
            starter.join(timeout=RECOVERY_LIMIT_S)
            if start_failure or starter.is_alive():
                problems.append("kclinic serve started while PostgreSQL was down did not come up once it was back: %s"
                                % (start_failure or "still starting after %d s" % RECOVERY_LIMIT_S))
            else:
                if clinic.log_mentions('"event":"database.wait"') == waits_before:
                    problems.append("kclinic serve started while PostgreSQL was down logged no database.wait")
                note_recovery("started before the database", killed)

        phase("kill -9 and restart")
        for _ in range(kills):
            time.sleep(kill_gap)
            clinic.kill()
            killed = time.monotonic()
            clinic.start()
            note_recovery("SIGKILL", killed)
        time.sleep(kill_gap)
        phase("end")
        soak.stopping.set()
        for thread in threads:
            thread.join(timeout=60)
        exit_status = clinic.stop()
        if exit_status != 0:
            problems.append("kclinic serve exited %d on SIGTERM" % exit_status)

        problems += verify(clinic, soak)
        database_mb = None
        if backend == "sqlite":
            database_mb = {name: round(os.path.getsize(os.path.join(workdir, "db", name)) / 2**20, 1)
                           for name in os.listdir(os.path.join(workdir, "db"))}
        requests = sum(n for phase_counts in soak.by_phase.values() for k, n in phase_counts.items()
                       if not k.startswith("export "))
        elapsed = sum(soak.phase_seconds.values())
        # Over the steady phase alone: an outage allocates and frees on its own schedule (reconnects, error answers).
        rss_slope = slope_mb_per_min(rss[steady_from:])
        report[backend] = {
            "wall_s": round(time.monotonic() - began, 1),
            "set_up_s": round(set_up_s, 1),
            "seconds": round(elapsed, 1),
            "requests_per_s": round(requests / elapsed, 1) if elapsed else 0,
            "by_phase": {p: dict(sorted(c.items())) for p, c in soak.by_phase.items()},
            "phase_seconds": {p: round(s, 1) for p, s in soak.phase_seconds.items()},
            "acknowledged_writes": len(soak.acknowledged),
            "unacknowledged_writes": len(soak.unacknowledged),
            "acknowledged_reads": sum(soak.reads.values()),
            "live": dict(soak.counters),
            "recoveries": recoveries,
            "server_starts": clinic.starts,
            "rss_mb": {"after_warm_up": round(rss_at_warm_up / 1024, 1), "at_end": round(rss_at_end / 1024, 1),
                       "slope_mb_per_min": round(rss_slope, 2)},
            "fds": {"after_warm_up": fd_before, "at_end": fd_after},
            "database_mb_at_end": database_mb,
            "bad_5xx": soak.bad_bodies[:10],
            "export_failures": soak.export_failures,
            "first_503_bodies": soak.sample_503,
            "healthz_while_away": healthz_while_away,
            "problems": problems,
        }
        if soak.bad_bodies:
            problems.append("%d answers were 5xx other than 503 unavailable with a message of its own (first: %s)" %
                            (len(soak.bad_bodies), soak.bad_bodies[0]))
        if fd_after > fd_before:
            problems.append("file descriptors grew from %d to %d across the faults" % (fd_before, fd_after))
        if args.max_rss_slope is not None and rss_slope > args.max_rss_slope:
            problems.append("RSS grew %.2f MB/min after warm-up (limit %.1f)" % (rss_slope, args.max_rss_slope))
        for phase_name, counts in soak.by_phase.items():
            if phase_name != "warm-up" and not any(k.startswith("vital_write 201") for k in counts) and \
                    phase_name in ("steady", "end"):
                problems.append("no write succeeded in phase %s" % phase_name)
    finally:
        if clinic.alive():
            clinic.kill()
        if mounted:
            subprocess.run(["umount", "-l", os.path.join(workdir, "db")], check=False)
        if pg_dir is not None:
            subprocess.run([args.pg_test_server, "stop", pg_dir], check=False, capture_output=True)
    if problems:
        print("%s: the server's log is in %s" % (backend, workdir), file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return problems


def await_first_write(soak, since, limit_s):
    """Seconds from `since` until a vital sign write is acknowledged after it (None when none is within limit_s)."""
    with soak.lock:
        before = len(soak.acknowledged)
    while time.monotonic() - since < limit_s:
        with soak.lock:
            if len(soak.acknowledged) > before:
                return round(time.monotonic() - since, 2)
        time.sleep(0.02)
    return None


def verify(clinic, soak):
    """The record after the run, read through `kclinic export`: every acknowledged write once, no write twice, and
    an audit entry for every acknowledged write and read."""
    problems = []
    export = clinic.run(["export", "--format", "ndjson"])
    if export.returncode != 0:
        return ["kclinic export failed after the run: " + export.stderr.decode()[:300]]
    stored = Counter()
    stored_ids = {}
    audited_writes = set()
    audited_reads = Counter()
    for line in export.stdout.decode().splitlines():
        item = json.loads(line)
        kind, record = item.get("type"), item.get("record", item)
        if kind == "vital_sign" and record.get("loinc") == "8867-4":
            stored[record["observed_at"]] += 1
            stored_ids[record["observed_at"]] = record["id"]
        elif kind == "audit_entry":
            if record.get("action") == "vital_sign.create":
                audited_writes.add(record.get("record_id"))
            elif record.get("action") in ("patient.read", "vital_sign.list"):
                audited_reads[(record.get("actor"), record.get("action"), record.get("patient_id"))] += 1
    lost = [at for at in soak.acknowledged if stored[at] == 0]
    twice = [at for at, n in stored.items() if n > 1]
    stray = [at for at in stored if at not in soak.acknowledged and at not in soak.unacknowledged]
    unaudited = [at for at, (_, vital) in soak.acknowledged.items() if vital not in audited_writes]
    # A read in flight when the server was killed may be audited without its answer arriving, never the reverse.
    short_reads = {key: (n, audited_reads[key]) for key, n in soak.reads.items() if audited_reads[key] < n}
    soak.counters["stored_unacknowledged"] = sum(1 for at in soak.unacknowledged if stored[at])
    if lost:
        problems.append("%d acknowledged writes lost (first %s)" % (len(lost), lost[:3]))
    if twice:
        problems.append("%d writes stored twice (first %s)" % (len(twice), twice[:3]))
    if stray:
        problems.append("%d stored writes nobody sent (first %s)" % (len(stray), stray[:3]))
    if unaudited:
        problems.append("%d acknowledged writes without a vital_sign.create audit entry" % len(unaudited))
    if short_reads:
        problems.append("acknowledged reads without their audit entries (actor, action, patient: read, audited): %s"
                        % list(short_reads.items())[:3])
    if not soak.acknowledged:
        problems.append("no write was acknowledged at all")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--kclinic", required=True, help="the kclinic binary")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=300, help="traffic per backend (default 300)")
    parser.add_argument("--workdir", default=None, help="where the databases and logs go (default: $TMPDIR)")
    parser.add_argument("--tmpfs-mb", type=int, default=2048,
                        help="size of the SQLite tmpfs (default 2048: a release build grew its file 0.8 MB/s in our runs)")
    parser.add_argument("--max-rss-slope", type=float, default=5.0,
                        help="RSS growth after warm-up that fails the run, MB/min (default 5)")
    parser.add_argument("--no-rss-check", dest="max_rss_slope", action="store_const", const=None,
                        help="report the RSS slope without judging it (a sanitizer build's allocator keeps freed "
                             "memory, so its RSS says nothing of leaks; LeakSanitizer's exit check does)")
    parser.add_argument("--pg-test-server", default=os.path.join(here, "..", "..", "scripts", "pg-test-server"))
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    report = {"load_average_at_start": os.getloadavg(), "cpus": os.cpu_count()}
    problems = []
    for backend in (["sqlite", "postgres"] if args.backend == "both" else [args.backend]):
        problems += ["%s: %s" % (backend, p) for p in run_backend(args, backend, report)]
    report["load_average_at_end"] = os.getloadavg()
    text = json.dumps(report, indent=1)
    print(text)
    if args.json:
        with open(args.json, "w") as out:
            out.write(text)
    for problem in problems:
        print("FAILED: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
