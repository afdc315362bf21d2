"""files.query and the v1 classifier jobs (create, list, get, results, the classify helper)
through the official 2.13 SDK (strict validation), and keys-mode isolation of both."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from llama_cloud import BadRequestError, LlamaCloud, NotFoundError, UnprocessableEntityError

from servers import RunningServer, create_api_key, start_server

# client.classifier.jobs (v1) is deprecated in the SDK in favour of client.classify.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

INVOICE = b"""INVOICE

Invoice Number: INV-7781
Bill to: Northwind Traders
Paper, A4 (box) 10 x 12.00 = 120.00
Total due: $120.00. Please pay the amount due within 30 days.
"""

RECIPE = b"""# Recipe: tomato soup

Ingredients: tomatoes, onion, garlic, olive oil, salt.

Chop the onion, cook it in the oil, add the tomatoes and simmer for twenty minutes. Blend and
season with salt. Serve the soup hot.
"""

RULES = [
    {"type": "invoice", "description": "A bill from a seller listing amounts and a total due"},
    {"type": "recipe", "description": "Cooking instructions with ingredients for a dish"},
]


def _upload(sdk: LlamaCloud, name: str, data: bytes, **kwargs: Any) -> str:
    return sdk.files.create(file=(name, data), purpose="classify", **kwargs).id


def _poll(sdk: LlamaCloud, job_id: str) -> Any:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = sdk.classifier.jobs.get(job_id)
        if job.status != "PENDING":
            return job
        time.sleep(0.2)
    raise AssertionError(f"classifier job {job_id} still pending")


@pytest.fixture(scope="module")
def docs(sdk: LlamaCloud) -> dict[str, str]:
    """An invoice (.txt) and a recipe (.md), by name."""
    return {
        "invoice": _upload(sdk, "bill.txt", INVOICE),
        "recipe": _upload(sdk, "soup.md", RECIPE),
    }


# -- files.query -----------------------------------------------------------------------------


def test_query_filters(sdk: LlamaCloud) -> None:
    tag = uuid.uuid4().hex[:8]
    a = _upload(sdk, f"q-{tag}-a.txt", b"a", external_file_id=f"ext-{tag}")
    b = _upload(sdk, f"q-{tag}-b.txt", b"b")
    project_id = sdk.files.query(filter={"file_ids": [a]}).items[0].project_id

    def ids(**flt: Any) -> list[str]:
        return [f.id for f in sdk.files.query(filter=flt, page_size=100).items]

    assert set(ids(file_ids=[a, b])) == {a, b}
    assert ids(file_name=f"q-{tag}-b.txt") == [b]
    assert ids(external_file_id=f"ext-{tag}") == [a]
    assert ids(file_ids=[a, b], project_id=project_id) != []
    assert ids(file_ids=[a, b], only_manually_uploaded=True) != []
    # reams has no data sources; a project the caller cannot see holds nothing for it.
    assert ids(file_ids=[a, b], data_source_id="ds-1") == []
    assert ids(project_id="prj-someone-else") == []
    assert ids(file_ids=[]) == []
    page = sdk.files.query(filter={"file_ids": [a, b], "file_name": f"q-{tag}-a.txt"})
    assert [f.id for f in page.items] == [a]
    assert page.total_size == 1
    assert page.items[0].name == f"q-{tag}-a.txt"
    assert page.items[0].external_file_id == f"ext-{tag}"


def test_query_pages_and_orders(sdk: LlamaCloud) -> None:
    made = [_upload(sdk, f"page-{uuid.uuid4().hex[:6]}.txt", b"x") for _ in range(5)]
    seen: list[str] = []
    names: list[str] = []
    token: str | None = None
    for _ in range(5):
        page = sdk.files.query(
            filter={"file_ids": made}, order_by="name", page_size=2, page_token=token
        )
        assert page.total_size == 5
        seen += [f.id for f in page.items]
        names += [f.name for f in page.items]
        token = page.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(made) and len(seen) == 5
    assert names == sorted(names)
    newest_first = sdk.files.query(filter={"file_ids": made}, page_size=100).items
    assert [f.id for f in newest_first] == made[::-1]
    everything = sdk.files.query(page_size=1)
    assert len(everything.items) == 1 and everything.next_page_token
    assert everything.total_size is not None and everything.total_size >= 5


def test_query_rejects_bad_paging(sdk: LlamaCloud) -> None:
    with pytest.raises(BadRequestError):
        sdk.files.query(page_token="not-a-token")
    with pytest.raises(UnprocessableEntityError):
        sdk.files.query(page_size=0)
    with pytest.raises(UnprocessableEntityError):
        sdk.files.query(order_by="size")


# -- classifier jobs -------------------------------------------------------------------------


def test_create_get_results(sdk: LlamaCloud, docs: dict[str, str]) -> None:
    created = sdk.classifier.jobs.create(
        file_ids=[docs["invoice"], docs["recipe"]],
        rules=RULES,
        mode="FAST",
        parsing_configuration={"lang": "en", "max_pages": 3},
    )
    assert created.id.startswith("bjb-")
    assert created.status == "PENDING" or created.status == "SUCCESS"
    assert [r.type for r in created.rules] == ["invoice", "recipe"]
    assert created.mode == "FAST"
    assert created.parsing_configuration is not None
    assert created.parsing_configuration.max_pages == 3
    done = _poll(sdk, created.id)
    assert done.status == "SUCCESS"
    results = sdk.classifier.jobs.get_results(created.id)
    assert results.total_size == 2
    by_file = {i.file_id: i for i in results.items}
    assert set(by_file) == {docs["invoice"], docs["recipe"]}
    assert {i.classify_job_id for i in results.items} == {created.id}
    invoice, recipe = by_file[docs["invoice"]].result, by_file[docs["recipe"]].result
    assert invoice is not None and invoice.type == "invoice"
    assert recipe is not None and recipe.type == "recipe"
    assert 0.0 <= invoice.confidence <= 1.0 and invoice.reasoning
    # The same job is a classify batch job.
    assert sdk.beta.batch.get_status(created.id).job.job_type == "classify"


def test_classify_helper_end_to_end(sdk: LlamaCloud, docs: dict[str, str]) -> None:
    results = sdk.classifier.classify(
        file_ids=[docs["recipe"], docs["invoice"], docs["recipe"]],
        rules=RULES,
        polling_interval=0.2,
        max_interval=0.5,
    )
    types = {i.file_id: i.result.type for i in results.items if i.result}
    assert types == {docs["invoice"]: "invoice", docs["recipe"]: "recipe"}
    assert results.total_size == 2  # a file named twice is classified once


def test_list_pages_through_classify_jobs(sdk: LlamaCloud, docs: dict[str, str]) -> None:
    made = {
        sdk.classifier.jobs.create(file_ids=[docs["invoice"]], rules=RULES).id for _ in range(3)
    }
    first = sdk.classifier.jobs.list(page_size=2)
    assert len(first.items) == 2 and first.next_page_token
    listed = [j.id for j in sdk.classifier.jobs.list(page_size=2)]
    assert len(listed) == len(set(listed)), "a job appeared on two pages"
    assert made <= set(listed)
    assert all(j.user_id and j.rules for j in sdk.classifier.jobs.list(page_size=100))
    with pytest.raises(BadRequestError):
        sdk.classifier.jobs.list(page_token="nope")


def test_other_batch_jobs_are_not_classifier_jobs(sdk: LlamaCloud, docs: dict[str, str]) -> None:
    directory = sdk.beta.directories.create(name=f"parse-{uuid.uuid4().hex[:6]}")
    entry = sdk.beta.directories.files.add(directory.id, file_id=docs["recipe"])
    parse = sdk.beta.batch.create(job_config={}, item_ids=[entry.id])  # type: ignore[arg-type]
    assert parse.id not in {j.id for j in sdk.classifier.jobs.list(page_size=1000)}
    with pytest.raises(NotFoundError):
        sdk.classifier.jobs.get(parse.id)


def test_unknown_ids_and_bad_requests(sdk: LlamaCloud, docs: dict[str, str]) -> None:
    with pytest.raises(NotFoundError):
        sdk.classifier.jobs.create(file_ids=["fil-does-not-exist"], rules=RULES)
    with pytest.raises(NotFoundError):
        sdk.classifier.jobs.create(file_ids=["not-an-id"], rules=RULES)
    with pytest.raises(NotFoundError):
        sdk.classifier.jobs.get("bjb-does-not-exist")
    with pytest.raises(NotFoundError):
        sdk.classifier.jobs.get_results("bjb-does-not-exist")
    with pytest.raises(UnprocessableEntityError):
        sdk.classifier.jobs.create(file_ids=[docs["invoice"]], rules=[])
    with pytest.raises(UnprocessableEntityError):
        sdk.classifier.jobs.create(file_ids=[], rules=RULES)
    gone = _upload(sdk, "gone.txt", b"bye")
    sdk.files.delete(gone)
    with pytest.raises(NotFoundError):
        sdk.classifier.jobs.create(file_ids=[docs["invoice"], gone], rules=RULES)


def test_hidden_input_directory_stays_out_of_the_list(
    sdk: LlamaCloud, docs: dict[str, str]
) -> None:
    sdk.classifier.jobs.create(file_ids=[docs["invoice"]], rules=RULES)
    names = {d.name for d in sdk.beta.directories.list(page_size=1000)}
    assert "reams:inputs" not in names
    assert "reams:inputs" not in {d.name for d in sdk.beta.directories.list(type="ephemeral")}
    (hidden,) = sdk.beta.directories.list(name="reams:inputs").items
    entries = list(sdk.beta.directories.files.list(hidden.id, page_size=1000))
    # One entry per file, however many jobs named it.
    assert sorted(e.file_id for e in entries) == sorted(set(e.file_id for e in entries))
    assert docs["invoice"] in {e.file_id for e in entries}


# -- keys mode -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("keys"), env={"REAMS_AUTH_MODE": "keys"})
    yield running
    running.stop()


def _client(server: RunningServer, project: str) -> LlamaCloud:
    key, _ = create_api_key(server.data_dir, project)
    return LlamaCloud(
        api_key=key, base_url=server.base_url, _strict_response_validation=True, max_retries=0
    )


def test_keys_mode_walls_off_files_and_classifier_jobs(keyed: RunningServer) -> None:
    alice, bob = _client(keyed, "alice"), _client(keyed, "bob")
    invoice = _upload(alice, "bill.txt", INVOICE)
    job = alice.classifier.jobs.create(file_ids=[invoice], rules=RULES)
    assert [f.id for f in alice.files.query().items] == [invoice]
    assert bob.files.query().items == []
    assert bob.files.query(filter={"file_ids": [invoice]}).total_size == 0
    with pytest.raises(NotFoundError):
        bob.classifier.jobs.create(file_ids=[invoice], rules=RULES)
    with pytest.raises(NotFoundError):
        bob.classifier.jobs.get(job.id)
    assert bob.classifier.jobs.list().items == []
    assert [j.id for j in alice.classifier.jobs.list()] == [job.id]


def test_keys_mode_projects_are_the_keys_own(keyed: RunningServer) -> None:
    carol, dave = _client(keyed, "carol"), _client(keyed, "dave")
    (mine,) = carol.projects.list()
    assert mine.name == "carol" and mine.id.startswith("prj-")
    assert mine.organization_id == "org-reams"
    assert mine.is_default is False
    assert carol.projects.get(mine.id) == mine
    assert carol.projects.list(project_name="dave") == []
    (theirs,) = dave.projects.list()
    with pytest.raises(NotFoundError):
        carol.projects.get(theirs.id)


# -- projects (open mode) --------------------------------------------------------------------


def test_open_mode_shows_the_default_project(sdk: LlamaCloud) -> None:
    (project,) = sdk.projects.list()
    assert project.is_default is True
    assert project.organization_id == "org-reams"
    assert project.created_at is not None
    assert sdk.projects.get(project.id) == project
    assert sdk.projects.list(project_name=project.name) == [project]
    assert sdk.projects.list(project_name="no-such-project") == []
    assert sdk.projects.list(organization_id="any-org") == [project]  # organizations are ignored
    with pytest.raises(NotFoundError):
        sdk.projects.get("prj-does-not-exist")
    uploaded = _upload(sdk, "mine.txt", b"x")
    assert sdk.files.query(filter={"file_ids": [uploaded]}).items[0].project_id == project.id
