"""v1 classifier-job create (`POST /api/v1/classifier/jobs`, spec §9.1 (a))."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from reams.wire.analysis import ClassifierParsingV1, ClassifyRule
from reams.wire.common import WireModel


class ClassifierJobCreate(WireModel):
    file_ids: list[str] = Field(
        description="The files to classify (`fil-...`, uploaded with POST /api/v1/beta/files).",
        json_schema_extra={"minItems": 1},  # stated; the route refuses [] with a sentence
    )
    rules: list[ClassifyRule] = Field(
        description="Types to choose from: each a `type` label and a natural-language "
        "`description` of the documents it fits.",
        json_schema_extra={"minItems": 1},  # stated; [] is refused with a sentence
    )
    mode: Literal["FAST", "MULTIMODAL"] | None = Field(
        default=None, description="Classification mode (default FAST)."
    )
    parsing_configuration: ClassifierParsingV1 | None = Field(
        default=None,
        description="How documents are read first: `lang`, `max_pages`, `target_pages` "
        "(0-indexed).",
    )
    webhook_configurations: list[dict[str, Any]] | None = Field(
        default=None, description="Accepted for SDK compatibility; reams sends no webhooks."
    )
