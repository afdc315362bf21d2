"""Text decoding: BOMs, UTF-16/32 without BOM (by NUL pattern), ISO-2022, declared charsets that
lie, and legacy code pages guessed without mangling Western European text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reams.processors import run
from reams.processors.parse.decode import decode_text, sniff_text

RUSSIAN = "Привет, мир! Это проверка кодировки текста на русском языке, 2024 год."
GERMAN = "Grüße aus Köln — „Anführungszeichen“ und das Euro-Zeichen kosten 5 €."


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("words", [RUSSIAN, GERMAN])
def test_wide_text_without_bom_is_found_by_its_nul_bytes(codec: str, words: str) -> None:
    data = words.encode(codec)
    assert sniff_text(data)
    assert decode_text(data) == (words, codec)


@pytest.mark.parametrize(
    ("words", "codec"),
    [
        ("café – €5", "cp1252"),
        ("Ça coûte 10 £ à Paris, señor. Año ±5° ½", "latin-1"),
        ("Høj bly gom vandt fræk sexquiz på wc. Blåbærsyltetøj og rødgrød.", "cp1252"),
        ("Pijamalı hasta yağız şoföre çabucak güvendi. İstanbul'da ğüşıöç.", "cp1254"),
        ("Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig.", "cp1250"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8-r"),
        ("שלום עולם, זהו מסמך בדיקה לקידוד תווים בעברית.", "cp1255"),
        ("Καλημέρα κόσμε, αυτό είναι ένα δοκιμαστικό κείμενο.", "cp1253"),
        ("こんにちは世界。これは文字コードのテストです。", "shift_jis"),
        ("こんにちは世界。これは文字コードのテストです。", "iso2022_jp"),
        ("你好，世界。这是一个字符编码测试。我们需要正确地读取中文文本。", "gb18030"),
    ],
)
def test_legacy_encodings_are_not_mangled(words: str, codec: str) -> None:
    text, _ = decode_text(words.encode(codec))
    assert text == words


def test_utf8_labelled_latin1_is_read_as_utf8() -> None:
    data = "I’m in Zürich".encode()
    assert decode_text(data, declared="iso-8859-1") == ("I’m in Zürich", "utf-8")
    assert decode_text("Zürich".encode("latin-1"), declared="iso-8859-1")[0] == "Zürich"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32", "utf-16-be", "cp1252"])
def test_text_files_in_any_encoding(codec: str) -> None:
    result = run("parse", GERMAN.encode(codec), "notes.txt", {})
    assert result["document"]["detected_type"] == "text"
    assert result["pages"][0]["text"] == GERMAN


def test_markdown_that_shows_html_stays_markdown() -> None:
    data = b"## Example\n\n```html\n<!DOCTYPE html>\n<html><body>x</body></html>\n```\n"
    result = run("parse", data, "codeblock.md", {})
    assert result["document"]["detected_type"] == "markdown"
    assert result["markdown_full"] == data.decode().strip("\n")


def test_corpus_text_files_in_odd_encodings(corpus_dir: Callable[[str], Path]) -> None:
    folder = corpus_dir("unstructured-example-docs")
    expected = (folder / "fake-text.txt").read_text(encoding="utf-8").split()
    for name in (
        "fake-text-utf-16.txt",
        "fake-text-utf-16-le.txt",
        "fake-text-utf-16-be.txt",
        "fake-text-utf-32.txt",
    ):
        result = run("parse", (folder / name).read_bytes(), name, {})
        assert result["document"]["detected_type"] == "text", name
        assert str(result["text_full"]).split() == expected, name
    umlauts = run("parse", (folder / "umlauts-non-utf8.md").read_bytes(), "u.md", {})
    assert umlauts["markdown_full"] == "## können\n\nkönnen\n\näöüß"
