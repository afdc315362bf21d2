"""Saved product configurations and webhook configs through the llama-cloud 2.19 SDK
(`client.configurations`, `client.webhook_configs`) against a real reams server, with strict
response validation: every response must parse as the SDK's own models."""

from __future__ import annotations

import uuid
from typing import Any

import llama_cloud
import pytest
from llama_cloud import LlamaCloud
from llama_cloud.types import ConfigurationResponse, WebhookConfigResponse

PRESET = "cfg-PARSE_AGENTIC"
PARSE = {"product_type": "parse_v2", "tier": "fast", "version": "latest"}
EXTRACT = {
    "product_type": "extract_v2",
    "data_schema": {"type": "object", "properties": {"total": {"type": "number"}}},
    "tier": "cost_effective",
}
CLASSIFY = {
    "product_type": "classify_v2",
    "rules": [{"type": "invoice", "description": "Bills with a total to pay"}],
}


def _name() -> str:
    return f"cfg-test-{uuid.uuid4().hex[:8]}"


def _detail(exc: llama_cloud.APIStatusError) -> str:
    body = exc.body
    return str(body.get("detail") if isinstance(body, dict) else body)


# -- configurations ----------------------------------------------------------------------------
def test_the_documented_preset_is_listed_and_readable(client: LlamaCloud) -> None:
    listed = {c.id: c for c in client.configurations.list(product_type=["parse_v2"])}
    assert PRESET in listed
    preset = client.configurations.retrieve(PRESET)
    assert isinstance(preset, ConfigurationResponse)
    assert preset.product_type == "parse_v2"
    assert preset.parameters.product_type == "parse_v2"
    assert preset.parameters.tier == "agentic"  # type: ignore[union-attr]
    assert preset == listed[PRESET]


def test_presets_cannot_be_deleted_or_updated(client: LlamaCloud) -> None:
    with pytest.raises(llama_cloud.BadRequestError) as deleted:
        client.configurations.delete(PRESET)
    assert "preset" in _detail(deleted.value)
    with pytest.raises(llama_cloud.BadRequestError):
        client.configurations.update(PRESET, name="mine now")
    assert client.configurations.retrieve(PRESET).name == "PARSE_AGENTIC"


def test_create_get_list_update_delete(client: LlamaCloud) -> None:
    name = _name()
    created = client.configurations.create(name=name, parameters=PARSE)  # type: ignore[arg-type]
    assert created.id.startswith("cfg-") and created.id != PRESET
    assert (created.name, created.product_type) == (name, "parse_v2")
    assert created.parameters.tier == "fast"  # type: ignore[union-attr]
    assert created.version and created.created_at is not None

    assert client.configurations.retrieve(created.id) == created
    assert [c.id for c in client.configurations.list(name=name)] == [created.id]
    assert created.id not in {c.id for c in client.configurations.list(product_type=["extract_v2"])}

    renamed = client.configurations.update(
        created.id,
        name=f"{name}-renamed",
        parameters={**PARSE, "tier": "agentic", "page_ranges": {"max_pages": 3}},  # type: ignore[arg-type]
    )
    assert renamed.id == created.id
    assert renamed.name == f"{name}-renamed"
    assert renamed.parameters.tier == "agentic"  # type: ignore[union-attr]
    assert renamed.parameters.page_ranges.max_pages == 3  # type: ignore[union-attr]
    assert renamed.version != created.version
    assert renamed.created_at == created.created_at

    client.configurations.delete(created.id)
    with pytest.raises(llama_cloud.NotFoundError):
        client.configurations.retrieve(created.id)
    with pytest.raises(llama_cloud.NotFoundError):
        client.configurations.delete(created.id)


