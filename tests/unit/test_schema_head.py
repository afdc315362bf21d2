"""The schema head reams checks at start-up (without Alembic) is Alembic's own head."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from reams.store.db import MIGRATIONS, at_head, make_engine, migrate, schema_head


def test_schema_head_is_alembics_head() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert schema_head() == ScriptDirectory.from_config(cfg).get_current_head()


def test_a_new_database_is_not_at_head_until_migrated(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'reams.db'}")
    try:
        assert not at_head(engine)
        migrate(engine)
        assert at_head(engine)
        migrate(engine)  # at head: a no-op
        assert at_head(engine)
    finally:
        engine.dispose()
