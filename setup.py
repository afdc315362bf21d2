"""Build the optional native part of reams; everything else is declared in pyproject.toml.

``reams.processors.parse.pdf._chars`` reads a PDF page's characters from PDFium once (through
the function addresses pypdfium2 exposes, so nothing links against libpdfium) and cuts the text
of table cells from them. It is optional: where no C compiler is available the build goes on
without it and reams uses the same PDFium calls through ctypes, with the same output.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "reams.processors.parse.pdf._chars",
            sources=["src/reams/processors/parse/pdf/_chars.c"],
            optional=True,
        )
    ]
)
