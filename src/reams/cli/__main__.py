"""``python -m reams.cli``: the same as the ``reams`` command."""

from reams.cli.main import app

app(prog_name="reams")
