"""`keys` auth mode through the official SDK: keys select projects, projects are walled off."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from llama_cloud import AuthenticationError, LlamaCloud, NotFoundError

from servers import RunningServer, create_api_key, start_server


@dataclass
class Tenant:
    key: str
    project_id: str
    sdk: LlamaCloud


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("keys"), env={"REAMS_AUTH_MODE": "keys"})
    yield running
    running.stop()


def tenant(server: RunningServer, project: str) -> Tenant:
    key, project_id = create_api_key(server.data_dir, project)
    client = LlamaCloud(
        api_key=key, base_url=server.base_url, _strict_response_validation=True, max_retries=0
    )
    return Tenant(key=key, project_id=project_id, sdk=client)


@pytest.fixture(scope="module")
def alice(keyed_server: RunningServer) -> Tenant:
    return tenant(keyed_server, "alice")


@pytest.fixture(scope="module")
def bob(keyed_server: RunningServer) -> Tenant:
    return tenant(keyed_server, "bob")


def test_wrong_or_missing_key_is_401(keyed_server: RunningServer) -> None:
    stranger = LlamaCloud(api_key="reams_not-a-key", base_url=keyed_server.base_url, max_retries=0)
    with pytest.raises(AuthenticationError) as caught:
        stranger.beta.directories.list()
    assert caught.value.body == {"detail": "invalid API key"}
    anonymous = httpx.get(f"{keyed_server.base_url}/api/v1/beta/directories")
    assert anonymous.status_code == 401
    assert "Bearer" in anonymous.json()["detail"]
    assert anonymous.headers["www-authenticate"] == "Bearer"


def test_projects_are_walled_off(alice: Tenant, bob: Tenant) -> None:
    mine = alice.sdk.beta.directories.create(name="alice-only")
    assert mine.project_id == alice.project_id
    assert alice.sdk.beta.directories.get(mine.id).id == mine.id
    with pytest.raises(NotFoundError):
        bob.sdk.beta.directories.get(mine.id)
    with pytest.raises(NotFoundError):
        bob.sdk.beta.directories.files.upload(mine.id, upload_file=("x.txt", b"x"))
    with pytest.raises(NotFoundError):
        bob.sdk.beta.batch.create(job_config={}, directory_id=mine.id)
    assert mine.id not in {d.id for d in bob.sdk.beta.directories.list()}


def test_project_id_must_be_the_keys(alice: Tenant, bob: Tenant) -> None:
    own = alice.sdk.beta.directories.list(project_id=alice.project_id)
    assert own.items is not None
    with pytest.raises(NotFoundError):
        alice.sdk.beta.directories.list(project_id=bob.project_id)
