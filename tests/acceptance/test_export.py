"""Bulk export (``GET …/{job_id}/export``, ``client.beta.batch.export``, ``reams export``) against
a real server, and ``reams run`` writing its outputs as items finish (Ctrl-C keeps them)."""

from __future__ import annotations

import asyncio
import csv
import json
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_cli_run import reams, reams_env, relpaths, wait_for_results
from test_sdk_analysis import CONTRACT, INVOICE, RESUME, RULES, SCHEMA

import docgen  # type: ignore[import-not-found]
from reams import AsyncClient, Client
from reams.client import NotFoundError
from servers import RunningServer

DOCS = {"invoice.md": INVOICE, "agreement.txt": CONTRACT, "cv.md": RESUME}


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[Client]:
    with Client(server.base_url, max_retries=0) as c:
        yield c


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three text documents and a few generated ones, flat (names as uploaded)."""
    docs = tmp_path_factory.mktemp("export-docs")
    for name, data in DOCS.items():
        (docs / name).write_bytes(data)
    docgen.make_corpus(docs, 3, kinds=("md", "html", "pdf"))
    return docs


def _job(client: Client, folder: Path, config: dict[str, Any]) -> str:
    directory = client.beta.directories.create(name=f"export-{len(config)}")
    for path in sorted(folder.iterdir()):
        client.beta.directories.files.upload(directory.id, upload_file=path)
    job = client.beta.batch.create(job_config=config, directory_id=directory.id)
    final = client.beta.batch.wait(job.id, poll_interval=0.05, timeout=120)
    assert final.job.status == "completed", final
    return job.id


@pytest.fixture(scope="module")
def parse_job(client: Client, folder: Path) -> str:
    return _job(client, folder, {})


@pytest.fixture(scope="module")
def classify_job(client: Client, folder: Path) -> str:
    return _job(client, folder, {"rules": RULES, "engine": "offline"})


@pytest.fixture(scope="module")
def extract_job(client: Client, folder: Path) -> str:
    return _job(client, folder, {"data_schema": SCHEMA, "extract_config": {"engine": "offline"}})


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as text:
        return list(csv.reader(text))


def test_parse_export_jsonl_csv(
    client: Client, folder: Path, parse_job: str, tmp_path: Path
) -> None:
    lines = _lines(client.beta.batch.export(parse_job, format="jsonl", to=tmp_path / "p.jsonl"))
    assert sorted(line["file"] for line in lines) == sorted(p.name for p in folder.iterdir())
    for line in lines:
        assert line["status"] == "completed" and line["error_code"] is None
        assert line["path"] == line["file"] and line["directory_file_id"].startswith("dfl-")
        assert line["result"]["markdown"]
        assert line["result"]["pages"] and "text" in line["result"]["pages"][0]
    rows = _rows(client.beta.batch.export(parse_job, format="csv", to=tmp_path / "p.csv"))
    assert rows[0] == ["file", "pages", "status", "error"]
    assert len(rows) == 1 + len(lines)
    assert all(int(row[1]) >= 1 and row[2] == "completed" for row in rows[1:])


def test_parse_zip_holds_what_reams_run_writes(
    client: Client, folder: Path, parse_job: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = reams(tmp_path / "data", "run", str(folder), "--out", str(out))
    assert done.returncode == 0, done.stderr
    archive = client.beta.batch.export(parse_job, format="zip", to=tmp_path / "p.zip")
    with zipfile.ZipFile(archive) as z:
        assert z.testzip() is None
        assert set(z.namelist()) == relpaths(out)
        for name in z.namelist():
            exported, written = z.read(name).decode(), (out / name).read_text()
            if name.endswith(".md"):
                assert exported == written, name
            else:
                a, b = json.loads(exported), json.loads(written)
                assert a.pop("result_id") != b.pop("result_id")  # another store, same output
                assert a == b, name


def test_classify_export(client: Client, classify_job: str, tmp_path: Path) -> None:
    lines = {
        x["file"]: x for x in _lines(client.beta.batch.export(classify_job, to=tmp_path / "c"))
    }
    assert lines["invoice.md"]["result"]["type"] == "invoice"
    assert set(lines["cv.md"]["result"]) == {"type", "confidence", "reasoning"}
    rows = _rows(client.beta.batch.export(classify_job, format="csv", to=tmp_path / "c.csv"))
    assert rows[0] == ["file", "type", "confidence"]
    by_file = {row[0]: row for row in rows[1:]}
    assert by_file["agreement.txt"][1] == "contract" and 0 <= float(by_file["cv.md"][2]) <= 1
    with zipfile.ZipFile(
        client.beta.batch.export(classify_job, format="zip", to=tmp_path / "z")
    ) as z:
        assert "invoice.md.json" in z.namelist() and not any(
            n.endswith(".md.md") for n in z.namelist()
        )
        assert json.loads(z.read("invoice.md.json"))["result"]["type"] == "invoice"


def test_extract_export(client: Client, extract_job: str, tmp_path: Path) -> None:
    lines = {x["file"]: x for x in _lines(client.beta.batch.export(extract_job, to=tmp_path / "e"))}
    invoice = lines["invoice.md"]["result"]
    assert invoice["data"]["invoice_number"] == "INV-2024-0042"
    assert "invoice_number" in invoice["field_metadata"]["document_metadata"]
    rows = _rows(client.beta.batch.export(extract_job, format="csv", to=tmp_path / "e.csv"))
    assert rows[0] == ["file", *SCHEMA["properties"]]
    row = next(r for r in rows if r[0] == "invoice.md")
    assert row[1] == "INV-2024-0042"
    assert isinstance(json.loads(row[4]), list)  # line_items, nested: as JSON


def test_export_errors_and_headers(server: RunningServer, client: Client, parse_job: str) -> None:
    url = f"{server.base_url}/api/v1/beta/batch-processing"
    with httpx.Client(headers={"Authorization": "Bearer test"}) as http:
        got = http.get(f"{url}/{parse_job}/export", params={"format": "csv"})
        assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
        assert f'filename="{parse_job}-parse.csv"' in got.headers["content-disposition"]
        assert http.get(f"{url}/{parse_job}/export", params={"format": "xml"}).status_code == 422
        assert http.get(f"{url}/bjb-nope/export").status_code == 404
    with pytest.raises(NotFoundError):
        client.beta.batch.export("bjb-nope", to=Path("/tmp/never-written"))
    assert not Path("/tmp/never-written").exists()


def test_async_client_exports(server: RunningServer, parse_job: str, tmp_path: Path) -> None:
    async def export() -> Path:
        async with AsyncClient(server.base_url, max_retries=0) as client:
            return await client.beta.batch.export(parse_job, format="csv", to=tmp_path / "a.csv")

    assert _rows(asyncio.run(export()))[0] == ["file", "pages", "status", "error"]


@pytest.mark.slow
def test_export_of_a_running_job_holds_what_is_done(client: Client, tmp_path: Path) -> None:
    docs = tmp_path / "many"
    docgen.make_corpus(docs, 30, kinds=("pdf", "docx"))
    directory = client.beta.directories.create(name="running")
    for path in sorted(docs.iterdir()):
        client.beta.directories.files.upload(directory.id, upload_file=path)
    job = client.beta.batch.create(job_config={}, directory_id=directory.id)
    early = _lines(client.beta.batch.export(job.id, to=tmp_path / "early.jsonl"))
    assert len(early) < 30
    assert all(x["status"] in ("completed", "failed", "skipped", "cancelled") for x in early)
    client.beta.batch.wait(job.id, poll_interval=0.05, timeout=120)
    assert len(_lines(client.beta.batch.export(job.id, to=tmp_path / "late.jsonl"))) == 30


def test_cli_export(server: RunningServer, parse_job: str, tmp_path: Path) -> None:
    target = tmp_path / "sub" / "job.csv"
    done = subprocess.run(
        [sys.executable, "-m", "reams.cli", "--base-url", server.base_url, "export", parse_job,
         "--format", "csv", "--out", str(target)],
        capture_output=True, text=True, timeout=120, env=reams_env(tmp_path / "unused"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Wrote" in done.stdout and _rows(target)[0] == ["file", "pages", "status", "error"]
    missing = subprocess.run(
        [sys.executable, "-m", "reams.cli", "--base-url", server.base_url, "export", "bjb-nope"],
        capture_output=True, text=True, timeout=120, env=reams_env(tmp_path / "unused"),
    )  # fmt: skip
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


@pytest.mark.slow
def test_ctrl_c_keeps_the_outputs_written_so_far(tmp_path: Path) -> None:
    docs, data, out = tmp_path / "docs", tmp_path / "data", tmp_path / "out"
    n = 400  # enough that the job is still running when Ctrl-C comes, even on a quiet machine
    docgen.make_corpus(docs, n, kinds=("pdf", "docx"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "reams.cli", "run", str(docs), "--out", str(out), "--workers", "1"],
        env=reams_env(data), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    wait_for_results(data, 3, proc)
    import time

    time.sleep(1.5)  # past one write interval: outputs are written while the job runs
    written_before = {p for p in relpaths(out)} if out.exists() else set()
    assert written_before, "nothing was written while the job ran"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    from test_cli_run import results_per_item

    done = sum(results_per_item(data).values())
    files = relpaths(out)
    assert written_before <= files and 0 < len(files) == 2 * done < 2 * n
    assert not [f for f in files if f.endswith(".tmp")]
    for name in files:
        if name.endswith(".json"):
            json.loads((out / name).read_text())


@pytest.mark.slow
def test_classify_and_extract_runs_write_results_csv(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, data in DOCS.items():
        (inbox / name).write_bytes(data)
    (tmp_path / "rules.json").write_text(json.dumps(RULES))
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA))
    out = tmp_path / "c"
    rules, schema = str(tmp_path / "rules.json"), str(tmp_path / "schema.json")
    offline = ("--param", "engine=offline")
    done = reams(tmp_path / "data", "run", str(inbox), "--job", "classify", "--rules", rules,
                 "--out", str(out), *offline)  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = _rows(out / "_results.csv")
    assert rows[0] == ["file", "type", "confidence"]
    assert {r[0]: r[1] for r in rows[1:]}["invoice.md"] == "invoice" and len(rows) == 4
    out = tmp_path / "e"
    done = reams(tmp_path / "data", "run", str(inbox), "--job", "extract", "--schema", schema,
                 "--out", str(out), *offline)  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = _rows(out / "_results.csv")
    assert rows[0] == ["file", *SCHEMA["properties"]] and len(rows) == 4
    parse_out = tmp_path / "p"
    assert reams(tmp_path / "data", "run", str(inbox), "--out", str(parse_out)).returncode == 0
    assert not (parse_out / "_results.csv").exists()
