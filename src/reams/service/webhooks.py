"""Webhooks: the endpoints a create names (checked, and resolved from saved configs), the guard
against calls into private networks, and the sender that delivers the outbox.

The store writes each event's deliveries in the transaction of the change it reports; the
sender here claims due deliveries with a lease, POSTs them (10 s timeout, redirects not
followed), and records the outcome: 2xx delivered, 410 stopped for good, anything else (or a
network error) tried again with exponential backoff and jitter until the retry window from
the event has passed. A sender that dies mid-send leaves a lease that expires: the delivery
goes out again (at least once); normally none goes out twice.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from reams.domain import ids, webhooks
from reams.domain.configurations import WebhookConfig
from reams.domain.errors import InvalidField
from reams.domain.webhooks import ClaimedDelivery, DeliveryStatus, RetryPolicy, WebhookTarget
from reams.store.db import utcnow
from reams.store.protocols import Outbox

log = logging.getLogger(__name__)

MAX_TARGETS = 20  # endpoints per job
MAX_ERROR = 500  # characters of an error kept in the delivery log


# -- where a webhook may point ---------------------------------------------------------------
@dataclass(frozen=True)
class Resolver:
    """Name resolution for the guard (a seam: tests can answer without DNS)."""

    lookup: Callable[[str, int], list[str]] = field(default=lambda host, port: _lookup(host, port))


def _lookup(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class Unresolved(InvalidField):
    """The host name did not resolve (now)."""


@dataclass(frozen=True)
class Guard:
    """Only http(s); only public addresses unless private ones are allowed."""

    allow_private: bool = False
    resolver: Resolver = field(default_factory=Resolver)

    def check_url(self, url: object, *, where: str = "webhook_url") -> str:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidField(f"{where} must be an http(s) URL, got {url!r}")
        if parts.username or parts.password:
            raise InvalidField(f"{where}: credentials in the URL are refused; use webhook_headers")
        with contextlib.suppress(Unresolved):  # DNS may not know it yet: checked at send
            self.addresses(str(url), where=where)
        return str(url)

    def addresses(self, url: str, *, where: str = "webhook_url") -> list[str]:
        """The addresses ``url``'s host resolves to, each allowed; raises InvalidField
        (``Unresolved`` when the name does not resolve)."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            found = self.resolver.lookup(host, port)
        except (OSError, UnicodeError) as exc:
            raise Unresolved(f"{where}: host {host!r} cannot be resolved ({exc})") from exc
        if not found:
            raise InvalidField(f"{where}: host {host!r} resolves to no address")
        if not self.allow_private:
            private = [a for a in found if not _public(a)]
            if private:
                raise InvalidField(
                    f"{where}: {host!r} resolves to {private[0]}, a loopback, private, "
                    "link-local or reserved address; webhooks may only call public addresses "
                    "(an operator can allow private ones with REAMS_WEBHOOK_ALLOW_PRIVATE=1)"
                )
        return found


