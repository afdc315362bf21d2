"""Names and API keys behave the same on SQLite and PostgreSQL: limits and normal forms come from
``domain/names.py`` before any store sees a value (SQLite enforces no length, PostgreSQL
refuses NUL with a 500), and a revoked key authenticates nothing from then on."""

from __future__ import annotations

import unicodedata
import uuid

import pytest

from reams.domain import names
from reams.domain.apikeys import hash_api_key, key_prefix, new_api_key
from reams.domain.errors import Conflict, InvalidField, NotFound
from reams.domain.records import Project
from reams.service import keys
from reams.service.configurations import Configurations
from reams.store import tables
from reams.store.transitions import Store


def _project(store: Store) -> Project:
    return store.ensure_project(f"p-{uuid.uuid4().hex[:8]}")


def test_directory_names_are_limited_and_nfc(store: Store) -> None:
    project = _project(store)
    for bad, words in [
        ("a\x00b", "NUL"),
        ("x" * (names.DIRECTORY_NAME_MAX + 1), f"the limit is {names.DIRECTORY_NAME_MAX}"),
        ("x" * 20_000_000, f"the limit is {names.DIRECTORY_NAME_MAX}"),
    ]:
        with pytest.raises(InvalidField, match=words) as raised:
            store.create_directory(project_id=project.id, name=bad)
        assert str(raised.value).startswith("name ")
    with pytest.raises(InvalidField, match=r"description .*the limit is"):
        store.create_directory(project_id=project.id, name="d", description="x" * 10_001)
    decomposed = "Cafe\u0301"
    made = store.create_directory(project_id=project.id, name=decomposed)
    assert made.name == "Café" == unicodedata.normalize("NFC", decomposed)
    # A filter compares in NFC too: the name typed either way finds it.
    found, _ = store.list_directories(
        project_id=project.id, page_size=5, page_token=None, name=decomposed
    )
    assert [d.id for d in found] == [made.id]
    # Exactly at the limit is fine; an update is held to the same rules.
    longest = "y" * names.DIRECTORY_NAME_MAX
    assert store.create_directory(project_id=project.id, name=longest).name == longest
    with pytest.raises(InvalidField, match="name is too long"):
        store.update_directory(made.id, project_id=project.id, changes={"name": longest + "y"})
    with pytest.raises(InvalidField, match="NUL"):
        store.update_directory(made.id, project_id=project.id, changes={"description": "\x00"})
    assert store.get_directory(made.id, project_id=project.id).name == "Café"


def test_file_names_are_path_normalised(store: Store) -> None:
    project = _project(store)

    def named(name: str) -> str:
        return store.create_file(project_id=project.id, name=name, sha256="0" * 64, size=1).name

    assert named("../../etc/passwd") == "etc/passwd"
    assert named("/a//b/./c.pdf") == "a/b/c.pdf"
    assert named("..\\..\\win.pdf") == "win.pdf"
    assert named("Re\u0301sume\u0301.pdf") == "Résumé.pdf"
    for bad, words in [
        ("..", "empty once"),
        ("/", "empty once"),
        ("a\x00.pdf", "NUL"),
        ("n" * (names.FILE_NAME_MAX + 1), f"the limit is {names.FILE_NAME_MAX}"),
    ]:
        with pytest.raises(InvalidField, match=words):
            named(bad)
    with pytest.raises(InvalidField, match="external_file_id is too long"):
        store.create_file(
            project_id=project.id, name="x", sha256="0" * 64, size=1, external_file_id="e" * 513
        )
    # The stored (normalised) name is what a filter finds; NUL in a filter is a 422, not a 500.
    rows, _ = store.list_files(
        project_id=project.id, page_size=10, page_token=None, file_name="Re\u0301sume\u0301.pdf"
    )
    assert [r.name for r in rows] == ["Résumé.pdf"]
    with pytest.raises(InvalidField, match="file_name must not contain NUL"):
        store.list_files(project_id=project.id, page_size=10, page_token=None, file_name="\x00")


