"""The ``reams`` command (the console script's ``app``).

A ``reams run`` with nothing to run, over a folder unchanged since its last run, is answered
first (``reams.cli.unchanged``), before typer and the rest of the command line are imported;
every other command line goes to the typer app of ``reams.cli.commands``; for any other
``reams run``, the worker child is started first (``service.folders.start_worker_early``).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping, Sequence
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
        if runs_here(sys.argv[1:] if args is None else list(args), os.environ):
            # Its worker boots while this process imports the store and the engine.
            from reams.service.folders import start_worker_early

            start_worker_early(plain_run(sys.argv[1:] if args is None else list(args)))
        from reams.cli.commands import app as typer_app

        # What the imports made lives as long as the process: out of the collector's sight, it
        # is neither traversed again by every full collection while the command runs nor
        # collected one object at a time at exit (about 70 ms of a ``reams run``'s exit).
        gc.freeze()
        return typer_app(args=args, prog_name=prog_name, **extra)


def runs_here(argv: Sequence[str], environ: Mapping[str, str]) -> bool:
    """Whether the command line is a ``reams run`` that processes files in this process (the
    local engine; not ``--help``), so that a worker child will be needed."""
    if not argv or argv[0] != "run" or any(a in ("--help", "-h") for a in argv):
        return False
    return environ.get("REAMS_ENGINE", "local").strip().lower() == "local"


def plain_run(argv: Sequence[str]) -> tuple[str, str] | None:
    """(folder, OUT) of ``reams run DIR --out OUT`` with nothing that changes how files are
    parsed (only ``--workers``, ``--priority``, ``--job parse``), read as
    ``cli.unchanged.read_run_args`` reads a command line: its early worker may parse ahead
    (``engine.prefetch``). None for anything else (a miss would only waste its time)."""
    from reams.cli.unchanged import RunOptions, read_run_args

    options = read_run_args(argv)
    if options is None or options != RunOptions(path=options.path, out=options.out):
        return None
    return options.path, options.out


app = Reams()
