"""The operator dashboard (`/`) in a real browser: Playwright drives the system Chromium
(the Debian ``chromium`` package; nothing downloads a browser) against real ``reams serve``
processes on loopback.

Covered: the page loads with no request leaving 127.0.0.1; a directory is created, files are
uploaded (the file picker and drag and drop), a parse job is started from the form and its bar
reaches 100 %; the failed item (a corrupt PDF) shows its error; a completed item's Markdown
renders, with the HTML in it shown as text; export downloads; retry; the API's 422 detail shows
in the job form; in keys mode a wrong key is refused, the right one shows the jobs, and a
running job is cancelled from its page. A failing test leaves a screenshot in
``$REAMS_TEST_ARTIFACTS`` (default ``.pytest_cache/dashboard-screenshots``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from servers import RunningServer, create_api_key, start_server
from temporal_servers import TemporalServer

playwright_api = pytest.importorskip("playwright.sync_api")
Browser = playwright_api.Browser
Page = playwright_api.Page
expect = playwright_api.expect

CHROMIUM = os.environ.get("REAMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(
    os.environ.get(
        "REAMS_TEST_ARTIFACTS",
        Path(__file__).resolve().parents[2] / ".pytest_cache" / "dashboard-screenshots",
    )
)
UI_TIMEOUT_MS = 15_000
JOB_TIMEOUT_MS = 45_000

GOOD_MD = b"""# Quarterly report

Revenue grew by **12 %** over the quarter.

| Region | Sales |
|--------|-------|
| North  | 120   |
| South  | 80    |

