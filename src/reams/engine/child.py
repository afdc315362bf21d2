"""``python -m reams.engine.child``: the isolated worker process (see engine.isolation)."""

from __future__ import annotations

import sys

from reams.engine.isolation import child_main

if __name__ == "__main__":
    child_main(sys.argv[1:])
