"""Every processors module imports on its own, in a fresh interpreter: no import cycle
depends on which module happens to be imported first (the engine's child imports
``reams.processors``; benchmarks and tests import the submodules directly)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import reams.processors

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(reams.processors.__path__, "reams.processors.")
)


@pytest.mark.slow  # one fresh interpreter per module
def test_every_analysis_module_imports_first() -> None:
    code = (
        "import importlib, subprocess, sys\n"
        "bad = []\n"
        "for name in sys.argv[1:]:\n"
        "    r = subprocess.run([sys.executable, '-c', f'import {name}'], capture_output=True,"
        " text=True)\n"
        "    if r.returncode: bad.append(name + ': ' + r.stderr.strip().splitlines()[-1])\n"
        "print('\\n'.join(bad))\n"
    )
    assert len(MODULES) > 10
    done = subprocess.run([sys.executable, "-c", code, *MODULES], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"modules that fail to import first:\n{done.stdout}"


@pytest.mark.parametrize(
    "name",
    [
        "reams.processors.llm",
        "reams.processors.classify",
        "reams.processors.parse.pdf.reader",
        "reams.processors.parse.ocr.engine",
        "reams.processors.parse.office.docx",
        "reams.processors.parse.web.html",
        "reams.processors.parse.mail.eml",
        "reams.processors.parse.epub.reader",
    ],
)
def test_packages_are_listed(name: str) -> None:
    assert name in MODULES