<script>window.__xss = true</script> <img src=x onerror="window.__xss=true">
"""
CORRUPT_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> broken beyond repair\n%%EOF\n"
XSS_NAME = "<img src=x onerror=alert(1)>.txt"


def _chromium_path() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if path is None:
        pytest.skip(f"no Chromium at {CHROMIUM} (make install installs the Debian package)")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = _chromium_path()
    with playwright_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context per test; dialogs (an XSS would open one) and page errors fail it."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(UI_TIMEOUT_MS)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on(
        "dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss())
    )
    tab.on("console", lambda msg: _console(msg, problems))
    failed = True
    try:
        yield tab
        failed = False
    finally:
        if failed or problems:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()
    assert not problems, problems


def _console(message: Any, problems: list[str]) -> None:
    # Chromium logs every 4xx answer; those the tests provoke are expected.
    if message.type == "error" and "Failed to load resource" not in message.text:
        problems.append(f"console error: {message.text}")


def upload_via_picker(page: Page, files: dict[str, bytes]) -> None:
    page.set_input_files(
        "#file-input",
        files=[
            {"name": n, "mimeType": "application/octet-stream", "buffer": b}
            for n, b in files.items()
        ],
    )


def drop_file(page: Page, name: str, content: bytes) -> None:
    """A real drop event on the drop zone, carrying a File in its DataTransfer."""
    transfer = page.evaluate_handle(
        """([name, text]) => {
            const dt = new DataTransfer();
            dt.items.add(new File([text], name, { type: "text/plain" }));
            return dt;
        }""",
        [name, content.decode()],
    )
    page.dispatch_event("#dropzone", "drop", {"dataTransfer": transfer})


def job_id_from_url(page: Page) -> str:
    match = re.search(r"#/jobs/(bjb-[^?]+)", page.url)
    assert match, page.url
    return match.group(1)


def test_page_loads_with_no_external_requests(server: RunningServer, page: Page) -> None:
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))
    page.goto(f"{server.base_url}/")
    expect(page.get_by_role("heading", name="Jobs")).to_be_visible()
    page.get_by_role("link", name="Directories").click()
    expect(page.get_by_role("heading", name="Directories")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert seen, "the page made no requests at all"
    outside = [u for u in seen if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))]
    assert outside == []
    # The modules and the stylesheet came from the package, with a strict CSP on the page.
    assert any(u.endswith("/dashboard-assets/app.js") for u in seen)
    answer = httpx.get(f"{server.base_url}/")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert httpx.get(f"{server.base_url}/ui", follow_redirects=True).status_code == 200


@pytest.mark.slow
def test_directory_upload_parse_failed_item_preview(server: RunningServer, page: Page) -> None:
    page.goto(f"{server.base_url}/#/directories")
    # Create a directory from the list page.
    page.fill("#new-directory input[name=name]", f"dash-{uuid.uuid4().hex[:8]}")
    page.click("#new-directory button[type=submit]")
    expect(page.locator("#dropzone")).to_be_visible()

    # Upload: three files with the picker, one (with HTML in its name) by drag and drop.
    upload_via_picker(
        page,
        {"report.md": GOOD_MD, "broken.pdf": CORRUPT_PDF, "notes.txt": b"plain notes\n"},
    )
    drop_file(page, XSS_NAME, b"dropped text\n")
    expect(page.locator("#uploads li[data-state=done]")).to_have_count(4, timeout=JOB_TIMEOUT_MS)
    expect(page.locator("#files tbody tr")).to_have_count(4)
    expect(page.locator("#files td.name", has_text=XSS_NAME)).to_have_count(1)

    # The API's validation message shows in the form: a classify job needs rules.
    page.select_option("#job-form select[name=job_type]", "classify")
    while page.locator("#rules button").count():
        page.locator("#rules button").first.click()
    page.click("#job-form button[type=submit]")
    expect(page.locator("#job-form-message [role=alert]")).to_contain_text("not created")

    # Start a parse job; the page moves to the job and its bar reaches 100 %.
    page.select_option("#job-form select[name=job_type]", "parse")
    page.click("#job-form button[type=submit]")
    page.wait_for_url(re.compile(r"#/jobs/bjb-"))
    job_id = job_id_from_url(page)
    bar = page.locator("#job-summary [role=progressbar]")
    expect(bar).to_have_attribute("aria-valuenow", "100.0", timeout=JOB_TIMEOUT_MS)
    expect(page.locator("#job-summary .badge")).to_have_text("completed")
    expect(page.locator("#items tbody tr")).to_have_count(4)

    # The failed item: filter by status, open it, read its message.
    page.select_option("select[name=item_status]", "failed")
    expect(page.locator("#items tbody tr")).to_have_count(1)
    failed_row = page.locator("#items tbody tr").first
    expect(failed_row).to_contain_text("broken.pdf")
    failed_row.get_by_role("button", name="Details").click()
    message = page.locator("#item-detail .item-error .error-message")
    expect(message).not_to_be_empty()
    code = page.locator("#item-detail .item-error .error-code").inner_text()
    assert code and code != "error", code
    # The error-code filter offers the code seen and keeps the failed row.
    page.select_option("select[name=error_code]", code)
    expect(page.locator("#items tbody tr")).to_have_count(1)
    page.select_option("select[name=error_code]", "")

    # A completed item's Markdown renders; the HTML in the document stays text.
    page.select_option("select[name=item_status]", "completed")
    expect(page.locator("#items tbody tr")).to_have_count(3)
    page.locator("#items tbody tr", has_text="report.md").get_by_role(
        "button", name="Preview"
    ).click()
    preview = page.locator("#markdown-preview")
    expect(preview.locator("h1")).to_have_text("Quarterly report")
    expect(preview.locator("table td", has_text="North")).to_have_count(1)
    expect(preview.locator("strong")).to_have_text("12 %")
    expect(preview).to_contain_text("<script>")
    assert preview.locator("script, img").count() == 0
    assert page.evaluate("window.__xss") is None

    # Export as JSON Lines: a download with one line per item.
    with page.expect_download() as caught:
        page.click("button[data-export=jsonl]")
    lines = Path(caught.value.path()).read_text().splitlines()
    assert len(lines) == 4
    assert {json.loads(line)["status"] for line in lines} == {"completed", "failed"}

    # Retry the failed item: it fails again (the PDF is still broken) and the job completes.
    page.get_by_role("button", name="Retry failed items").click()
    expect(page.locator(".notice-slot [role=alert]")).to_contain_text("1 failed item(s)")
    expect(bar).to_have_attribute("aria-valuenow", "100.0", timeout=JOB_TIMEOUT_MS)

    # The jobs list shows it, live, and its filters work.
    page.get_by_role("link", name="Jobs", exact=True).click()
    row = page.locator(f"tr[data-job-id='{job_id}']")
    expect(row).to_contain_text("parse")
    expect(row.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100.0")
    page.select_option("select[name=status]", "failed")
    expect(row).to_have_count(0)
    page.select_option("select[name=status]", "completed")
    page.select_option("select[name=job_type]", "parse")
    expect(row).to_have_count(1)


@pytest.fixture(scope="module")
def keyed_server(
    tmp_path_factory: pytest.TempPathFactory, temporal_server: TemporalServer
) -> Iterator[RunningServer]:
    """Keys mode on the Temporal engine with no worker on its task queue: a job stays
    `dispatched` until it is cancelled, so the cancel below never races the job's end."""
    running = start_server(
        tmp_path_factory.mktemp("reams-keys"),
        env={
            "REAMS_AUTH_MODE": "keys",
            "REAMS_ENGINE": "temporal",
            "REAMS_TEMPORAL_ADDRESS": temporal_server.address,
            "REAMS_TEMPORAL_TASK_QUEUE": f"dashboard-{uuid.uuid4().hex[:8]}",
        },
    )
    yield running
    running.stop()


