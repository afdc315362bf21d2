"""The ``reams`` command line (typer + rich). Thin: remote commands go through the client,
local ones through ``reams.bootstrap``; no business logic lives here."""
