"""A TLS front for the Temporal dev server, for tests of reams' TLS, mutual TLS and API keys.

`temporal server start-dev` speaks plaintext gRPC only. `TlsProxy` listens on loopback, does
the TLS handshake (ALPN "h2", as gRPC needs HTTP/2) with a server certificate from a test CA,
optionally requires a client certificate from that CA (mutual TLS), and forwards the decrypted
bytes to the dev server's frontend, which takes cleartext HTTP/2 with prior knowledge.

`make_pki` makes the CA and the certificates at test time (``cryptography``). The proxy also
reads the client's HTTP/2 request headers (frames and HPACK, decoded here: the standard
library has neither) so a test can see the ``authorization`` metadata an API key becomes.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SERVER_NAME = "temporal.test"

# ---------------------------------------------------------------------------------------------
# Certificates


@dataclass(frozen=True)
class Pki:
    """Files (PEM) of a test CA, a server certificate signed by it (SAN: ``SERVER_NAME`` and
    127.0.0.1), a client certificate signed by it, and a client certificate signed by another
    CA (``stranger``) that the proxy must refuse."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    other_ca: Path
    stranger_cert: Path
    stranger_key: Path


def _issue(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    *,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
    usage: x509.ObjectIdentifier | None = None,
    san: list[x509.GeneralName] | None = None,
) -> x509.Certificate:
    """A certificate for ``key``; self-signed CA when ``issuer`` is None."""
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    issuer_name, signer = (name, key) if issuer is None else (issuer[0].subject, issuer[1])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), False
        )
    )
    if issuer is None:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(signer, hashes.SHA256())


