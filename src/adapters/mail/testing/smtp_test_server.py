#!/ usr / bin / python3
"""A real SMTP server for kclinic's tests: Debian's python3-aiosmtpd on a loopback port.

Prints "PORT <n>" once listening, then writes each message it accepts to DIR as NNNN.eml (the bytes received after
DATA, dot-unstuffed) and NNNN.json (the envelope: mail_from, rcpt_tos, tls, auth_login), each written whole before
it appears. Runs until SIGTERM, SIGINT, or its stdin closes (so it never outlives a test that dies).

  --port N           listen on N (0: a free port the kernel picks)
  --dir DIR          where messages go
  --refuse-rcpt      answer every RCPT TO with "550 5.1.1 <address>: mailbox unavailable"
  --tls-dir DIR      offer STARTTLS with a self-signed certificate for localhost and 127.0.0.1, made here with
                     openssl into DIR/cert.pem and DIR/key.pem
  --auth USER:PASS   offer AUTH PLAIN and LOGIN (over TLS only) and require it before MAIL FROM
"""

import argparse
import asyncio
import json
import os
import signal
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, directory, refuse_rcpt):
        self.directory = directory
        self.refuse_rcpt = refuse_rcpt
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%04d" % self.count)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        envelope_json = {
    "mail_from" : envelope.mail_from, "rcpt_tos" : envelope.rcpt_tos, "tls" : session.ssl is not None,
        "auth_login" : login}
        for suffix, data in ((".eml", envelope.original_content),
                             (".json", json.dumps(envelope_json).encode())):
            with open(base + suffix + ".tmp", "wb") as f:
                f.write(data)
            os.rename(base + suffix + ".tmp", base + suffix)  # .json last: a test waits for it
        return "250 2.0.0 Ok: queued as %04d" % self.count


def self_signed(directory):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--refuse-rcpt", action="store_true")
    parser.add_argument("--tls-dir")
    parser.add_argument("--auth")
    args = parser.parse_args()

    handler = Handler(args.dir, args.refuse_rcpt)
    tls_context = self_signed(args.tls_dir) if args.tls_dir else None
    options = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
                  and auth_data.password.decode() == password)
            return AuthResult(success=ok, auth_data=auth_data)

        options = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": True}

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="localhost", tls_context=tls_context, **options), "127.0.0.1", args.port)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not os.read(sys.stdin.fileno(), 4096) else None)
    await stop.wait()
    server.close()
    await server.wait_closed()


asyncio.run(main())
