"""Files as job inputs: a directory file for each ``fil-`` file, in a hidden per-project directory.

Jobs run over directory files (``dfl-...``), but some APIs name plain files (``fil-...``): the v1
classifier create (``file_ids``) and the v2 product creates. :func:`entries_for_files` maps each
file id to a directory file in the project's hidden input directory, :data:`INPUTS_DIRECTORY`
(type ``ephemeral``), created on first use. A file gets one entry there for good (its
``unique_id`` is the file id), so classifying the same file twice reuses it. The directory is
left out of ``GET /api/v1/beta/directories`` unless asked for by name; it can still be read by id.
"""

from __future__ import annotations

from collections.abc import Sequence

from reams.domain import ids
from reams.domain.errors import Conflict, NotFound
from reams.store.protocols import Catalog

INPUTS_DIRECTORY = "reams:inputs"
INPUTS_DESCRIPTION = "Hidden: directory files reams made for jobs that named files (fil-...)."
INPUTS_TYPE = "ephemeral"


def is_file_id(value: str) -> bool:
    """Whether ``value`` looks like a file id (``fil-...``)."""
    return value.startswith(f"{ids.FILE}-")


def inputs_directory(catalog: Catalog, project_id: str) -> str:
    """The id of the project's hidden input directory, created when there is none.

    Two first uses at once may create two; the oldest one is used from then on, and a job
    over the other stays valid.
    """
    found, _ = catalog.list_directories(
        project_id=project_id, page_size=1, page_token=None, name=INPUTS_DIRECTORY
    )
    if found:
        return found[0].id
    catalog.create_directory(
        project_id=project_id,
        name=INPUTS_DIRECTORY,
        description=INPUTS_DESCRIPTION,
        type=INPUTS_TYPE,
    )
    found, _ = catalog.list_directories(
        project_id=project_id, page_size=1, page_token=None, name=INPUTS_DIRECTORY
    )
    return found[0].id


def entries_for_files(catalog: Catalog, project_id: str, file_ids: Sequence[str]) -> list[str]:
    """The directory-file id (``dfl-...``) standing for each file id, in the same order.

    ``fil-`` ids of the project map to their entry in the hidden input directory (made on
    first use); ``dfl-`` ids of the project are passed through unchanged. Any other id, or an
    id of another project or a deleted file, raises NotFound. Duplicates map to the same entry.
    """
    wanted = list(dict.fromkeys(f for f in file_ids if not f.startswith(f"{ids.DIRECTORY_FILE}-")))
    for fid in file_ids:
        if fid not in wanted:  # a dfl- id: it must be the project's
            catalog.get_directory_file(fid, project_id=project_id)
    if not wanted:
        return list(file_ids)
    bad = next((f for f in wanted if not is_file_id(f)), None)
    if bad is not None:
        raise NotFound("file", bad)
    files, _ = catalog.list_files(
        project_id=project_id, page_size=len(wanted), page_token=None, file_ids=wanted
    )
    names = {f.id: f.name for f in files}
    missing = next((f for f in wanted if f not in names), None)
    if missing is not None:
        raise NotFound("file", missing)
    directory_id = inputs_directory(catalog, project_id)
    mapping = {fid: _entry(catalog, project_id, directory_id, fid, names[fid]) for fid in wanted}
    return [mapping.get(f, f) for f in file_ids]


def _existing(catalog: Catalog, project_id: str, directory_id: str, file_id: str) -> str | None:
    rows, _ = catalog.list_directory_files(
        project_id=project_id,
        directory_id=directory_id,
        page_size=1,
        page_token=None,
        filters={"unique_id": file_id},
    )
    return rows[0].id if rows else None


def _entry(catalog: Catalog, project_id: str, directory_id: str, file_id: str, name: str) -> str:
    found = _existing(catalog, project_id, directory_id, file_id)
    if found is not None:
        return found
    entry = {"file_id": file_id, "display_name": name, "unique_id": file_id}
    try:
        (dfile,) = catalog.add_directory_files(
            project_id=project_id, directory_id=directory_id, entries=[entry]
        )
    except Conflict:  # made at the same moment by another request
        found = _existing(catalog, project_id, directory_id, file_id)
        if found is None:
            raise
        return found
    return dfile.id
