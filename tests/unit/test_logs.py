"""The JSON log formatter: one object per line, extras kept, exceptions included."""

from __future__ import annotations

import json
import logging

from reams.logs import JsonFormatter


def test_json_lines_keep_extras_and_exceptions() -> None:
    record = logging.makeLogRecord(
        {"name": "reams.x", "levelname": "WARNING", "msg": "job %s slow", "args": ("bjb-1",),
         "job_id": "bjb-1", "attempt": 2, "detail": {"a": 1}}
    )  # fmt: skip
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "job bjb-1 slow" and entry["level"] == "WARNING"
    assert (entry["job_id"], entry["attempt"], entry["detail"]) == ("bjb-1", 2, "{'a': 1}")
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line and "ValueError: boom" in json.loads(line)["exc_info"]
