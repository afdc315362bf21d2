"""Table definitions (SQLAlchemy Core). The job row carries one counter per item state."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

TS = DateTime(timezone=True)

projects = Table(
    "projects",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", TS, nullable=False),
    # Recent service for fair scheduling (domain.fairness.Share): items claimed, decayed by
    # half every HALF_LIFE_S, as of ``served_at``. Moved by every claim of the project's items.
    Column("served", Float, nullable=False, server_default="0"),
    Column("served_at", TS),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("revoked_at", TS),
)

files = Table(
    "files",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("name", String(1024), nullable=False),
    Column("file_type", String(32)),
    Column("purpose", String(64)),
    Column("external_file_id", String(512)),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
    Index("ix_files_project_created", "project_id", "created_at"),
)

directories = Table(
    "directories",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("name", String(512), nullable=False),
    Column("description", Text),
    Column("type", String(16)),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    Index("ix_directories_project", "project_id", "created_at"),
)

directory_files = Table(
    "directory_files",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("directory_id", String(64), ForeignKey("directories.id"), nullable=False),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("file_id", String(64), ForeignKey("files.id")),
    Column("display_name", String(1024), nullable=False),
    Column("unique_id", String(1024), nullable=False),
    Column("metadata", JSON),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    Index("ix_dfiles_dir_seq", "directory_id", "seq"),
    Index(
        "ux_dfiles_unique_live",
        "directory_id",
        "unique_id",
        unique=True,
        sqlite_where=text("deleted_at IS NULL"),
    ),
)


def add_postgresql_options() -> None:
    """The PostgreSQL-only options of the tables above, added when a PostgreSQL store opens.

    Naming ``postgresql_where`` in the ``Index`` itself makes SQLAlchemy import its whole
    PostgreSQL dialect (drivers and catalog tables included) in every process that imports
    the tables: a tenth of a second of each command's start-up, on SQLite too.
    """
    live = next(ix for ix in directory_files.indexes if ix.name == "ux_dfiles_unique_live")
    live.dialect_options["postgresql"]["where"] = text("deleted_at IS NULL")


jobs = Table(
    "jobs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("job_type", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("directory_id", String(64)),
    Column("workflow_id", String(128), nullable=False),
    Column("namespace", String(256)),
    # Workflow tuning from the create call (Temporal engine): items per activity, per run.
    Column("page_size", Integer),
    Column("continue_as_new_threshold", Integer),
    # Orders jobs within a project (higher first); projects take turns (domain.fairness).
    Column("priority", Integer, nullable=False, server_default="0"),
    Column("job_config", JSON, nullable=False),
    # The resolved, versioned JobSettings (NULL for jobs created before 0004), and which API
    # created the job with what its views need (JobOrigin).
    Column("settings", JSON),
    Column("origin", JSON),
    Column("api", String(16)),  # JobOrigin.api, as a column to filter lists by (NULL: v1)
    Column("parameters_hash", String(64), nullable=False),
    Column("total_items", Integer, nullable=False),
    Column("n_pending", Integer, nullable=False, server_default="0"),
    Column("n_processing", Integer, nullable=False, server_default="0"),
    Column("n_completed", Integer, nullable=False, server_default="0"),
    Column("n_failed", Integer, nullable=False, server_default="0"),
    Column("n_skipped", Integer, nullable=False, server_default="0"),
    Column("n_cancelled", Integer, nullable=False, server_default="0"),
    # Two throughput anchors (time, terminal count) for the ETA; see store.transitions.
    Column("eta_prev_at", TS),
    Column("eta_prev_done", Integer),
    Column("eta_anchor_at", TS),
    Column("eta_anchor_done", Integer),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("started_at", TS),
    Column("completed_at", TS),
    Column("error_message", Text),
    Column("cancel_reason", Text),
    # Why the job's orchestration could not be started yet (Temporal away), and since when;
    # NULL once it started. The job starts by itself when the orchestrator is back.
    Column("dispatch_error", Text),
    Column("dispatch_error_at", TS),
    # Pages of the job's documents parsed in page parts (item_parts), and of those done.
    Column("pages_total", Integer, nullable=False, server_default="0"),
    Column("pages_done", Integer, nullable=False, server_default="0"),
    Index("ix_jobs_project_created", "project_id", "created_at"),
    Index("ix_jobs_status", "status"),
    Index("ix_jobs_project_api_created", "project_id", "api", "created_at"),
)

items = Table(
    "items",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("job_id", String(64), ForeignKey("jobs.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("project_id", String(64), nullable=False),
    Column("item_id", String(64), nullable=False),
    Column("item_name", String(1024), nullable=False),
    Column("file_id", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("skip_reason", String(64)),
    Column("error_code", String(64)),
    Column("error_message", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    # Claims lost with their process (a killed server or worker), not charged as attempts.
    Column("losses", Integer, nullable=False, server_default="0"),
    Column("not_before", TS),
    # "<engine instance>:<boot>" for the local engine (see engine.instance); NULL unless the
    # item is processing.
    Column("lease_owner", String(64)),
    Column("lease_expires_at", TS),
    Column("result_id", String(64)),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("started_at", TS),
    Column("completed_at", TS),
    Index("ix_items_job_status_seq", "job_id", "status", "seq"),
    Index("ix_items_job_seq", "job_id", "seq"),
    Index("ix_items_item_id", "item_id"),
    Index("ix_items_lease", "status", "lease_expires_at"),
)

# Page parts of a huge document (docs/slices.md): page ranges any worker may claim (leased
# like items), and one merge row per item, waiting until every page part is completed.
# The item stays ``processing`` meanwhile, leased to ``PARTS_OWNER`` without expiry.
item_parts = Table(
    "item_parts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("item_row_id", String(64), ForeignKey("items.id"), nullable=False),
    Column("job_id", String(64), ForeignKey("jobs.id"), nullable=False),
    Column("kind", String(8), nullable=False),  # PartKind
    Column("part_no", Integer, nullable=False),  # page order; the merge row comes last
    Column("first_page", Integer, nullable=False),
    Column("last_page", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # PartStatus
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("losses", Integer, nullable=False, server_default="0"),
    Column("not_before", TS),
    Column("lease_owner", String(64)),
    Column("lease_expires_at", TS),
    Column("output_sha256", String(64)),
    Column("error_code", String(64)),  # the last retry's reason
    Column("error_message", Text),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Index("ix_item_parts_job_status", "job_id", "status", "kind", "part_no"),
    Index("ix_item_parts_item", "item_row_id", "part_no"),
    Index("ix_item_parts_lease", "status", "lease_expires_at"),
)

results = Table(
    "results",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("project_id", String(64), nullable=False),
    Column("job_id", String(64), nullable=False),
    Column("item_row_id", String(64), nullable=False, unique=True),
    Column("item_id", String(64), nullable=False),
    Column("file_name", String(1024), nullable=False),
    Column("job_type", String(16), nullable=False),
    Column("job_config", JSON, nullable=False),
    Column("parameters_hash", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("output_sha256", String(64), nullable=False),
    Column("output_metadata", JSON),
    Column("cacheable", Boolean, nullable=False),
    Column("duration_s", Float),
    Column("processed_at", TS, nullable=False),
    Index("ix_results_dedup", "project_id", "sha256", "parameters_hash"),
    Index("ix_results_item", "item_id"),
)

# Saved product configurations (`/api/v1/beta/configurations`). One row per (project, name,
# product type): creating one with the same name and product type updates it (the SDK's
# "upsert") and moves `version` on. Built-in presets are not stored (store.configurations).
configurations = Table(
    "configurations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("name", String(512), nullable=False),
    Column("product_type", String(32), nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("version", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Index("ux_configurations_name", "project_id", "name", "product_type", unique=True),
    Index("ix_configurations_project_created", "project_id", "created_at"),
)

# Saved webhook configurations (`/api/v1/beta/webhook-configs`); the signing secret is
# write-only on the API and kept here for signing deliveries.
webhook_configs = Table(
    "webhook_configs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("webhook_url", String(2048), nullable=False),
    Column("webhook_events", JSON),
    Column("webhook_headers", JSON),
    Column("webhook_output_format", String(16)),
    Column("signing_secret", Text),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Index("ix_webhook_configs_project_created", "project_id", "created_at"),
)

# Idempotent creates: one row per (project, Idempotency-Key). ``status_code`` NULL while the
# first request runs; then its response (status + JSON) is replayed to the same request.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("project_id", String(64), ForeignKey("projects.id"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer),
    Column("response", JSON),
    Column("created_at", TS, nullable=False),
    Column("completed_at", TS),
    Index("ix_idempotency_keys_created", "created_at"),
)

# Webhooks: the endpoints a job notifies (resolved at create, so a saved config changed later
# does not change a running job), and the outbox of deliveries. A delivery row is written in
# the transaction of the job change it reports; senders claim due rows like items (a lease),
# so several API processes never send one twice under normal operation.
job_webhooks = Table(
    "job_webhooks",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("job_id", String(64), ForeignKey("jobs.id"), nullable=False),
    Column("config_id", String(64)),
    Column("url", String(2048), nullable=False),
    Column("events", JSON),
    Column("headers", JSON),
    Column("output_format", String(16), nullable=False),
    Column("signing_secret", Text),
    Column("stopped_at", TS),  # the endpoint answered 410 Gone: nothing more is sent
    Index("ix_job_webhooks_job", "job_id"),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    # Insertion order: deliveries to one endpoint about one job go out in this order.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("job_id", String(64), ForeignKey("jobs.id"), nullable=False),
    Column("webhook_id", String(64), ForeignKey("job_webhooks.id"), nullable=False),
    Column("event", String(64), nullable=False),
    Column("snapshot", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", TS, nullable=False),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("lease_owner", String(64)),
    Column("lease_expires_at", TS),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("delivered_at", TS),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_job", "job_id", "seq"),
    Index("ix_webhook_deliveries_webhook", "webhook_id", "seq"),
)

# `reams worker` processes (Temporal engine): one row each, written when it starts, its
# `last_seen_at` moved every `heartbeat_s` seconds, `stopped_at` set on graceful shutdown.
# Rows stopped or unseen for a day are swept (domain.workers).
workers = Table(
    "workers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("hostname", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("task_queue", String(256), nullable=False),
    Column("namespace", String(256), nullable=False),
    Column("slots", Integer, nullable=False),
    Column("heartbeat_s", Float, nullable=False),
    Column("items_done", BigInteger, nullable=False, server_default=text("0")),
    Column("started_at", TS, nullable=False),
    Column("last_seen_at", TS, nullable=False),
    Column("stopped_at", TS),
    Index("ix_workers_queue_seen", "task_queue", "last_seen_at"),
)