def _write(
    folder: Path, stem: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> None:
    (folder / f"{stem}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / f"{stem}.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def make_pki(folder: Path) -> Pki:
    """Write a test CA and its certificates into ``folder`` (P-256 keys: quick to make)."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = {name: ec.generate_private_key(ec.SECP256R1()) for name in ("ca", "server", "client")}
    keys |= {name: ec.generate_private_key(ec.SECP256R1()) for name in ("other-ca", "stranger")}
    ca = _issue("reams test CA", keys["ca"], issuer=None)
    other_ca = _issue("some other CA", keys["other-ca"], issuer=None)
    san: list[x509.GeneralName] = [
        x509.DNSName(SERVER_NAME),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    ]
    certs = {
        "ca": ca,
        "other-ca": other_ca,
        "server": _issue(
            SERVER_NAME,
            keys["server"],
            issuer=(ca, keys["ca"]),
            usage=ExtendedKeyUsageOID.SERVER_AUTH,
            san=san,
        ),
        "client": _issue(
            "reams-worker",
            keys["client"],
            issuer=(ca, keys["ca"]),
            usage=ExtendedKeyUsageOID.CLIENT_AUTH,
        ),
        "stranger": _issue(
            "stranger",
            keys["stranger"],
            issuer=(other_ca, keys["other-ca"]),
            usage=ExtendedKeyUsageOID.CLIENT_AUTH,
        ),
    }
    for stem, cert in certs.items():
        _write(folder, stem, cert, keys[stem])
    return Pki(
        ca=folder / "ca.pem",
        server_cert=folder / "server.pem",
        server_key=folder / "server.key",
        client_cert=folder / "client.pem",
        client_key=folder / "client.key",
        other_ca=folder / "other-ca.pem",
        stranger_cert=folder / "stranger.pem",
        stranger_key=folder / "stranger.key",
    )


# ---------------------------------------------------------------------------------------------
# HPACK (RFC 7541), decoding only


# The Huffman code of RFC 7541 Appendix B is canonical (codes of one length are consecutive, in
# symbol order, shorter lengths first), so the code length of each symbol 0..256 (256: EOS)
# defines it. One base-32 digit per symbol.
_HUFFMAN_LENGTHS = (
    "dnsssssssoussussssssssusssssssss6aacd68baa8b8666555666666678f6ca"
    "d67777777777777777777777878djde6f56565666577666567655677777fbeds"
    "kmkkmmmnmnnnnnonoomnonnnnlmnmnnomlkmmnnlnmmolmnnllmlnmnnkmmmnmmn"
    "qqkjmnmpqqqrrqopjlqrrqrollqqsrrrkoklmllnmmppooqnqrqqrrrrrsrrrrrq"
    "u"
)


def _huffman_codes() -> dict[tuple[int, int], int]:
    """{(length, code): symbol} of the canonical code."""
    lengths = [int(digit, 32) for digit in _HUFFMAN_LENGTHS]
    codes: dict[tuple[int, int], int] = {}
    code, previous = 0, 0
    for symbol in sorted(range(257), key=lambda s: (lengths[s], s)):
        code <<= lengths[symbol] - previous
        previous = lengths[symbol]
        codes[(previous, code)] = symbol
        code += 1
    return codes


_HUFFMAN = _huffman_codes()


def huffman_decode(data: bytes) -> bytes:
    out = bytearray()
    code = length = 0
    for byte in data:
        for shift in range(7, -1, -1):
            code, length = (code << 1) | ((byte >> shift) & 1), length + 1
            symbol = _HUFFMAN.get((length, code))
            if symbol is not None:
                if symbol == 256:
                    raise ValueError("EOS inside a Huffman-coded string")
                out.append(symbol)
                code = length = 0
    if length > 7 or code != (1 << length) - 1:
        raise ValueError("bad Huffman padding")
    return bytes(out)


# RFC 7541 Appendix A (the values matter little here: what reams sends is in literals).
_STATIC: list[tuple[str, str]] = [
    (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"),
    (":path", "/index.html"), (":scheme", "http"), (":scheme", "https"), (":status", "200"),
    (":status", "204"), (":status", "206"), (":status", "304"), (":status", "400"),
    (":status", "404"), (":status", "500"), ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"),
] + [
    (name, "")
    for name in [
        "accept-language", "accept-ranges", "accept", "access-control-allow-origin", "age", "allow",
        "authorization", "cache-control", "content-disposition", "content-encoding",
        "content-language", "content-length", "content-location", "content-range", "content-type",
        "cookie", "date", "etag", "expect", "expires", "from", "host", "if-match",
        "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified",
        "link", "location", "max-forwards", "proxy-authenticate", "proxy-authorization", "range",
        "referer", "refresh", "retry-after", "server", "set-cookie", "strict-transport-security",
        "transfer-encoding", "user-agent", "vary", "via", "www-authenticate",
    ]
]  # fmt: skip
assert len(_STATIC) == 61


class HpackDecoder:
    """One connection's header decoder (its dynamic table lives across header blocks)."""

    def __init__(self, max_size: int = 4096) -> None:
        self._table: list[tuple[str, str]] = []  # newest first
        self._max_size = max_size
        self._data = b""
        self._pos = 0

    def decode(self, block: bytes) -> list[tuple[str, str]]:
        self._data, self._pos = block, 0
        headers: list[tuple[str, str]] = []
        while self._pos < len(self._data):
            first = self._data[self._pos]
            if first & 0x80:  # indexed field
                headers.append(self._entry(self._int(7)))
            elif first & 0x40:  # literal, added to the table
                header = self._literal(6)
                self._table.insert(0, header)
                self._evict()
                headers.append(header)
            elif first & 0x20:  # dynamic table size update
                self._max_size = self._int(5)
                self._evict()
            else:  # literal not indexed (0000) or never indexed (0001)
                headers.append(self._literal(4))
        return headers

    def _int(self, prefix: int) -> int:
        mask = (1 << prefix) - 1
        value = self._data[self._pos] & mask
        self._pos += 1
        if value < mask:
            return value
        shift = 0
        while True:
            byte = self._data[self._pos]
            self._pos += 1
            value += (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    def _string(self) -> str:
        huffman = bool(self._data[self._pos] & 0x80)
        length = self._int(7)
        raw = self._data[self._pos : self._pos + length]
        if len(raw) != length:
            raise ValueError("truncated header block")
        self._pos += length
        return (huffman_decode(raw) if huffman else raw).decode("latin-1")

    def _literal(self, prefix: int) -> tuple[str, str]:
        index = self._int(prefix)
        name = self._entry(index)[0] if index else self._string()
        return name, self._string()

    def _entry(self, index: int) -> tuple[str, str]:
        if 1 <= index <= len(_STATIC):
            return _STATIC[index - 1]
        if 0 <= index - len(_STATIC) - 1 < len(self._table):
            return self._table[index - len(_STATIC) - 1]
        raise ValueError(f"no header table entry {index}")

    def _evict(self) -> None:
        while sum(len(n) + len(v) + 32 for n, v in self._table) > self._max_size:
            self._table.pop()


# ---------------------------------------------------------------------------------------------
# HTTP/2 (RFC 9113): the request headers a client sends

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
HEADERS, CONTINUATION = 0x1, 0x9
END_HEADERS, PADDED, PRIORITY = 0x4, 0x8, 0x20


class RequestHeaders:
    """Fed the bytes a client sends on one connection; calls ``on_request`` with the headers
    of each request (each gRPC call is one HTTP/2 stream opened by a HEADERS frame)."""

    def __init__(self, on_request: Callable[[dict[str, str]], None]) -> None:
        self._on_request = on_request
        self._buffer = bytearray()
        self._preface = False
        self._decoder = HpackDecoder()
        self._block = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data
        if not self._preface:
            if len(self._buffer) < len(PREFACE):
                return
            if bytes(self._buffer[: len(PREFACE)]) != PREFACE:
                raise ValueError("not HTTP/2 with prior knowledge")
            del self._buffer[: len(PREFACE)]
            self._preface = True
        while len(self._buffer) >= 9:
            length = int.from_bytes(self._buffer[:3], "big")
            if len(self._buffer) < 9 + length:
                return
            kind, flags = self._buffer[3], self._buffer[4]
            payload = bytes(self._buffer[9 : 9 + length])
            del self._buffer[: 9 + length]
            if kind in (HEADERS, CONTINUATION):
                self._fragment(kind, flags, payload)

    def _fragment(self, kind: int, flags: int, payload: bytes) -> None:
        if kind == HEADERS:
            if flags & PADDED:
                payload = payload[1 : len(payload) - payload[0]]
            if flags & PRIORITY:
                payload = payload[5:]
        self._block += payload
        if flags & END_HEADERS:
            headers = self._decoder.decode(bytes(self._block))
            self._block.clear()
            self._on_request(dict(headers))


# ---------------------------------------------------------------------------------------------
# The proxy


@dataclass(frozen=True)
class Handshake:
    alpn: str | None
    client_subject: str | None  # the client certificate's common name, under mutual TLS


@dataclass
class TlsProxy:
    """TLS on ``address`` (127.0.0.1) in front of the plaintext ``upstream`` (host:port).

    What it saw, for assertions: ``handshakes`` (accepted TLS connections), ``refused``
    (handshakes that failed, with the reason), ``requests`` (each request's headers, from
    clients that completed the handshake) and ``errors`` (of the proxy itself; none expected).
    """

    upstream: str
    pki: Pki
    require_client_cert: bool = False
    handshakes: list[Handshake] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(self.pki.server_cert, self.pki.server_key)
        self._context.set_alpn_protocols(["h2"])
        if self.require_client_cert:
            self._context.verify_mode = ssl.CERT_REQUIRED
            self._context.load_verify_locations(cafile=self.pki.ca)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tls-proxy")
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> TlsProxy:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self._loop
        ).result(10)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    def stop(self) -> None:
        async def shut() -> None:
            if self._server is not None:
                self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop.close()

    def __enter__(self) -> TlsProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_refused(self, count: int = 1, *, reason: str = "", timeout: float = 10) -> list[str]:
        """The refused handshakes, once ``count`` of them give ``reason`` (a client may report
        its failure before the proxy has recorded it, and may try again)."""
        deadline = time.monotonic() + timeout
        while sum(reason in seen for seen in self.refused) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"not {count} handshakes refused for {reason!r}: {self.refused}"
                )
            time.sleep(0.01)
        return list(self.refused)

    def authorizations(self) -> list[str | None]:
        """The ``authorization`` header of each request seen, in order."""
        return [r.get("authorization") for r in self.requests]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except asyncio.CancelledError:
            pass  # stop(): the connection ends with the proxy
        finally:
            writer.close()
            self._tasks.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await writer.start_tls(self._context, ssl_handshake_timeout=10)
        except (OSError, TimeoutError) as exc:  # ssl.SSLError is an OSError
            self.refused.append(f"{type(exc).__name__}: {exc}")
            return
        tls = writer.get_extra_info("ssl_object")
        peer = tls.getpeercert() if self.require_client_cert else None
        subject = dict(pair[0] for pair in peer["subject"]).get("commonName") if peer else None
        self.handshakes.append(Handshake(tls.selected_alpn_protocol(), subject))
        host, port = self.upstream.rsplit(":", 1)
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        watcher = RequestHeaders(self.requests.append)
        try:
            await asyncio.gather(
                self._pump(reader, up_writer, watcher.feed),
                self._pump(up_reader, writer, None),
            )
        finally:
            up_writer.close()

    async def _pump(
        self,
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        observe: Callable[[bytes], None] | None,
    ) -> None:
        try:
            while data := await source.read(65536):
                if observe is not None:
                    try:
                        observe(data)
                    except (ValueError, IndexError) as exc:  # a bug here, not in the client
                        self.errors.append(f"cannot read the request headers: {exc!r}")
                        observe = None
                sink.write(data)
                await sink.drain()
        except OSError:
            pass  # the other side went away
        finally:
            sink.close()
