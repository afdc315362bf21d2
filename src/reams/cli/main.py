"""The ``reams`` command (the console script's ``app``).

A ``reams run`` with nothing to run, over a folder unchanged since its last run, is answered
first (``reams.cli.unchanged``), before typer and the rest of the command line are imported;
every other command line goes to the typer app of ``reams.cli.commands``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any


class Reams:
    """Callable as the typer app it stands for: ``app()``, ``app(prog_name="reams")``."""

    def __call__(
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        from reams.cli.unchanged import answer

        try:
            code = answer(sys.argv[1:] if args is None else list(args))
        except KeyboardInterrupt:
            code = 130  # as the full command exits on Ctrl-C
        if code is not None:
            raise SystemExit(code)
        from reams.cli.commands import app as typer_app

        return typer_app(args=args, prog_name=prog_name, **extra)


app = Reams()
