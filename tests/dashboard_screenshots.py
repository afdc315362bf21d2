"""Regenerate the dashboard screenshots in ``docs/img/`` (shown in the README).

    .venv/bin/python tests/dashboard_screenshots.py

Starts a real server on loopback, fills it with a small parse job (one corrupt PDF among
text documents) through the API, and photographs each page with the system Chromium.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from servers import start_server  # tests/ is the script's own directory

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
DOCS = {
    "report-2026-q1.md": b"# Quarterly report\n\nRevenue grew by **12 %**.\n\n"
    b"| Region | Sales |\n|---|---|\n| North | 120 |\n| South | 80 |\n",
    "minutes.txt": b"Board minutes\n\nThe board approved the budget.\n",
    "scan-broken.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> broken\n%%EOF\n",
    "notes.md": b"# Notes\n\n- first point\n- second point\n",
}


def _fill(api: httpx.Client) -> tuple[str, str]:
    directory = api.post("/api/v1/beta/directories", json={"name": "contracts"}).json()
    for name, content in DOCS.items():
        api.post(
            f"/api/v1/beta/directories/{directory['id']}/files/upload",
            files={"upload_file": (name, content)},
        ).raise_for_status()
    job = api.post(
        "/api/v1/beta/batch-processing", json={"job_config": {}, "directory_id": directory["id"]}
    ).json()
    while api.get(f"/api/v1/beta/batch-processing/{job['id']}").json()["job"]["status"] not in (
        "completed",
        "failed",
    ):
        time.sleep(0.2)
    return directory["id"], job["id"]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    server = start_server(Path(tempfile.mkdtemp(prefix="reams-shots-")))
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as api:
            directory_id, job_id = _fill(api)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(f"{server.base_url}/#/jobs")
            page.wait_for_selector("tr[data-job-id]")
            page.screenshot(path=str(OUT / "dashboard-jobs.png"))
            page.goto(f"{server.base_url}/#/jobs/{job_id}")
            page.wait_for_selector("#items tbody tr")
            page.locator("#items tbody tr", has_text="report-2026-q1.md").get_by_role(
                "button", name="Preview"
            ).click()
            page.wait_for_selector("#markdown-preview h1")
            page.screenshot(path=str(OUT / "dashboard-job.png"))
            page.goto(f"{server.base_url}/#/directories/{directory_id}")
            page.wait_for_selector("#files tbody tr")
            page.screenshot(path=str(OUT / "dashboard-directory.png"))
            browser.close()
    finally:
        server.stop()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
