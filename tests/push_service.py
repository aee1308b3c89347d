"""A local fake of a browser's push service, over HTTPS on 127.0.0.1, for the push tests
and the push benchmark.

It does what a real one checks: the VAPID token (RFC 8292) must be an ES256 JWT signed
by the key in `k=`, for this service's origin as audience, not expired; the body must
decrypt (RFC 8291, aes128gcm) with the private key of the device it was sent to. What
it receives lands in `received` as (device name, payload dict). `script(name, [429, 201])`
makes it answer a device with those statuses in turn (then 201).

    with PushService() as service:
        device = service.device("alice-phone")   # endpoint, p256dh and auth for a row
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import os
import ssl
import tempfile
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import http_ece
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

from tests.smtp_sink import free_port


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    name: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth_b64(self) -> str:
        return b64url(self.auth)

    def subscription(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth_b64}}


def check_vapid(authorization: str, audience: str, expected_key: str | None) -> None:
    """Raise ValueError unless the header carries a valid token for `audience`."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError("not a vapid authorization")
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = fields["t"], fields["k"]
    if expected_key is not None and key != expected_key:
        raise ValueError("signed with another key")
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(unb64url(header_b64))
    claims = json.loads(unb64url(claims_b64))
    if header.get("alg") != "ES256":
        raise ValueError("not ES256")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    raw = unb64url(signature_b64)
    signature = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    try:
        public.verify(signature, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise ValueError("bad signature") from exc
    if claims.get("aud") != audience:
        raise ValueError(f"audience {claims.get('aud')!r} is not {audience!r}")
    if not time.time() < claims["exp"] <= time.time() + 24 * 3600:
        raise ValueError("expired, or valid for more than a day")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise ValueError("no contact in sub")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # Wide: tests freeze Python's clock, while OpenSSL checks against the real one.
        .not_valid_before(now - dt.timedelta(days=365))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "push-cert.pem", folder / "push-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class PushService:
    def __init__(self, *, expected_key: str | None = None, keep: bool = True):
        self.port = free_port()
        self.origin = f"https://127.0.0.1:{self.port}"
        self.expected_key = expected_key
        self.keep = keep
        self.devices: dict[str, Device] = {}
        self.received: list[tuple[str, dict]] = []
        self.rejected: list[tuple[str, str]] = []
        self.topics: list[str | None] = []
        self.count = 0
        # Seconds each request takes to answer, and the most requests it held at once.
        self.delay = 0.0
        self.in_flight = self.most_at_once = 0
        self._scripts: dict[str, deque[int]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._folder = Path(tempfile.mkdtemp(prefix="push-service-"))
        self.cert_path, self._key_path = self_signed_certificate(self._folder)
        self._server: ThreadingHTTPServer | None = None

    def device(self, name: str) -> Device:
        device = Device(
            name,
            f"{self.origin}/push/{name}",
            ec.generate_private_key(ec.SECP256R1()),
            os.urandom(16),
        )
        self.devices[name] = device
        return device

    def script(self, name: str, statuses: list[int]) -> None:
        self._scripts[name].extend(statuses)

    def payloads(self, name: str) -> list[dict]:
        return [payload for device, payload in self.received if device == name]

    def _handle(self, path: str, headers, body: bytes) -> int:
        name = path.rsplit("/", 1)[-1]
        device = self.devices.get(name)
        if device is None:
            return 404
        with self._lock:
            if self._scripts[name]:
                return self._scripts[name].popleft()
        try:
            check_vapid(headers.get("Authorization", ""), self.origin, self.expected_key)
            if headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in headers:
                raise ValueError("not aes128gcm, or no TTL")
            self.topics.append(headers.get("Topic"))
            payload = json.loads(
                http_ece.decrypt(
                    body, private_key=device.private_key, auth_secret=device.auth,
                    version="aes128gcm",
                )
            )  # fmt: skip
        except Exception as exc:
            with self._lock:
                self.rejected.append((name, f"{type(exc).__name__}: {exc}"))
            return 400
        with self._lock:
            self.count += 1
            if self.keep:
                self.received.append((name, payload))
        return 201

    def start(self) -> None:
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with service._lock:
                    service.in_flight += 1
                    service.most_at_once = max(service.most_at_once, service.in_flight)
                time.sleep(service.delay)
                try:
                    status = service._handle(self.path, self.headers, body)
                finally:
                    with service._lock:
                        service.in_flight -= 1
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self._key_path)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count >= count:
                return True
            time.sleep(0.05)
        return self.count >= count

    def __enter__(self) -> PushService:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
