"""The ``reams`` command moves what its imports made out of the garbage collector's sight
before it runs a command (``gc.freeze``): full collections during a run, and the collection at
exit, no longer walk every module's objects."""

from __future__ import annotations

import gc

import pytest

from reams.cli.main import app


def test_the_command_freezes_its_imports_before_running() -> None:
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as done:
            app(["--help"], prog_name="reams")
        assert done.value.code == 0
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
