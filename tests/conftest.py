"""What every tier needs, and nothing heavier: ``tests/`` on ``sys.path`` (for the helper
modules) and the exit status guard below.

Fixtures that start servers or need PostgreSQL live in ``fixtures_servers.py`` and
``fixtures_postgres.py`` and are imported by the conftest of each tier that uses them
(contract, integration, acceptance), so collecting and running ``tests/unit`` loads neither
the SDK, nor Temporal, nor a database driver.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

_exit_status: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End with the tests' own exit status once temporalio was loaded in this process.

    Its native threads can abort interpreter teardown with SIGABRT (exit 134) after every
    test passed (sdk-python #300), which CI would read as a failure. Every report is written
    by now (results, cache, junit), so nothing is lost by skipping the teardown.
    """
    if "temporalio" in sys.modules and _exit_status:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[-1])
