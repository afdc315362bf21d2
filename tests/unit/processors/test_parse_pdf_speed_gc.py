"""The cyclic garbage collector is paused while a PDF page is read (its many short-lived
objects are then looked at once, not by a collection every 700 of them) and comes back as it
was: on when it was on, off when the caller had turned it off, and on again after a page that
failed."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reams.processors.parse.pdf import reader
from reams.processors.parse.pdf.reader import PdfSource, collection_paused


def prose_pdf(path: Path, *, pages: int) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1)
    for index in range(pages):
        for row in range(12):
            canvas.drawString(72, 720 - 14 * row, f"Line {row} of page {index + 1} of the notes.")
        canvas.showPage()
    canvas.save()
    return path.read_bytes()


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


def test_a_page_is_laid_out_with_the_collector_paused_and_it_is_on_again_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    seen: list[bool] = []
    layout = reader.layout_page  # type: ignore[attr-defined]

    def spying(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return layout(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "layout_page", spying)
    source = PdfSource(prose_pdf(tmp_path / "notes.pdf", pages=3))
    try:
        pages = [source.page(index) for index in range(source.page_count)]
    finally:
        source.close()
    assert seen == [False, False, False]
    assert gc.isenabled()
    assert "Line 3 of page 2" in pages[1].text


def test_the_collector_stays_off_when_the_caller_had_turned_it_off(tmp_path: Path) -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        source = PdfSource(prose_pdf(tmp_path / "notes.pdf", pages=1))
        try:
            source.page(0)
        finally:
            source.close()
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_a_page_that_fails_turns_the_collector_on_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("damaged page")

    monkeypatch.setattr(reader, "layout_page", broken)
    source = PdfSource(prose_pdf(tmp_path / "notes.pdf", pages=1))
    try:
        with pytest.raises(RuntimeError):
            source.page(0)
    finally:
        source.close()
    assert gc.isenabled()


def test_overlapping_pauses_resume_when_the_last_one_ends(collector_on: None) -> None:
    first_in, release = threading.Event(), threading.Event()
    states: list[bool] = []

    def first() -> None:
        with collection_paused():
            first_in.set()
            release.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_in.wait(5)
    with collection_paused():
        states.append(gc.isenabled())
    states.append(gc.isenabled())  # the first pause still holds
    release.set()
    thread.join(5)
    states.append(gc.isenabled())
    assert states == [False, False, True]


def test_cycles_made_while_paused_are_collected_after(collector_on: None) -> None:
    import weakref

    class Node:
        def __init__(self) -> None:
            self.me = self

    with collection_paused():
        node = Node()
        ref = weakref.ref(node)
        del node
        assert ref() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert ref() is None
