"""The output writer of ``reams run``: what it finds already in OUT, and where it never writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reams.cli.output_files import OutputWriter
from reams.domain.records import Item
from reams.domain.states import ItemStatus

NOW = datetime(2026, 1, 1, tzinfo=UTC)
OUTPUT = {"type": "parse", "document": {"markdown": "# Hello\n", "text": "Hello"}, "pages": []}


def _item(name: str, status: ItemStatus, n: int = 0) -> Item:
    return Item(
        id=f"itm-{n}",
        job_id="job",
        project_id="p",
        item_id=f"dfl-{n}",
        item_name=name,
        file_id="file",
        sha256="0" * 64,
        size=1,
        status=status,
        skip_reason=None,
        error_code=None,
        error_message=None,
        attempts=1,
        result_id=f"res-{n}",
        created_at=NOW,
        updated_at=NOW,
        started_at=NOW,
        completed_at=NOW,
    )


def _writer(out: Path, loads: list[str]) -> OutputWriter:
    def load(result_id: str) -> dict[str, Any]:
        loads.append(result_id)
        return OUTPUT

    return OutputWriter(out, load)


def test_outputs_already_in_out_are_kept_and_missing_ones_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    for name in ("a.txt.md", "a.txt.json", "sub/b.txt.md"):  # b lacks its .json
        (out / name).write_text("earlier", encoding="utf-8")
    loads: list[str] = []
    writer = _writer(out, loads)
    skipped = [_item("a.txt", ItemStatus.SKIPPED, 1), _item("sub/b.txt", ItemStatus.SKIPPED, 2)]
    assert [writer.needs_output(item) for item in skipped] == [False, True]
    for item in skipped:
        writer.write(item)
    assert (writer.kept, writer.written, loads) == (1, 1, ["res-2"])
    assert (out / "a.txt.md").read_text(encoding="utf-8") == "earlier"
    assert (out / "sub/b.txt.json").exists()
    # A completed item's outputs are always written, over what was there.
    completed = _item("a.txt", ItemStatus.COMPLETED, 3)
    assert writer.needs_output(completed)
    writer.write(completed)
    assert (out / "a.txt.md").read_text(encoding="utf-8") != "earlier"


def test_a_symlink_in_out_leading_elsewhere_is_never_written_through(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "x.txt.md").symlink_to(elsewhere / "x.md")
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    (out / "inside.txt.md").symlink_to(out / "real.md")  # stays inside OUT: fine
    writer = _writer(out, [])
    for n, name in enumerate(("x.txt", "linked/y.txt", "inside.txt")):
        writer.write(_item(name, ItemStatus.COMPLETED, n))
    assert list(elsewhere.iterdir()) == []
    assert (out / "real.md").exists() and (out / "inside.txt.json").exists()
    assert writer.written == 1


def test_a_symlink_to_an_existing_output_inside_out_counts_as_there(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "real.md").write_text("earlier", encoding="utf-8")
    (out / "real.json").write_text("{}", encoding="utf-8")
    (out / "c.txt.md").symlink_to(out / "real.md")
    (out / "c.txt.json").symlink_to(out / "real.json")
    (out / "d.txt.md").symlink_to(out / "gone.md")  # dangling: the output is missing
    (out / "d.txt.json").write_text("{}", encoding="utf-8")
    writer = _writer(out, [])
    assert not writer.needs_output(_item("c.txt", ItemStatus.SKIPPED, 1))
    assert writer.needs_output(_item("d.txt", ItemStatus.SKIPPED, 2))


def test_outputs_a_worker_wrote_are_counted_not_loaded_unless_its_result_lost(
    tmp_path: Path,
) -> None:
    """The engine's route: a worker wrote the outputs of items 1 and 2 naming a result id;
    item 1 was recorded with it (nothing to load or write here), item 2 with another (its
    lease was lost and another attempt won: written here from the recorded result)."""
    out = tmp_path / "out"
    loads: list[str] = []
    writer = _writer(out, loads)
    done = [_item("a.txt", ItemStatus.COMPLETED, 1), _item("b.txt", ItemStatus.COMPLETED, 2)]
    assert writer.targets(done[0]) == (
        str(out.resolve() / "a.txt.md"),
        str(out.resolve() / "a.txt.json"),
    )
    writer.worker_wrote(done[0], "res-1")
    writer.worker_wrote(done[1], "res-lost")
    assert [writer.needs_output(item) for item in done] == [False, True]
    for item in done:
        writer.write(item)
    assert (writer.written, writer.kept, loads) == (2, 0, ["res-2"])
    assert not (out / "a.txt.md").exists()  # the worker's to write, not this writer's
    assert (out / "b.txt.md").read_text(encoding="utf-8") == ""
    assert writer.outputs is not None and len(writer.outputs) == 4


def test_no_route_for_a_name_leading_outside_out(tmp_path: Path) -> None:
    writer = _writer(tmp_path / "out", [])
    assert writer.targets(_item("../escape.txt", ItemStatus.COMPLETED, 1)) == ()