def test_create_is_an_upsert_by_name_and_product_type(client: LlamaCloud) -> None:
    name = _name()
    first = client.configurations.create(name=name, parameters=PARSE)  # type: ignore[arg-type]
    again = client.configurations.create(
        name=name,
        parameters={**PARSE, "tier": "cost_effective"},  # type: ignore[arg-type]
    )
    assert again.id == first.id
    assert again.parameters.tier == "cost_effective"  # type: ignore[union-attr]
    other = client.configurations.create(name=name, parameters=EXTRACT)  # type: ignore[arg-type]
    assert other.id != first.id and other.product_type == "extract_v2"

    both = list(client.configurations.list(name=name))
    assert {c.id for c in both} == {first.id, other.id}
    latest = list(client.configurations.list(name=name, latest_only=True))
    assert [c.id for c in latest] == [other.id]


@pytest.mark.parametrize("parameters", [EXTRACT, CLASSIFY, {"product_type": "unknown", "x": 1}])
def test_every_product_type_round_trips(client: LlamaCloud, parameters: dict[str, Any]) -> None:
    created = client.configurations.create(name=_name(), parameters=parameters)  # type: ignore[arg-type]
    assert created.product_type == parameters["product_type"]
    got = client.configurations.retrieve(created.id)
    assert got.parameters.to_dict() == parameters


def test_cursor_pagination_visits_every_configuration_once(client: LlamaCloud) -> None:
    prefix = _name()
    made = {
        client.configurations.create(name=f"{prefix}-{i}", parameters=CLASSIFY).id  # type: ignore[arg-type]
        for i in range(5)
    }
    first = client.configurations.list(page_size=2, product_type=["classify_v2"])
    assert len(first.items) == 2 and first.next_page_token
    seen = [c.id for c in client.configurations.list(page_size=2, product_type=["classify_v2"])]
    assert len(seen) == len(set(seen))
    assert made <= set(seen)


@pytest.mark.parametrize(
    ("parameters", "bad_key"),
    [
        ({**PARSE, "tier": "ultra"}, "parameters.tier"),
        ({**PARSE, "tierr": "fast"}, "parameters.tierr"),
        ({"product_type": "parse_v2", "tier": "fast"}, "parameters.version"),
        ({**PARSE, "page_ranges": {"max_pages": 0}}, "parameters.page_ranges.max_pages"),
        ({"product_type": "nope"}, "parameters.product_type"),
        ({**CLASSIFY, "rules": []}, "parameters.rules"),
        ({"product_type": "extract_v2"}, "parameters.data_schema"),
    ],
)
def test_bad_parameters_are_422_naming_the_key(
    client: LlamaCloud, parameters: dict[str, Any], bad_key: str
) -> None:
    with pytest.raises(llama_cloud.UnprocessableEntityError) as exc:
        client.configurations.create(name=_name(), parameters=parameters)  # type: ignore[arg-type]
    assert bad_key in _detail(exc.value)


def test_update_checks_parameters_and_keeps_the_product_type(client: LlamaCloud) -> None:
    created = client.configurations.create(name=_name(), parameters=PARSE)  # type: ignore[arg-type]
    with pytest.raises(llama_cloud.UnprocessableEntityError) as bad:
        client.configurations.update(created.id, parameters={**PARSE, "tier": 5})  # type: ignore[arg-type]
    assert "parameters.tier" in _detail(bad.value)
    with pytest.raises(llama_cloud.UnprocessableEntityError) as switched:
        client.configurations.update(created.id, parameters=EXTRACT)  # type: ignore[arg-type]
    assert "product_type" in _detail(switched.value)
    assert client.configurations.retrieve(created.id) == created


def test_unknown_configuration_ids_are_404(client: LlamaCloud) -> None:
    missing = f"cfg-{uuid.uuid4()}"
    with pytest.raises(llama_cloud.NotFoundError):
        client.configurations.retrieve(missing)
    with pytest.raises(llama_cloud.NotFoundError):
        client.configurations.update(missing, name="x")
    with pytest.raises(llama_cloud.NotFoundError):
        client.configurations.delete(missing)


