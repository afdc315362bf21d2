"""The one settings object (environment variables with the ``REAMS_`` prefix).

Built by the CLI or by ``create_app(settings=None)`` and passed down; never at import time.
"""

from __future__ import annotations

import base64
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from reams.engine.base import DEFAULT_SLICE_PAGES

if TYPE_CHECKING:  # the llm package imports httpx: loaded only when an endpoint is set
    from reams.processors.llm.config import LlmConfig


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "reams"


class Settings(BaseSettings):
    """Every knob of a reams process. Each field reads ``REAMS_<NAME>`` from the environment."""

    model_config = SettingsConfigDict(env_prefix="REAMS_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir, description="State and blobs.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file in the data directory."
    )
    engine: Literal["local", "temporal"] = Field(
        default="local",
        description="local: the API process runs items; temporal: `reams worker` processes do.",
    )
    auth_mode: Literal["open", "keys"] = Field(
        default="open", description="open: any bearer key maps to the default project."
    )
    default_project: str = Field(default="default", description="Project used in open mode.")
    public_url: str | None = Field(
        default=None, description="Base URL put into download links; default: the request's."
    )
    workers: int = Field(default=max(1, (os.cpu_count() or 1)), ge=1, le=256)
    max_file_bytes: int = Field(default=100 * 1024 * 1024, ge=1, description="Larger: skipped.")
    max_upload_bytes: int = Field(default=512 * 1024 * 1024, ge=1)
    max_bulk_files: int = Field(
        default=1000, ge=1, description="Files per bulk upload request (reams extension)."
    )
    item_timeout_s: float = Field(default=300.0, gt=0, description="Default per-item timeout.")
    item_timeout_per_page_s: float = Field(
        default=6.0, ge=0, description="Extra time per estimated page (scans need OCR)."
    )
    max_attempts: int = Field(default=3, ge=1, description="Tries per item (retryable errors).")
    max_losses: int = Field(
        default=10,
        ge=1,
        description="Times an item may be lost with its process (server or worker killed) "
        "before it fails as worker_lost; counted apart from max_attempts.",
    )
    retry_backoff_s: float = Field(default=2.0, ge=0)
    lease_s: float = Field(default=30.0, gt=0, description="Claim lease; renewed while running.")
    worker_max_items: int = Field(default=1000, ge=1, description="Recycle a worker after N items.")
    worker_max_rss_mb: int = Field(default=1024, ge=64, description="Recycle above this RSS.")
    worker_memory_limit_mb: int = Field(default=4096, ge=128, description="Address-space cap.")
    worker_niceness: int | None = Field(
        default=None,
        ge=0,
        le=19,
        description="Nice value of the worker processes; unset: 10 for `reams serve` and "
        "`reams worker` (the API stays responsive), 0 for `reams run`.",
    )
    poll_interval_s: float = Field(default=1.0, gt=0)
    slice_pages: int = Field(
        default=DEFAULT_SLICE_PAGES,
        ge=0,
        description="A PDF of more pages is parsed in page parts (slice_part_pages each) on "
        "several workers at once and merged into one result (both engines); 0: never. Below "
        "it a document is worth no split: a 300-page PDF parses in under half a second, and "
        "its parts and merge cost about a tenth more CPU.",
    )
    slice_part_pages: int = Field(
        default=250,
        ge=1,
        description="Pages in each page part of a split PDF (at most half the document's, so "
        "that there are always two parts or more).",
    )
    ocr_int8: Literal["off", "on", "auto"] = Field(
        default="off",
        description="rapidocr's text recogniser in 8 bits (`on`; `auto`: on CPUs with VNNI). "
        "Read by the OCR engine in the worker processes from the environment; declared here so "
        "a wrong value stops the command at start instead of failing scanned pages.",
    )
    engine_process: bool = Field(
        default=True,
        description="`reams serve` with the local engine: run the engine in a process of its "
        "own (its bookkeeping never competes with the API for the GIL); false: in the API's.",
    )
    engine_nice: int = Field(
        default=5,
        ge=0,
        le=19,
        description="Niceness of that engine process (its workers add worker_niceness to it): "
        "when the CPU is short the API answers first, then the engine's bookkeeping, then "
        "the workers.",
    )
    api_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="`reams serve`: API processes (uvicorn workers) sharing the port; more "
        "than one needs the engine in its own process or the Temporal engine.",
    )
    engine_address: str | None = Field(
        default=None,
        description="Set by `reams serve` for its API process: the Unix socket of its engine "
        "process. Not a user setting.",
    )
    download_url_ttl_s: int = Field(default=3600, ge=1)
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs download URLs; every API replica needs the same one. "
        "Default: a random key kept in the data directory.",
    )

    log_format: Literal["text", "json"] = Field(
        default="text",
        description="`reams serve` / `reams worker` logs: plain text, or one JSON object per line.",
    )
    log_level: str = Field(default="INFO", description="Python logging level of those logs.")
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="Standard Webhooks secret (`whsec_<base64>`) that signs every delivery "
        "(`webhook-signature`); every API replica needs the same one. Default: a random "
        "secret kept in the data directory (`webhook.secret`).",
    )
    webhook_allow_private: bool = Field(
        default=False,
        description="Let webhooks target loopback, private, link-local and metadata addresses. "
        "Only for trusted users: a job's creator can then make the server call internal "
        "services.",
    )
    webhook_timeout_s: float = Field(default=10.0, gt=0, description="Per delivery attempt.")
    webhook_retry_base_s: float = Field(
        default=2.0, gt=0, description="First retry delay; doubles per failed attempt, jittered."
    )
    webhook_retry_max_delay_s: float = Field(
        default=3600.0, gt=0, description="Longest wait between two attempts."
    )
    webhook_retry_window_s: float = Field(
        default=86400.0, gt=0, description="Give a delivery up this long after its event."
    )
    webhook_poll_s: float = Field(
        default=0.5, gt=0, description="How often an idle sender looks for due deliveries."
    )
    webhook_concurrency: int = Field(
        default=4, ge=1, le=256, description="Deliveries in flight at once per API process."
    )
    webhook_sender: bool = Field(
        default=True, description="Run the webhook sender in this API process."
    )

    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint (e.g. http://127.0.0.1:8000/v1) for classify and "
        "extract; unset: the offline engines.",
    )
    llm_model: str | None = Field(default=None, description="Model name sent to the endpoint.")
    llm_api_key: SecretStr | None = Field(default=None, description="Bearer key, if needed.")
    llm_max_concurrency: int = Field(
        default=4, ge=1, le=1024, description="LLM requests in flight at once on this host."
    )
    llm_timeout_s: float = Field(default=120.0, gt=0, description="Per LLM request.")
    llm_max_retries: int = Field(
        default=4, ge=0, le=20, description="In-item retries on 429 / 5xx before the item retries."
    )
    llm_context_tokens: int = Field(
        default=32_768,
        ge=2_048,
        description="The model's context window in tokens: extraction sends a longer document in "
        "chunks that fit and merges their answers.",
    )
    llm_vision: bool | None = Field(
        default=None,
        description="Whether the model takes page images (classify MULTIMODAL, extract tier "
        "agentic / agentic_plus): true, false (text only), unset (try, fall back to text).",
    )
    llm_max_images: int = Field(
        default=8, ge=1, le=100, description="Page images in one LLM request at most."
    )

    def webhook_server_secret(self) -> str:
        """The Standard Webhooks secret: the configured one, else the data directory's."""
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value()
        return stored_secret(
            self.data_dir / "webhook.secret",
            lambda: "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
        )

    def llm_config(self) -> LlmConfig | None:
        """The LLM endpoint, typed, as it travels to the workers; None when not configured."""
        if not self.llm_base_url or not self.llm_model:
            return None
        from reams.processors.llm.config import LlmConfig

        return LlmConfig(
            base_url=self.llm_base_url,
            model=self.llm_model,
            api_key=self.llm_api_key.get_secret_value() if self.llm_api_key else None,
            max_concurrency=self.llm_max_concurrency,
            timeout_s=self.llm_timeout_s,
            max_retries=self.llm_max_retries,
            context_tokens=self.llm_context_tokens,
            vision=self.llm_vision,
            max_images=self.llm_max_images,
        )

    temporal_address: str = Field(default="127.0.0.1:7233", description="Temporal frontend.")
    temporal_namespace: str = Field(
        default="default",
        description="Namespace for jobs created without a `temporal-namespace` header; "
        "`reams worker` polls this one.",
    )
    temporal_task_queue: str = Field(default="reams", description="Task queue of reams workers.")
    temporal_metrics_address: str | None = Field(
        default=None,
        description="host:port where `reams worker` serves the Temporal SDK's Prometheus metrics "
        "(e.g. 0.0.0.0:9464); unset: not served.",
    )
    temporal_tls: bool = Field(
        default=False,
        description="Connect to Temporal over TLS (implied by any TLS path, the server name or an "
        "API key); the system roots verify the server unless a CA is given.",
    )
    temporal_tls_ca_path: Path | None = Field(
        default=None, description="PEM CA bundle that signed the Temporal server's certificate."
    )
    temporal_tls_cert_path: Path | None = Field(
        default=None, description="PEM client certificate for mutual TLS (with the key)."
    )
    temporal_tls_key_path: Path | None = Field(
        default=None, description="PEM private key of the client certificate."
    )
    temporal_tls_server_name: str | None = Field(
        default=None,
        description="Name to expect on the server certificate (and SNI), if not "
        "the address's host.",
    )
    temporal_api_key: SecretStr | None = Field(
        default=None, description="Temporal Cloud API key (sent as a bearer token over TLS)."
    )
    temporal_slice_size: int = Field(
        default=50,
        ge=1,
        le=10_000,
        description="Items one activity settles at first (fast items: up to temporal_slice_growth "
        "times this); while slices come back full the next ones double, up to the same bound "
        "(a job's own page_size: never more).",
    )
    temporal_slice_growth: int = Field(
        default=8, ge=1, le=100, description="How far slices of fast items may grow (× slice size)."
    )
    temporal_slice_max_s: float = Field(
        default=60.0, gt=0, description="An activity takes no new item after this long."
    )
    temporal_fan_out: int = Field(
        default=8, ge=1, le=256, description="Activities one job runs at once."
    )
    temporal_continue_as_new_threshold: int = Field(
        default=5000, ge=1, description="Items a workflow run settles before continuing as new."
    )
    temporal_heartbeat_timeout_s: float = Field(
        default=30.0, gt=0, description="A worker silent this long is presumed dead."
    )
    temporal_retry_initial_s: float = Field(default=1.0, gt=0)
    temporal_retry_max_interval_s: float = Field(default=60.0, gt=0)
    temporal_retry_max_attempts: int = Field(
        default=10, ge=0, description="Activity attempts on infrastructure failures; 0: no limit."
    )
    temporal_resubmit_interval_s: float = Field(
        default=60.0, gt=0, description="How often the API makes sure active jobs have a workflow."
    )
    temporal_worker_heartbeat_s: float = Field(
        default=5.0,
        gt=0,
        description="How often `reams worker` writes its heartbeat row; a worker unseen for "
        "three intervals is stale (`reams workers`, `/readyz`).",
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'reams.db').resolve()}"


def stored_secret(path: Path, make: Callable[[], str]) -> str:
    """A secret kept in a file made 0600 on first use (by whichever process comes first)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made earlier, or by another process starting at the same time
        return _read_secret(path)
    with os.fdopen(fd, "w") as out:
        out.write(make())
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    # A concurrent creator may not have written yet; a short wait beats two different secrets.
    for _ in range(50):
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty; delete it to have a new secret made")
