"""``python -m reams.engine.child``: the isolated worker process (see engine.isolation)."""

from __future__ import annotations

import signal
import sys

if __name__ == "__main__":
    # First, before the slower imports: a terminal's Ctrl-C reaches the whole process group,
    # and a child still starting must not die of it with a KeyboardInterrupt traceback
    # printed after the CLI has exited. The parent decides what stops (it closes the pipes).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from reams.engine.isolation import child_main

    child_main(sys.argv[1:])
