"""``reams run`` over a folder that has not changed since its last run: answered at once.

A run in which every file ended done (completed, or skipped as already processed) and whose
results serve dedup leaves a record in the data folder (``service.folders.save_run_record``):
a key hashing the command's options (job, ``--param``, the rules or schema file's content, the
folder, ``--out``, ``--follow-links``), the ``REAMS_*`` environment and the reams version;
the stat signature of every file as it was hashed; and the signatures of the store's database
files and of every output. The same command again over the same files would create a job in
which every file is skipped as ``already_processed`` and write nothing. When the record shows
that nothing it depended on has changed, that summary is printed without importing typer, the
store or the engine, and without creating the job that would have said it (the summary names
the earlier job instead).

Anything else, or any doubt, goes to the full command: another option or setting, a file
added, changed or removed, an output missing or modified, any write to the database since the
record (another job, a deleted one, a server using it), ``--force``, ``--retry-failed``, a
command line this module does not read exactly as typer would, or no readable record.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from reams import __version__
from reams.service.folders import unchanged_run

RECORDS = "runs"  # in the data folder: one record per folder and output folder
KEY_VERSION = 1
ENV_PREFIX = "REAMS_"
# The options of ``reams run`` read here; any other (``--force``, ``--retry-failed``,
# ``--help``, ...) leaves the command to typer.
VALUE_OPTIONS = frozenset({"--job", "--out", "--rules", "--schema", "--workers", "--priority"})
PRIORITY_RANGE = range(-100, 101)  # domain.fairness PRIORITY_MIN..PRIORITY_MAX
WORKERS_RANGE = range(1, 1 << 63)


@dataclass(frozen=True)
class RunOptions:
    """A ``reams run`` command line as typer would read it (only the options that can have
    nothing to run)."""

    path: str
    out: str
    job: str = "parse"
    params: tuple[str, ...] = ()
    rules: str | None = None
    schema: str | None = None
    follow_links: bool = False


def read_run_args(argv: Sequence[str]) -> RunOptions | None:
    """``run PATH --out OUT [--job J] [--param K=V]... [--rules F] [--schema F] [--workers N]
    [--priority P] [--follow-links]`` (``--opt=value`` too, in any order); None for anything
    else, including what typer would refuse (it then says why)."""
    if not argv or argv[0] != "run":
        return None
    read = _tokens(argv[1:])
    if read is None:
        return None
    values, params, paths = read
    if len(paths) != 1 or "--out" not in values:
        return None
    if not _in_range(values, "--workers", WORKERS_RANGE):
        return None
    if not _in_range(values, "--priority", PRIORITY_RANGE):
        return None
    return RunOptions(
        path=paths[0],
        out=values["--out"],
        job=values.get("--job", "parse"),
        params=tuple(params),
        rules=values.get("--rules"),
        schema=values.get("--schema"),
        follow_links="--follow-links" in values,
    )


def _tokens(argv: Sequence[str]) -> tuple[dict[str, str], list[str], list[str]] | None:
    """The options given once (``--follow-links`` as ``""``), the ``--param`` values in order
    and the other arguments; None for an option not read here, or one given twice."""
    values: dict[str, str] = {}
    params: list[str] = []
    paths: list[str] = []
    args = iter(argv)
    for arg in args:
        if not arg.startswith("-") or arg == "-":
            paths.append(arg)
            continue
        name, sep, value = arg.partition("=")
        if name == "--follow-links" and not sep:
            value = ""
        elif name != "--param" and name not in VALUE_OPTIONS:
            return None
        elif not sep:
            value = next(args, "")
            if not value or value.startswith("-"):
                return None
        if name == "--param":
            params.append(value)
        elif name in values:
            return None
        else:
            values[name] = value
    return values, params, paths


def _in_range(values: Mapping[str, str], name: str, allowed: range) -> bool:
    if name not in values:
        return True
    try:
        return int(values[name]) in allowed
    except ValueError:
        return False


def _content_sha(path: Path | None) -> str | None:
    if path is None:
        return None
    return hashlib.sha256(path.expanduser().read_bytes()).hexdigest()


def run_key(
    *,
    job: str,
    params: Sequence[str],
    rules: Path | None,
    schema: Path | None,
    root: Path,
    out: Path,
    follow_links: bool,
    environ: Mapping[str, str],
) -> str:
    """The hash of everything besides the files that decides what ``reams run`` does: the same
    for the same command line (``root`` and ``out`` resolved, the rules and schema files by
    content), the same ``REAMS_*`` environment (settings) and the same reams. Raises OSError
    when the rules or schema file cannot be read."""
    settings = sorted((k, v) for k, v in environ.items() if k.upper().startswith(ENV_PREFIX))
    payload = [
        KEY_VERSION,
        __version__,
        job,
        list(params),
        _content_sha(rules),
        _content_sha(schema),
        str(root),
        str(out),
        follow_links,
        settings,
    ]
    return hashlib.sha256(orjson.dumps(payload)).hexdigest()


def data_dir(environ: Mapping[str, str]) -> Path | None:
    """The data folder ``Settings`` would use (``REAMS_DATA_DIR``, else the XDG default); None
    when the environment spells the variable in another case (pydantic reads that too)."""
    named = [k for k in environ if k.upper() == "REAMS_DATA_DIR"]
    if named and named != ["REAMS_DATA_DIR"]:
        return None
    if named:
        return Path(environ["REAMS_DATA_DIR"]) if environ["REAMS_DATA_DIR"] else None
    base = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "reams"


def record_path(data: Path, root: Path, out: Path) -> Path:
    """Where the record of the runs of ``root`` into ``out`` is kept."""
    name = hashlib.sha256(f"{root}\0{out}".encode()).hexdigest()[:32]
    return data / RECORDS / f"{name}.json"


def answer(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> int | None:
    """Print the summary of a re-run with nothing to run and return its exit code (0), or None
    when the full command has to run (see the module's docstring)."""
    started = time.perf_counter()
    env = os.environ if environ is None else environ
    options = read_run_args(argv)
    data = None if options is None else data_dir(env)
    if options is None or data is None:
        return None
    try:
        root = Path(options.path).expanduser().resolve()
        out = Path(options.out).expanduser().resolve()
        key = run_key(
            job=options.job,
            params=options.params,
            rules=None if options.rules is None else Path(options.rules),
            schema=None if options.schema is None else Path(options.schema),
            root=root,
            out=out,
            follow_links=options.follow_links,
            environ=env,
        )
        facts = unchanged_run(
            record_path(data, root, out),
            key=key,
            root=root,
            exclude=out,
            follow_links=options.follow_links,
        )
    except (OSError, RuntimeError):  # unreadable paths, a symlink loop: the full command says
        return None
    return None if facts is None else _report(facts, out, started)


def _report(facts: dict[str, object], out: Path, started: float) -> int | None:
    total, examples, job_id = facts.get("total"), facts.get("examples"), facts.get("job_id")
    labels = facts.get("labels") or {}
    if not isinstance(total, int) or not isinstance(job_id, str) or not isinstance(labels, dict):
        return None
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        return None
    from reams.cli.summary import print_unchanged

    print_unchanged(
        total=total,
        examples=examples,
        job_id=job_id,
        out_dir=out,
        elapsed=time.perf_counter() - started,
        labels={str(k): int(v) for k, v in labels.items()},
    )
    return 0
