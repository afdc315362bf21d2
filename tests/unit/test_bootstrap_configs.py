"""The composition root fills the engine's and Temporal's configs from the settings by name."""

from __future__ import annotations

from dataclasses import fields

import pytest
from pydantic import ValidationError

from reams.bootstrap import engine_config, temporal_config
from reams.engine.base import EngineConfig
from reams.engine.temporal.config import TemporalConfig
from reams.settings import Settings

# Knobs with no setting on purpose (their defaults are the behaviour).
NO_SETTING = {"llm", "rpc_timeout_s", "shutdown_grace_s"}


def test_every_knob_has_a_setting_of_the_same_name() -> None:
    missing = [
        f"{cls.__name__}.{f.name}"
        for cls, prefix in ((EngineConfig, ""), (TemporalConfig, "temporal_"))
        for f in fields(cls)
        if f.name not in NO_SETTING and prefix + f.name not in Settings.model_fields
    ]
    assert missing == []


def test_settings_reach_the_configs() -> None:
    settings = Settings(
        workers=3,
        lease_s=7.5,
        worker_memory_limit_mb=2048,
        temporal_address="127.0.0.2:7233",
        temporal_fan_out=5,
        llm_base_url="http://127.0.0.1:1/v1",
        llm_model="m",
    )
    engine = engine_config(settings)
    assert (engine.workers, engine.lease_s, engine.worker_memory_limit_mb) == (3, 7.5, 2048)
    assert engine.llm is not None and engine.llm.model == "m"
    temporal = temporal_config(settings)
    assert (temporal.address, temporal.fan_out) == ("127.0.0.2:7233", 5)
    assert temporal.rpc_timeout_s == TemporalConfig().rpc_timeout_s


def test_a_wrong_ocr_int8_value_stops_at_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # the OCR engine reads REAMS_OCR_INT8 itself in the worker processes; the settings check it
    # when a command starts, so a typo fails there, not on every scanned page
    monkeypatch.setenv("REAMS_OCR_INT8", "fast")
    with pytest.raises(ValidationError, match="ocr_int8"):
        Settings()
    monkeypatch.setenv("REAMS_OCR_INT8", "auto")
    assert Settings().ocr_int8 == "auto"
