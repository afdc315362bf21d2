"""The private-address guard, with a resolver that answers without DNS."""

from __future__ import annotations

import pytest

from reams.domain.errors import InvalidField
from reams.service.webhooks import Guard, Resolver, _pinned, resolve_targets

ANSWERS = {
    "public.example": ["93.184.215.14"],
    "sneaky.example": ["93.184.215.14", "10.1.2.3"],  # one private answer is enough to refuse
    "mapped.example": ["::ffff:127.0.0.1"],
    "v6.example": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
}


def _lookup(host: str, port: int) -> list[str]:
    if host in ANSWERS:
        return ANSWERS[host]
    if host.replace(".", "").isdigit() or ":" in host:
        return [host]
    raise OSError("Name or service not known")


GUARD = Guard(resolver=Resolver(lookup=_lookup))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://10.0.0.1/x",
        "http://192.168.1.1/x",
        "http://172.16.0.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "http://[fe80::1]/x",
        "http://0.0.0.0/x",
        "http://224.0.0.1/x",
        "http://sneaky.example/x",
        "http://mapped.example/x",
    ],
)
def test_private_addresses_are_refused(url: str) -> None:
    with pytest.raises(InvalidField, match="REAMS_WEBHOOK_ALLOW_PRIVATE"):
        GUARD.check_url(url)


@pytest.mark.parametrize(
    "url",
    ["ftp://public.example/x", "javascript:alert(1)", "http://", "https://u:p@public.example/"],
)
def test_only_plain_http_urls(url: str) -> None:
    with pytest.raises(InvalidField):
        GUARD.check_url(url)


def test_public_and_unresolvable_hosts_are_accepted_at_create() -> None:
    assert GUARD.check_url("https://public.example/hook") == "https://public.example/hook"
    assert GUARD.check_url("https://v6.example:8443/h")
    assert GUARD.check_url("https://not-yet.example/h")  # checked again before each attempt
    with pytest.raises(InvalidField, match="cannot be resolved"):
        GUARD.addresses("https://not-yet.example/h")


def test_allow_private() -> None:
    lenient = Guard(allow_private=True, resolver=Resolver(lookup=_lookup))
    assert lenient.check_url("http://127.0.0.1:8080/x")


def test_pinned_url_keeps_port_path_and_host() -> None:
    assert _pinned("https://public.example:8443/a?b=1", "93.184.215.14") == (
        "https://93.184.215.14:8443/a?b=1",
        "public.example:8443",
    )
    assert _pinned("http://v6.example/a", "2606::1") == ("http://[2606::1]/a", "v6.example")


def test_inline_entries_are_checked_by_name() -> None:
    assert resolve_targets([{}], [], guard=GUARD) == []  # no URL: no webhook
    with pytest.raises(InvalidField, match=r"webhook_configurations\[1\]: unknown field 'url'"):
        resolve_targets([{"webhook_url": "https://public.example/"}, {"url": "x"}], [], guard=GUARD)
    with pytest.raises(InvalidField, match="webhook_output_format"):
        resolve_targets(
            [{"webhook_url": "https://public.example/", "webhook_output_format": "xml"}],
            [], guard=GUARD,
        )  # fmt: skip
    with pytest.raises(InvalidField, match="line break"):
        resolve_targets(
            [{"webhook_url": "https://public.example/", "webhook_headers": {"X": "a\r\nB: c"}}],
            [], guard=GUARD,
        )  # fmt: skip
    with pytest.raises(InvalidField, match="at most 20"):
        resolve_targets([{"webhook_url": "https://public.example/"}] * 21, [], guard=GUARD)
