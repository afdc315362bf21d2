"""Rendering a table (rows of cell strings) as a Markdown or HTML table plus plain text."""

from __future__ import annotations

import html

from reams.processors.parse.blocks import Block


def render_table(rows: list[list[str]], *, as_html: bool) -> Block | None:
    """Render ``rows`` with the first row as the header; None for a table without any text."""
    rows = _rectangular([[_clean(cell) for cell in row] for row in rows])
    if not rows or not any(cell for row in rows for cell in row):
        return None
    text = "\n".join("\t".join(row) for row in rows)
    markdown = table_html(rows) if as_html else _markdown_table(rows)
    return Block(markdown, text)


def _clean(cell: str) -> str:
    return " ".join(cell.split())


def _rectangular(rows: list[list[str]]) -> list[list[str]]:
    # Rows without any text are spacing in the source, not data.
    rows = [row for row in rows if any(row)]
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def _markdown_table(rows: list[list[str]]) -> str:
    header, *body = rows
    lines = [_markdown_row(header), "|" + "|".join(" --- " for _ in header) + "|"]
    lines.extend(_markdown_row(row) for row in body)
    return "\n".join(lines)


def _markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def table_html(rows: list[list[str]]) -> str:
    """An HTML table of ``rows``, the first row as its header."""
    if not rows:
        return "<table></table>"
    header, *body = rows
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    lines = ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in body:
        lines.append("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>")
    lines.extend(["</tbody>", "</table>"])
    return "\n".join(lines)
