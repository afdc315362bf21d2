"""Classify and extract results: `/api/v2/classify/{id}`, `/api/v2/extract/{id}` and the v1
classifier-job views (spec §9.1, §9.3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from reams.wire.common import WireModel

V2Status = Literal["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]


class ClassifyResult(WireModel):
    type: str | None = None
    confidence: float
    reasoning: str


class ClassifyRule(WireModel):
    type: str
    description: str


class ClassifyParsingV2(WireModel):
    lang: str | None = None
    max_pages: int | None = None
    target_pages: str | None = None  # 1-based, "1,3-5"


class ClassifyConfigurationV2(WireModel):
    rules: list[ClassifyRule]
    mode: Literal["FAST"] | None = None
    parsing_configuration: ClassifyParsingV2 | None = None


class ClassifyV2Job(WireModel):
    id: str
    configuration: ClassifyConfigurationV2
    document_input_type: Literal["file_id", "parse_job_id", "url"]
    file_input: str
    project_id: str
    status: V2Status
    user_id: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    error_message: str | None = None
    result: ClassifyResult | None = None
    usage: dict[str, Any] | None = None  # LLM tokens (reams; LlamaCloud reports credits)
    engine: dict[str, Any] | None = None  # which engine answered (reams)
    configuration_id: str | None = Field(
        default=None, description="The saved configuration or preset the job was created with."
    )
    transaction_id: str | None = Field(default=None, description="As given at creation.")


class ClassifyCreate(WireModel):
    """`POST /api/v2/classify`; `file_id` is the deprecated name of `file_input`."""

    file_input: str | None = None
    file_id: str | None = None
    configuration: dict[str, Any] | None = None
    configuration_id: str | None = None
    transaction_id: str | None = None
    webhook_configurations: list[dict[str, Any]] | None = None
    webhook_configuration_ids: list[str] | None = Field(
        default=None, description="Saved webhook configs to notify (recorded; not delivered yet)."
    )
    parse_job_id: str | None = Field(
        default=None, description="Not supported: classify a file (`fil-`/`dfl-`) instead."
    )


class ExtractCreate(WireModel):
    """`POST /api/v2/extract`."""

    file_input: str
    configuration: dict[str, Any] | None = None
    configuration_id: str | None = None
    webhook_configurations: list[dict[str, Any]] | None = None
    webhook_configuration_ids: list[str] | None = Field(
        default=None, description="Saved webhook configs to notify (recorded; not delivered yet)."
    )


class ExtractV2Job(WireModel):
    id: str
    project_id: str
    file_input: str
    status: str
    created_at: datetime
    updated_at: datetime
    extract_result: dict[str, Any] | list[dict[str, Any]] | None = None
    extract_metadata: dict[str, Any] | None = None
    configuration: dict[str, Any] | None = None
    error_message: str | None = None
    metadata: dict[str, Any] | None = None
    configuration_id: str | None = Field(
        default=None, description="The saved configuration the job was created with."
    )
    usage: dict[str, Any] | None = Field(
        default=None, description="`expand=usage`: credits are always null in reams."
    )


class SchemaValidation(WireModel):
    data_schema: dict[str, Any]


class ClassifierParsingV1(WireModel):
    lang: str | None = None
    max_pages: int | None = None
    target_pages: list[int] | None = None  # 0-indexed


class ClassifierJobV1(WireModel):
    """The v1 ``ClassifyJob`` record; in reams a classify batch job is the classifier job."""

    id: str
    project_id: str
    user_id: str
    status: Literal["PENDING", "SUCCESS", "ERROR", "PARTIAL_SUCCESS", "CANCELLED"]
    rules: list[ClassifyRule]
    mode: Literal["FAST", "MULTIMODAL"] | None = None
    parsing_configuration: ClassifierParsingV1 | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    error_message: str | None = None


class ClassifiedFile(WireModel):
    id: str
    classify_job_id: str
    file_id: str | None = None
    result: ClassifyResult | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ClassifierResultsPage(WireModel):
    items: list[ClassifiedFile]
    next_page_token: str | None = None
    total_size: int | None = None
