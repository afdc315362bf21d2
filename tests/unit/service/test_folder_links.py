"""The folder scan of ``reams run``: symbolic links leaving the folder are not followed unless
asked; links inside it are fine; link loops end; a single file stands in for a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reams.service.folders import walk


def scanned(root: Path, **options: Any) -> set[str]:
    """The relative paths of the files a walk of ``root`` finds."""
    return {path.relative_to(root).as_posix() for path, _ in walk(root, **options)}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "secret.txt").write_text("host secret")
    (outside / "sub" / "deep.txt").write_text("deep secret")
    docs = tmp_path / "docs"
    (docs / "inner").mkdir(parents=True)
    (docs / "a.md").write_text("# a")
    (docs / "inner" / "b.md").write_text("# b")
    (docs / "x").symlink_to(outside / "secret.txt")  # a file link leaving the folder
    (docs / "linked").symlink_to(outside / "sub")  # a folder link leaving the folder
    (docs / "alias.md").symlink_to(docs / "a.md")  # a file link inside the folder
    (docs / "inner-again").symlink_to(docs / "inner")  # a folder link inside the folder
    (docs / "inner" / "loop").symlink_to(docs)  # a loop back to the top
    return docs


def test_links_leaving_the_folder_are_skipped_and_reported(tree: Path) -> None:
    outside: list[str] = []
    found = scanned(tree, outside=outside)
    assert found == {"a.md", "alias.md", "inner/b.md"}
    assert sorted(outside) == ["linked", "x"]


def test_follow_links_follows_them_and_a_loop_ends(tree: Path) -> None:
    outside: list[str] = []
    found = scanned(tree, follow_links=True, outside=outside)
    # Each real folder is walked once: "inner-again" and the loop add nothing new.
    assert {"a.md", "alias.md", "x", "linked/deep.txt"} <= found
    assert len([p for p in found if p.endswith("b.md")]) == 1
    assert outside == []


def test_a_single_file_is_its_only_entry(tree: Path) -> None:
    ((path, stat),) = walk(tree / "inner" / "b.md")
    assert (path.name, stat.st_size) == ("b.md", 3)