def _api(server: RunningServer, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30
    )


def _job_with_items(api: httpx.Client, count: int) -> dict[str, Any]:
    directory = api.post("/api/v1/beta/directories", json={"name": "waiting"}).json()
    for i in range(count):
        api.post(
            f"/api/v1/beta/directories/{directory['id']}/files/upload",
            files={"upload_file": (f"d{i}.md", f"# Doc {i}\n\n{uuid.uuid4()}\n".encode())},
        ).raise_for_status()
    answer = api.post(
        "/api/v1/beta/batch-processing", json={"job_config": {}, "directory_id": directory["id"]}
    )
    answer.raise_for_status()
    return dict(answer.json())


@pytest.mark.slow
def test_key_login_and_cancel(keyed_server: RunningServer, page: Page) -> None:
    key, _ = create_api_key(keyed_server.data_dir, "ops")
    with _api(keyed_server, key) as api:
        job = _job_with_items(api, 5)

    page.goto(f"{keyed_server.base_url}/")
    form = page.locator("#login-form")
    expect(form).to_be_visible()
    page.fill("#api-key", "llx-wrong-key")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#login-message [role=alert]")).to_contain_text("not valid")
    assert page.evaluate("sessionStorage.getItem('reams.apiKey')") is None

    page.fill("#api-key", key)
    page.click("#login-form button[type=submit]")
    expect(page.get_by_role("heading", name="Jobs")).to_be_visible()
    expect(page.locator("#project")).to_have_text("Project: ops")
    expect(page.locator(f"tr[data-job-id='{job['id']}']")).to_have_count(1)
    assert key not in page.url

    # Cancel the waiting job from its page (two steps: a confirm button).
    page.click(f"tr[data-job-id='{job['id']}'] a")
    expect(page.locator("#job-summary .badge")).to_have_text("dispatched")
    page.get_by_role("button", name="Cancel job").click()
    page.get_by_role("button", name="Confirm cancel").click()
    expect(page.locator("#job-summary .badge")).to_have_text("cancelled")
    page.select_option("select[name=item_status]", "cancelled")
    expect(page.locator("#items tbody tr").first).to_contain_text("cancelled")

    # Reloading keeps the session (sessionStorage); signing out forgets the key.
    page.reload()
    expect(page.locator("#job-summary .badge")).to_have_text("cancelled")
    page.click("#logout")
    expect(form).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('reams.apiKey')") is None


