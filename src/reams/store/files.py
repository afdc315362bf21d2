"""Writing a file whole or not at all: the output files of ``reams run`` (written by the
command's process, or by the worker process that made a large result)."""

from __future__ import annotations

import contextlib
import os

_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def write_atomically(target: str, data: bytes, made: set[str]) -> None:
    """Write ``data`` to ``target`` through a temporary file renamed into place.

    A Ctrl-C or a killed process mid-write must not leave a truncated file that a re-run would
    then keep. Plain os calls on str paths: for thousands of small files, pathlib's parsing and
    a text wrapper per file cost more than the write (the bytes are the same, UTF-8, no newline
    translation on POSIX). ``made``: the folders this writer already created (asked once).
    """
    parent, name = os.path.split(target)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    tmp = f"{parent}/.{name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, _WRITE_FLAGS, 0o666)
    except FileNotFoundError:  # the folder was removed meanwhile
        os.makedirs(parent, exist_ok=True)
        fd = os.open(tmp, _WRITE_FLAGS, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:  # a full disk, or Ctrl-C mid-write: no temporary file left behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