# -- webhook configs ---------------------------------------------------------------------------
def test_webhook_config_lifecycle(client: LlamaCloud) -> None:
    created = client.webhook_configs.create(
        webhook_url="https://example.invalid/hook",
        webhook_events=["batch.success", "batch.error"],
        webhook_headers={"X-Team": "docs"},
        webhook_output_format="json",
        webhook_signing_secret="s3cret",
    )
    assert isinstance(created, WebhookConfigResponse)
    assert created.has_secret and created.tenant_type == "project" and created.tenant_id
    assert created.webhook_events == ["batch.success", "batch.error"]
    assert "s3cret" not in created.to_json()

    assert client.webhook_configs.retrieve(created.id) == created
    with pytest.deprecated_call():  # the SDK marks the unpaginated list deprecated
        listed = client.webhook_configs.list()
    assert created.id in {w.id for w in listed}

    updated = client.webhook_configs.update(
        created.id, webhook_url="http://hooks.example.invalid:8080/hook", webhook_events=None
    )
    assert updated.webhook_url == "http://hooks.example.invalid:8080/hook"
    assert updated.webhook_events is None  # null = every event
    assert updated.webhook_headers == {"X-Team": "docs"}  # not sent: unchanged
    assert updated.has_secret

    cleared = client.webhook_configs.update(created.id, webhook_signing_secret=None)
    assert not cleared.has_secret

    client.webhook_configs.delete(created.id)
    with pytest.raises(llama_cloud.NotFoundError):
        client.webhook_configs.retrieve(created.id)
    with pytest.raises(llama_cloud.NotFoundError):
        client.webhook_configs.delete(created.id)


def test_webhook_configs_paginate_newest_first(client: LlamaCloud) -> None:
    made = [
        client.webhook_configs.create(webhook_url=f"https://example.invalid/{i}").id
        for i in range(3)
    ]
    page = client.webhook_configs.list_paginated(page_size=1, include_total=True)
    assert len(page.items) == 1 and page.next_page_token
    seen = [w.id for w in client.webhook_configs.list_paginated(page_size=1)]
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i in made] == made[::-1]


@pytest.mark.parametrize(
    ("kwargs", "bad_key"),
    [
        ({"webhook_url": "ftp://example.invalid/x"}, "webhook_url"),
        ({"webhook_url": "not a url"}, "webhook_url"),
        ({"webhook_url": "http://127.0.0.1:9/hook"}, "webhook_url"),  # loopback: refused
        ({"webhook_url": "http://169.254.169.254/latest"}, "webhook_url"),  # cloud metadata
        ({"webhook_url": "https://example.invalid/x", "webhook_events": []}, "webhook_events"),
        (
            {"webhook_url": "https://example.invalid/x", "webhook_events": ["no.such"]},
            "webhook_events",
        ),
        (
            {"webhook_url": "https://example.invalid/x", "webhook_output_format": "xml"},
            "webhook_output_format",
        ),
    ],
)
def test_bad_webhook_configs_are_422(
    client: LlamaCloud, kwargs: dict[str, Any], bad_key: str
) -> None:
    with pytest.raises(llama_cloud.UnprocessableEntityError) as exc:
        client.webhook_configs.create(**kwargs)
    assert bad_key in _detail(exc.value)


def test_webhook_update_refuses_an_empty_event_list(client: LlamaCloud) -> None:
    created = client.webhook_configs.create(webhook_url="https://example.invalid/x")
    with pytest.raises(llama_cloud.UnprocessableEntityError):
        client.webhook_configs.update(created.id, webhook_events=[])
    with pytest.raises(llama_cloud.UnprocessableEntityError):
        client.webhook_configs.update(created.id, webhook_url=None)
    assert client.webhook_configs.retrieve(created.id) == created


def test_unknown_webhook_config_ids_are_404(client: LlamaCloud) -> None:
    missing = f"whc-{uuid.uuid4()}"
    with pytest.raises(llama_cloud.NotFoundError):
        client.webhook_configs.retrieve(missing)
    with pytest.raises(llama_cloud.NotFoundError):
        client.webhook_configs.update(missing, webhook_url="https://example.invalid/x")
