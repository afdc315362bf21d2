"""JSON and XML: pretty-printed fenced blocks of bounded size, feeds rendered as articles,
entity expansion refused, malformed input shown as written with a warning."""

from __future__ import annotations

import json

import pytest

from reams.processors import run
from reams.processors.parse import fenced


def _parse(data: bytes, name: str) -> dict[str, object]:
    return run("parse", data, name, {})


def test_json_is_pretty_printed_in_a_fence() -> None:
    result = _parse(b'{"name":"Zo\\u00eb","tags":["a","b"],"n":1}', "data.json")
    assert result["document"]["detected_type"] == "json"
    assert result["markdown_full"] == (
        '```json\n{\n  "name": "Zoë",\n  "tags": [\n    "a",\n    "b"\n  ],\n  "n": 1\n}\n```'
    )
    assert str(result["text_full"]).startswith('{\n  "name": "Zoë"')


def test_json_lines_and_backticks_inside_strings() -> None:
    result = _parse(b'{"a": 1}\n{"code": "```py"}\n', "events.jsonl")
    assert result["markdown_full"] == ('````json\n{\n  "a": 1\n}\n{\n  "code": "```py"\n}\n````')


def test_invalid_json_is_shown_as_written_with_a_warning() -> None:
    result = _parse(b'{"name": "John", "age": 30,', "broken.json")
    assert result["document"]["detected_type"] == "json"
    assert result["markdown_full"] == '```json\n{"name": "John", "age": 30,\n```'
    assert result["document"]["warnings"] == ["The file is not valid JSON; it is shown as it is."]


def test_long_json_is_cut_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fenced, "MAX_CHARS", 200)
    result = _parse(json.dumps(list(range(500))).encode(), "numbers.json")
    assert len(str(result["text_full"])) <= 200
    assert str(result["markdown_full"]).endswith("\n```")
    assert result["document"]["warnings"] == [
        "The JSON is longer than 200 characters once laid out; the rest is left out."
    ]


def test_xml_is_pretty_printed_and_keeps_its_declared_encoding() -> None:
    data = (
        '<?xml version="1.0" encoding="iso-8859-1"?><root a="1"><item>Café</item><!-- n --></root>'
    )
    result = _parse(data.encode("latin-1"), "data.xml")
    assert result["document"]["detected_type"] == "xml"
    assert result["markdown_full"] == (
        '```xml\n<root a="1">\n  <item>Café</item>\n  <!-- n -->\n</root>\n```'
    )


def test_xml_entities_are_never_expanded() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<r>&b;&x;</r>"
    )
    markdown = str(_parse(data, "bomb.xml")["markdown_full"])
    assert "aaaaaaaaaaaaaaaaaaaa" not in markdown.split("]>")[-1]
    assert "root:" not in markdown


def test_malformed_xml_is_shown_as_written() -> None:
    result = _parse(b'<?xml version="1.0"?><a><b></a>', "bad.xml")
    assert result["markdown_full"] == '```xml\n<?xml version="1.0"?><a><b></a>\n```'
    assert result["document"]["warnings"] == [
        "The file is not well-formed XML; it is shown as it is."
    ]


def test_rss_feed_reads_as_articles() -> None:
    data = b"""<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
      xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Team blog</title>
      <description>News</description>
      <item><title>Launch</title><link>https://x.test/launch</link><dc:creator>Ana</dc:creator>
      <pubDate>Tue, 19 Nov 2024 13:30:02 +0000</pubDate><description>Short</description>
      <content:encoded><![CDATA[<p>We <b>shipped</b>.</p>]]></content:encoded></item>
      </channel></rss>"""
    result = _parse(data, "feed")
    assert result["document"]["detected_type"] == "xml"
    assert result["markdown_full"] == (
        "# Team blog\n\nNews\n\n## Launch\n\n"
        "Published: Tue, 19 Nov 2024 13:30:02 +0000 · Author: Ana · Link: <https://x.test/launch>"
        "\n\nWe **shipped**."
    )
    assert "<rss" not in str(result["markdown_full"])


def test_atom_feed_with_xhtml_content() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?>
      <feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>
      <entry><title>First</title><link rel="alternate" href="https://x.test/1"/>
      <author><name>Bo</name></author><updated>2024-01-02T00:00:00Z</updated>
      <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <em>all</em></p></div>
      </content></entry></feed>"""
    markdown = str(_parse(data, "atom.xml")["markdown_full"])
    assert markdown.startswith("# Atom news\n\n## First\n\nPublished: 2024-01-02T00:00:00Z")
    assert "Author: Bo · Link: <https://x.test/1>" in markdown
    assert markdown.endswith("Hi *all*")