INVOICE = b"""# Invoice INV-2041

Title: Invoice for consulting services
Date: 2026-03-14

Amount due: 1,200.00 EUR, payable within 30 days. Please pay this bill by the due date.
"""


def _start_from_form(page: Page, job_type: str) -> str:
    page.select_option("#job-form select[name=job_type]", job_type)
    page.click("#job-form button[type=submit]")
    page.wait_for_url(re.compile(r"#/jobs/bjb-"))
    expect(page.locator("#job-summary [role=progressbar]")).to_have_attribute(
        "aria-valuenow", "100.0", timeout=JOB_TIMEOUT_MS
    )
    return job_id_from_url(page)


@pytest.mark.slow
def test_classify_and_extract_from_the_editors(server: RunningServer, page: Page) -> None:
    page.goto(f"{server.base_url}/#/directories")
    page.fill("#new-directory input[name=name]", f"analysis-{uuid.uuid4().hex[:8]}")
    page.click("#new-directory button[type=submit]")
    upload_via_picker(page, {"invoice.md": INVOICE})
    expect(page.locator("#uploads li[data-state=done]")).to_have_count(1)
    directory_url = page.url

    # Classify with the rules editor's rules (invoice / contract): type, confidence, reasoning.
    _start_from_form(page, "classify")
    page.locator("#items tbody tr").first.get_by_role("button", name="Preview").click()
    expect(page.locator("#item-detail .class-type")).to_have_text("invoice")
    expect(page.locator("#item-detail .reasoning")).not_to_be_empty()

    # Extract: a schema that is not JSON is refused in the page; one the API refuses shows
    # the API's message; the example schema's result shows as JSON.
    page.goto(directory_url)
    page.select_option("#job-form select[name=job_type]", "extract")
    schema = page.locator("#job-form textarea[name=data_schema]")
    example = schema.input_value()
    schema.fill("{not json")
    page.click("#job-form button[type=submit]")
    expect(page.locator("#job-form-message [role=alert]")).to_contain_text("not valid JSON")
    schema.fill(json.dumps({"type": "object", "properties": {"x": {"type": "no-such-type"}}}))
    page.click("#job-form button[type=submit]")
    expect(page.locator("#job-form-message [role=alert]")).to_contain_text("not created")
    schema.fill(example)
    _start_from_form(page, "extract")
    page.locator("#items tbody tr").first.get_by_role("button", name="Preview").click()
    extracted = json.loads(page.locator("#extract-json").inner_text())
    assert "title" in extracted


def test_a_job_not_started_yet_says_so(server: RunningServer, page: Page) -> None:
    """A job whose workflow could not be started (Temporal away) shows the reason, not just
    `dispatched`: the status object's reams extension field, injected here on the wire."""
    with httpx.Client(base_url=server.base_url, timeout=30) as api:
        job = _job_with_items(api, 1)
    reason = "Temporal at 127.0.0.1:7233 did not start the workflow: connection refused"

    def waiting(route: Any) -> None:
        answer = route.fetch()
        body = answer.json()
        body["job"] |= {
            "status": "dispatched",
            "dispatch_error": reason,
            "dispatch_error_at": "2026-12-03T08:00:00Z",
        }
        route.fulfill(response=answer, json=body)

    page.route(re.compile(rf".*/api/v1/beta/batch-processing/{job['id']}(\?.*)?$"), waiting)
    page.goto(f"{server.base_url}/#/jobs/{job['id']}")
    alert = page.locator("#job-summary [role=alert]")
    expect(alert).to_contain_text("could not be started yet")
    expect(alert).to_contain_text(reason)