# -- what a create names -----------------------------------------------------------------------
def _headers(value: object, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidField(f"{where}.webhook_headers must be an object of strings")
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise InvalidField(f"{where}.webhook_headers must map strings to strings")
        if any(c in key + item for c in "\r\n\0"):
            raise InvalidField(f"{where}.webhook_headers[{key!r}] holds a line break or NUL")
        out[key] = item
    return out


def _format(value: object, where: str) -> str:
    if value is None:
        return "string"
    if value not in webhooks.OUTPUT_FORMATS:
        raise InvalidField(f"{where}.webhook_output_format must be 'string' or 'json'")
    return str(value)


def _events(value: object, where: str) -> tuple[str, ...] | None:
    if value is not None and (
        not isinstance(value, list) or not all(isinstance(e, str) for e in value)
    ):
        raise InvalidField(f"{where}.webhook_events must be a list of event names or null")
    try:
        return webhooks.check_events(value)
    except ValueError as exc:
        raise InvalidField(f"{where}.{exc}") from exc


def inline_target(spec: object, *, where: str, guard: Guard) -> WebhookTarget | None:
    """One inline ``webhook_configurations`` entry; None for an entry without a URL (the SDK's
    models make every field optional, so an empty entry means "no webhook")."""
    if not isinstance(spec, Mapping):
        raise InvalidField(f"{where} must be an object")
    unknown = set(spec) - {
        "webhook_url",
        "webhook_events",
        "webhook_headers",
        "webhook_output_format",
        "webhook_signing_secret",
    }
    if unknown:
        raise InvalidField(f"{where}: unknown field {sorted(unknown)[0]!r}")
    url = spec.get("webhook_url")
    if url is None:
        return None
    secret = spec.get("webhook_signing_secret")
    if secret is not None and not isinstance(secret, str):
        raise InvalidField(f"{where}.webhook_signing_secret must be a string")
    return WebhookTarget(
        url=guard.check_url(url, where=f"{where}.webhook_url"),
        events=_events(spec.get("webhook_events"), where),
        headers=_headers(spec.get("webhook_headers"), where),
        output_format=_format(spec.get("webhook_output_format"), where),
        signing_secret=secret or None,
    )


def saved_target(config: WebhookConfig, *, guard: Guard) -> WebhookTarget:
    where = f"webhook_configuration_ids ({config.id})"
    return WebhookTarget(
        url=guard.check_url(config.webhook_url, where=where),
        events=tuple(config.webhook_events) if config.webhook_events is not None else None,
        headers=dict(config.webhook_headers or {}),
        output_format=config.webhook_output_format or "string",
        signing_secret=config.signing_secret,
        config_id=config.id,
    )


def resolve_targets(
    inline: Sequence[object],
    saved: Sequence[WebhookConfig],
    *,
    guard: Guard,
    field_name: str = "webhook_configurations",
) -> list[WebhookTarget]:
    """Every endpoint a create names, checked; raises InvalidField naming the bad one."""
    if not isinstance(inline, Sequence) or isinstance(inline, str | bytes):
        raise InvalidField(f"{field_name} must be a list")
    targets = [
        target
        for i, spec in enumerate(inline)
        if (target := inline_target(spec, where=f"{field_name}[{i}]", guard=guard)) is not None
    ]
    targets += [saved_target(config, guard=guard) for config in saved]
    if len(targets) > MAX_TARGETS:
        raise InvalidField(f"at most {MAX_TARGETS} webhook endpoints per job ({len(targets)})")
    return targets


# -- the sender --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    """What one POST came to."""

    status: DeliveryStatus
    status_code: int | None = None
    error: str | None = None


def _pinned(url: str, address: str) -> tuple[str, str]:
    """``url`` with its host replaced by the checked ``address`` (so a DNS answer that changes
    between the check and the connection cannot redirect it), and the original Host."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    original = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=netloc)), original


class Sender:
    """Sends claimed deliveries over HTTP; one instance per process (thread-safe)."""

    def __init__(self, *, server_secret: str, guard: Guard, policy: RetryPolicy) -> None:
        import httpx  # the client library is loaded by processes that send, only

        self._secret = server_secret
        self._guard = guard
        self._policy = policy
        self._client = httpx.Client(
            follow_redirects=False, timeout=policy.timeout_s, trust_env=False
        )
        self._httpx = httpx

    def close(self) -> None:
        self._client.close()

    def send(self, delivery: ClaimedDelivery) -> Attempt:
        target = delivery.target
        raw = webhooks.body(
            delivery_id=delivery.id,
            event=delivery.event,
            created_at=delivery.created_at,
            snapshot=delivery.snapshot,
            fmt=target.output_format,
        )
        headers = webhooks.headers(
            target.headers,
            raw=raw,
            msg_id=delivery.id,
            timestamp=int(time.time()),
            server_secret=self._secret,
            signing_secret=target.signing_secret,
        )
        try:
            addresses = self._guard.addresses(target.url)  # checked again: DNS can change
        except InvalidField as exc:
            return Attempt(DeliveryStatus.PENDING, error=str(exc)[:MAX_ERROR])
        extensions: dict[str, Any] = {}
        if urlsplit(target.url).scheme == "https":
            extensions["sni_hostname"] = urlsplit(target.url).hostname
        error = "no address"
        for address in addresses:  # the checked addresses only, in the resolver's order
            url, headers["Host"] = _pinned(target.url, address)
            try:
                response = self._client.post(
                    url, content=raw, headers=headers, extensions=extensions
                )
            except self._httpx.ConnectError as exc:  # e.g. ::1 first, listening on 127.0.0.1
                error = f"ConnectError: {exc}"
                continue
            except self._httpx.HTTPError as exc:
                return Attempt(
                    DeliveryStatus.PENDING, error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
                )
            return self._outcome(response)
        return Attempt(DeliveryStatus.PENDING, error=error[:MAX_ERROR])

    @staticmethod
    def _outcome(response: Any) -> Attempt:
        code = int(response.status_code)
        if 200 <= code < 300:
            return Attempt(DeliveryStatus.DELIVERED, status_code=code)
        if code == 410:
            return Attempt(DeliveryStatus.STOPPED, status_code=code, error="410 Gone: stopped")
        reason = response.reason_phrase or ""
        if 300 <= code < 400:
            reason = f"redirect to {response.headers.get('location', '?')} not followed"
        return Attempt(DeliveryStatus.PENDING, status_code=code, error=f"HTTP {code} {reason}")


class WebhookLoop:
    """The sender's thread: claim due deliveries, send them a few at a time, record each."""

    def __init__(
        self,
        outbox: Outbox,
        sender: Sender,
        *,
        policy: RetryPolicy,
        poll_s: float = 0.5,
        concurrency: int = 4,
    ) -> None:
        self._outbox = outbox
        self._sender = sender
        self._policy = policy
        self._poll_s = poll_s
        self._concurrency = concurrency
        self._owner = ids.new_id("whs")
        self._lease_s = policy.timeout_s * 3 + 5
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="reams-webhook")
        # Told of each attempt's event and outcome (delivered, retry, stopped, failed).
        self.on_attempt: Callable[[str, str], None] | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="reams-webhooks", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._sender.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self.run_once()
            except Exception:  # the database may be briefly unavailable: try again later
                log.exception("webhook sender: a round failed")
                worked = False
            if not worked:
                self._stop.wait(self._poll_s)

    def run_once(self) -> bool:
        """One round: claim, send in parallel, record. True when something was sent."""
        claimed = self._outbox.claim_deliveries(
            owner=self._owner, lease_s=self._lease_s, limit=self._concurrency
        )
        for delivery, attempt in zip(
            claimed, self._pool.map(self._sender.send, claimed), strict=True
        ):
            self._record(delivery, attempt)
        return bool(claimed)

    def _record(self, delivery: ClaimedDelivery, attempt: Attempt) -> None:
        status, next_at = attempt.status, None
        if status == DeliveryStatus.PENDING:
            next_at = utcnow() + timedelta(seconds=self._policy.delay(delivery.attempts))
            deadline = delivery.created_at + timedelta(seconds=self._policy.window_s)
            if next_at > deadline:
                status, next_at = DeliveryStatus.FAILED, None
        if self.on_attempt is not None:
            outcome = "retry" if status == DeliveryStatus.PENDING else status.value
            self.on_attempt(delivery.event, outcome)
        if not self._outbox.settle_delivery(
            delivery.seq,
            owner=self._owner,
            status=status,
            status_code=attempt.status_code,
            error=attempt.error,
            next_attempt_at=next_at,
        ):
            log.warning("webhook delivery %s: lease lost before recording", delivery.id)
