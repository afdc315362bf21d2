"""`reams keys list / revoke` against a real server in key mode (a revoked key is refused with
401 on the very next request), the database files' mode (0600), and names over HTTP (422
naming the field and the limit, `..` segments removed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reams.domain import names
from servers import RunningServer, start_server


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("keys"), env={"REAMS_AUTH_MODE": "keys"})
    yield running
    running.stop()


def _keys(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REAMS_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "reams.cli", "keys", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _client(server: RunningServer, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30
    )


def test_revoked_keys_answer_401_at_once(keyed: RunningServer) -> None:
    made = _keys(keyed.data_dir, "create", "--project", "revoking")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    spare = _keys(keyed.data_dir, "create", "--project", "revoking").stdout.strip()
    with _client(keyed, key) as client, _client(keyed, spare) as spare_client:
        assert client.get("/api/v1/beta/directories").status_code == 200

        listed = _keys(keyed.data_dir, "list", "--project", "revoking")
        assert listed.returncode == 0, listed.stderr
        lines = [line.split() for line in listed.stdout.splitlines()]
        assert lines[0] == ["ID", "PREFIX", "PROJECT", "CREATED", "REVOKED"]
        row = next(line for line in lines if line[1] == key[: len(line[1])])
        assert row[2] == "revoking" and row[-1] == "-"
        assert key not in listed.stdout  # only the prefix is ever shown

        revoked = _keys(keyed.data_dir, "revoke", row[1])  # by the prefix the listing shows
        assert revoked.returncode == 0, revoked.stderr
        assert f"Revoked API key {row[0]}" in revoked.stdout
        # The very next request: no cache stands between the store and the check.
        answer = client.get("/api/v1/beta/directories")
        assert answer.status_code == 401, answer.text
        assert spare_client.get("/api/v1/beta/directories").status_code == 200

        again = _keys(keyed.data_dir, "list", "--json", "--project", "revoking")
        state = {k["id"]: k["revoked_at"] for k in json.loads(again.stdout)}
        assert state[row[0]] is not None and list(state.values()).count(None) == 1

        assert _keys(keyed.data_dir, "revoke", "reams_nothing").returncode == 1


def test_database_files_are_private(keyed: RunningServer) -> None:
    for name in ("reams.db", "reams.db-wal", "reams.db-shm"):
        path = keyed.data_dir / name
        assert path.exists(), name
        assert path.stat().st_mode & 0o777 == 0o600, (name, oct(path.stat().st_mode))


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    first = _keys(tmp_path, "list")
    assert first.returncode == 0, first.stderr
    (tmp_path / "reams.db").chmod(0o644)
    assert _keys(tmp_path, "list").returncode == 0
    assert (tmp_path / "reams.db").stat().st_mode & 0o777 == 0o600


def test_names_over_http(keyed: RunningServer) -> None:
    key = _keys(keyed.data_dir, "create", "--project", "names").stdout.strip()
    with _client(keyed, key) as client:
        for name, words in [
            ("a\x00b", "x00"),
            ("x" * (names.DIRECTORY_NAME_MAX + 1), str(names.DIRECTORY_NAME_MAX)),
        ]:
            answer = client.post("/api/v1/beta/directories", json={"name": name})
            assert answer.status_code == 422, answer.text
            assert "name" in answer.text and words in answer.text
        directory = client.post("/api/v1/beta/directories", json={"name": "Cafe\u0301"}).json()
        assert directory["name"] == "Café"

        upload = client.post(
            f"/api/v1/beta/directories/{directory['id']}/files/upload",
            files={"upload_file": ("doc.md", b"# hi\n", "text/markdown")},
            data={"display_name": "../../../etc/doc.md"},
        )
        assert upload.status_code == 200, upload.text
        entry = upload.json()
        assert entry["display_name"] == "etc/doc.md"

        # Form fields are not in the JSON schema: the application layer's own 422 names them.
        refused = client.post(
            f"/api/v1/beta/directories/{directory['id']}/files/upload",
            files={"upload_file": ("doc2.md", b"# two\n", "text/markdown")},
            data={"unique_id": "u" * (names.UNIQUE_ID_MAX + 1)},
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"] == (
            f"unique_id is too long: {names.UNIQUE_ID_MAX + 1} characters, "
            f"the limit is {names.UNIQUE_ID_MAX}"
        )
        # ... and the file made for that refused entry is not left behind.
        files = client.get("/api/v1/beta/files", params={"file_name": "doc2.md"}).json()
        assert files["items"] == []

        moved = client.patch(
            f"/api/v1/beta/directories/{directory['id']}/files/{entry['id']}",
            json={"display_name": ".."},
        )
        assert moved.status_code == 422, moved.text
        assert "display_name" in moved.json()["detail"]