def test_directory_file_fields_are_checked(store: Store) -> None:
    project = _project(store)
    directory = store.create_directory(project_id=project.id, name="d")
    file = store.create_file(project_id=project.id, name="f.pdf", sha256="0" * 64, size=1)

    def add(**entry: object) -> None:
        store.add_directory_files(
            project_id=project.id,
            directory_id=directory.id,
            entries=[{"file_id": file.id, "display_name": "f.pdf", "unique_id": "u", **entry}],
        )

    for entry, words in [
        ({"display_name": "d" * 1025}, "display_name is too long: 1025 characters, the limit is"),
        ({"display_name": "../.."}, r"display_name .*empty once"),
        ({"unique_id": "u\x00"}, "unique_id must not contain NUL"),
        ({"unique_id": "u" * 1025}, "unique_id is too long"),
        ({"metadata": {"k": "v" * 70_000}}, f"the limit is {names.METADATA_MAX_BYTES}"),
        ({"metadata": {"k\x00": "v"}}, "metadata must not contain NUL"),
    ]:
        with pytest.raises(InvalidField, match=words):
            add(**entry)
    store.add_directory_files(
        project_id=project.id,
        directory_id=directory.id,
        entries=[{"file_id": file.id, "display_name": "/../x/../y.pdf", "unique_id": "u1"}],
    )
    (entry,), _ = store.list_directory_files(
        project_id=project.id, directory_id=directory.id, page_size=5, page_token=None
    )
    assert entry.display_name == "x/y.pdf"
    with pytest.raises(InvalidField, match="display_name must not contain NUL"):
        store.update_directory_file(
            entry.id,
            project_id=project.id,
            directory_id=directory.id,
            changes={"display_name": "a\x00"},
        )
    changed = store.update_directory_file(
        entry.id,
        project_id=project.id,
        directory_id=directory.id,
        changes={"display_name": "../z.pdf", "unique_id": "u\u0301"},
    )
    assert (changed.display_name, changed.unique_id) == ("z.pdf", "\u00fa")


def test_project_names_are_limited(store: Store) -> None:
    with pytest.raises(InvalidField, match="project name is too long"):
        store.ensure_project("p" * (names.PROJECT_NAME_MAX + 1))
    with pytest.raises(InvalidField, match="project name must not contain NUL"):
        store.ensure_project("p\x00")


def test_limits_match_the_columns() -> None:
    columns = {
        names.PROJECT_NAME_MAX: tables.projects.c.name,
        names.FILE_NAME_MAX: tables.files.c.name,
        names.EXTERNAL_FILE_ID_MAX: tables.files.c.external_file_id,
        names.PURPOSE_MAX: tables.files.c.purpose,
        names.DIRECTORY_NAME_MAX: tables.directories.c.name,
        names.DISPLAY_NAME_MAX: tables.directory_files.c.display_name,
        names.UNIQUE_ID_MAX: tables.directory_files.c.unique_id,
        names.CONFIGURATION_NAME_MAX: tables.configurations.c.name,
    }
    for limit, column in columns.items():
        assert column.type.length == limit, column  # type: ignore[attr-defined]


def test_keys_are_listed_and_revoked_at_once(store: Store) -> None:
    made = keys.create_key(store, project=f"k-{uuid.uuid4().hex[:8]}")
    other = keys.create_key(store, project=made.project.name)
    assert store.project_for_key(hash_api_key(made.key)) == made.project
    listed = {k.id: k for k in keys.list_keys(store, project=made.project.name)}
    assert set(listed) == {made.id, other.id}
    assert listed[made.id].prefix == key_prefix(made.key)
    assert listed[made.id].project_name == made.project.name
    assert not listed[made.id].revoked
    # By prefix; then again by id: the second revocation changes nothing.
    revoked, was_live = keys.revoke_key(store, key_prefix(made.key))
    assert was_live and revoked.revoked and revoked.id == made.id
    assert store.project_for_key(hash_api_key(made.key)) is None
    again, was_live = keys.revoke_key(store, made.id)
    assert not was_live and again.revoked_at == revoked.revoked_at
    # By the key itself; the other key of the project still works until then.
    assert store.project_for_key(hash_api_key(other.key)) == made.project
    keys.revoke_key(store, other.key)
    assert store.project_for_key(hash_api_key(other.key)) is None
    with pytest.raises(NotFound):
        keys.revoke_key(store, "key-unknown")


def test_a_shared_prefix_is_ambiguous(store: Store) -> None:
    project = _project(store)
    first, second = new_api_key(), new_api_key()
    for key in (first, second):
        store.create_api_key(project_id=project.id, key_hash=hash_api_key(key), prefix="reams_same")
    with pytest.raises(Conflict, match="2 keys match"):
        keys.revoke_key(store, "reams_same")
    assert store.project_for_key(hash_api_key(first)) == project


def test_configuration_names_are_checked(store: Store) -> None:
    configs = Configurations.on(store.engine)
    project = _project(store)
    parameters = {"product_type": "parse_v2", "tier": "fast", "version": "latest"}
    with pytest.raises(InvalidField, match="name must not contain NUL"):
        configs.create(project_id=project.id, name="a\x00", parameters=parameters)
    with pytest.raises(InvalidField, match=f"the limit is {names.CONFIGURATION_NAME_MAX}"):
        configs.create(project_id=project.id, name="c" * 513, parameters=parameters)
    made = configs.create(project_id=project.id, name="Cafe\u0301", parameters=parameters)
    assert made.name == "Café"
    with pytest.raises(InvalidField, match="name must not contain NUL"):
        configs.update(made.id, project_id=project.id, name="\x00")
    found, _ = configs.list_configs(
        project_id=project.id, page_size=5, page_token=None, name="Cafe\u0301"
    )
    assert [c.id for c in found] == [made.id]
    with pytest.raises(InvalidField, match="name must not contain NUL"):
        configs.list_configs(project_id=project.id, page_size=5, page_token=None, name="\x00")
