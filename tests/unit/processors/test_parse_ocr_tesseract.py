"""tesseract and the document's languages: ISO codes become language packs, auto picks tesseract
for languages rapidocr's model cannot spell, and missing packs are named with their package.

A stand-in ``tesseract`` script answers where the real one is absent; the real one reads French
and German accents where it is installed with those packs."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ocr_fixtures import image_bytes, normalised, printed_image, text_image
from reams.processors import run
from reams.processors.parse.ocr.engine import find_engine
from reams.processors.parse.ocr.image import ImageSource
from reams.processors.parse.ocr.pages import OcrPages, ocr_languages
from reams.processors.parse.ocr.tesseract import (
    installed_packs,
    mean_confidence,
    orientation,
    pack_names,
)

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "5\t1\t1\t1\t1\t1\t10\t10\t100\t20\t95\tlu\n"
)


def _stand_in(folder: Path, packs: str) -> None:
    """A ``tesseract`` on the PATH that lists ``packs`` and prints its arguments as the text."""
    script = folder / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --list-langs ]; then\n'
        f"  printf 'List of available languages in \"/x/\" (3):\\n{packs}'\n"
        "  exit 0\n"
        "fi\n"
        "cat > /dev/null\n"
        'args=$(echo "$*" | tr " " "_")\n'
        f"printf '{TSV}' | sed \"s/\\tlu$/\\t$args/\"\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _stand_in(tmp_path, "eng\\nfra\\nosd\\n")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/usr/bin:/bin")
    return tmp_path


def test_iso_codes_become_tesseract_pack_names() -> None:
    assert pack_names(["fr", "de-DE", "EN", "chi_sim", "fr", "pt_BR"]) == [
        "fra",
        "deu",
        "eng",
        "chi_sim",
        "por",
    ]


def test_installed_packs_are_listed_without_the_heading(stand_in: Path) -> None:
    assert installed_packs(str(stand_in / "tesseract")) == frozenset({"eng", "fra", "osd"})


def _read_by(engine: Any) -> str:
    return " ".join(box.text for box in engine.recognise(printed_image(("x",))))


def test_auto_reads_french_with_tesseract_and_its_pack(stand_in: Path) -> None:
    engine, warnings = find_engine("auto", ["fr"])
    assert engine is not None and engine.name == "tesseract" and warnings == []
    assert "-l_fra_" in _read_by(engine)


def test_auto_keeps_rapidocr_for_english_and_chinese(stand_in: Path) -> None:
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")
    for languages in ([], ["en"], ["zh", "en"]):
        engine, warnings = find_engine("auto", languages)
        assert engine is not None and engine.name == "rapidocr" and warnings == []


def test_auto_without_the_pack_says_which_package_adds_it(stand_in: Path) -> None:
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")
    engine, warnings = find_engine("auto", ["es"])
    assert engine is not None and engine.name == "rapidocr"
    assert len(warnings) == 1 and "tesseract-ocr-spa" in warnings[0]


def test_tesseract_reads_the_packs_it_has_and_names_the_missing(stand_in: Path) -> None:
    engine, warnings = find_engine("tesseract", ["fr", "es"])
    assert engine is not None and engine.name == "tesseract"
    assert "-l_fra_" in _read_by(engine)
    assert warnings == [
        "tesseract has no language pack for spa (Debian package tesseract-ocr-spa); "
        "OCR read without it"
    ]


def test_tesseract_without_languages_reads_english(stand_in: Path) -> None:
    engine, warnings = find_engine("tesseract")
    assert engine is not None and "-l_eng_" in _read_by(engine) and warnings == []


def test_languages_come_from_lang_or_languages() -> None:
    options: Any = SimpleNamespace(lang="fr, de", languages=["de", "it"])
    assert ocr_languages(options) == ("fr", "de", "it")
    assert ocr_languages(SimpleNamespace()) == ()  # type: ignore[arg-type]


def test_the_languages_reach_the_engine_through_the_pages(stand_in: Path) -> None:
    source = ImageSource(image_bytes(printed_image(("x",)), "PNG"))
    pages = OcrPages(source, disabled=False, engine="auto", languages=("fr",))
    assert "-l_fra_" in pages.page(0).text
    assert pages.warnings == []


ACCENTS = ("Reçu de paiement : déjà réglé", "Straße 12, München — Größe: 3 Stück")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed here")
def test_real_tesseract_reads_french_and_german_accents() -> None:
    packs = installed_packs(str(shutil.which("tesseract")))
    if packs is None or not {"fra", "deu"} <= packs:
        pytest.skip("tesseract's French and German packs (tesseract-ocr-fra, -deu) are missing")
    image = printed_image(ACCENTS, font="Helvetica", size=10, dpi=200)
    pages = OcrPages(ImageSource(image_bytes(image, "PNG")), disabled=False, languages=("fr", "de"))
    words = [word.strip(":,") for word in pages.page(0).text.split()]
    for word in ("Reçu", "déjà", "réglé", "Straße", "München", "Größe", "Stück"):
        assert word in words


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed here")
def test_a_parse_job_with_lang_reads_the_accents() -> None:
    """``lang`` on the job reaches OCR: ``auto`` picks tesseract with the packs it names."""
    packs = installed_packs(str(shutil.which("tesseract")))
    if packs is None or not {"fra", "deu"} <= packs:
        pytest.skip("tesseract's French and German packs (tesseract-ocr-fra, -deu) are missing")
    image = image_bytes(printed_image(ACCENTS, font="Helvetica", size=10, dpi=200), "PNG")
    output = run("parse", image, "receipt.png", {"lang": "fr,de"})
    words = [word.strip(":,") for word in output["text_full"].split()]
    for word in ("Reçu", "déjà", "Straße", "München", "Größe"):
        assert word in words


def test_orientation_is_taken_from_osd_only_when_tesseract_is_confident() -> None:
    osd = "Page number: 0\nOrientation in degrees: 180\nRotate: 180\nOrientation confidence: 9.5\n"
    assert orientation(osd) == 180
    assert orientation(osd.replace("9.5", "0.3")) == 0
    assert orientation("Rotate: 45\nOrientation confidence: 9\n") == 0
    assert orientation("garbage") == orientation("Rotate: x\nOrientation confidence: y") == 0


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed here")
@pytest.mark.parametrize("angle", [90, 180, 270])
def test_real_tesseract_reads_a_turned_scan_upright(angle: int) -> None:
    packs = installed_packs(str(shutil.which("tesseract")))
    if packs is None or "osd" not in packs:
        pytest.skip("tesseract's orientation pack (osd) is missing")
    data = image_bytes(text_image().rotate(angle, expand=True), "PNG")
    text = normalised(run("parse", data, "turned.png", {"ocr_engine": "tesseract"})["text_full"])
    assert text.index("quarterly") < text.index("invoice") < text.index("march")


def test_mean_confidence_counts_words_only() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t10\t10\t300\t20\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t10\t100\t20\t90\tupright\n"
        "5\t1\t1\t1\t1\t2\t120\t10\t100\t20\t40\tword\n"
        "5\t1\t1\t1\t1\t3\t230\t10\t100\t20\t-1\t \n"
    )
    assert mean_confidence(tsv) == 65.0
    assert mean_confidence(tsv.splitlines()[0]) is None
