"""``python -m reams``: the command line."""

from reams.cli.main import app

if __name__ == "__main__":
    app()
