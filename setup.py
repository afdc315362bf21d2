"""Build the optional native part of reams; everything else is declared in pyproject.toml.

``reams.processors.parse.pdf._chars`` reads a PDF page's characters and path segments from
PDFium in C (through the function addresses pypdfium2 exposes, so nothing links against
libpdfium) for the table stage. It is optional: where no C compiler is available the build goes
on without it and reams makes the same PDFium calls through ctypes, with the same output.
"""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class _BuildExt(build_ext):  # type: ignore[misc]
    """No fused multiply-add: the C arithmetic must round as Python's does (same output)."""

    def build_extensions(self) -> None:
        if self.compiler.compiler_type == "unix":
            for extension in self.extensions:
                extension.extra_compile_args.append("-ffp-contract=off")
        super().build_extensions()


setup(
    ext_modules=[
        Extension(
            "reams.processors.parse.pdf._chars",
            sources=["src/reams/processors/parse/pdf/_chars.c"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": _BuildExt},
)
