"""HTML rendering: inline Markdown, lists, definition lists, code, tables with spans, images,
links, hidden and navigation content, main-content pick. Every page is written in the test."""

from __future__ import annotations

import pytest

from reams.processors import run
from reams.processors.parse.web.links import link_target, unwrap_redirect


def _markdown(body: str, **parameters: object) -> str:
    html = f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>"
    result = run("parse", html.encode(), "page.html", parameters)
    assert result["document"]["detected_type"] == "html"
    return str(result["markdown_full"])


def _text(body: str) -> str:
    html = f"<html><body>{body}</body></html>"
    return str(run("parse", html.encode(), "page.html", {})["text_full"])


def test_emphasis_code_and_links_render_as_markdown() -> None:
    markdown = _markdown(
        "<h1>Doc</h1><p>A <b>bold</b> and <i>italic</i>, <strong><b>not doubled</b></strong>,"
        " <del>gone</del>, <code>x = `y`</code> and"
        " <a href='/wiki/Bill' title='Bill G'>Bill <em>Gates</em></a>.</p>"
    )
    assert markdown == (
        "# Doc\n\nA **bold** and *italic*, **not doubled**, ~~gone~~, `` x = `y` `` and"
        ' [Bill *Gates*](/wiki/Bill "Bill G").'
    )


def test_emphasis_markers_hug_their_words() -> None:
    assert "a **b** c" in _markdown("<p>a<b> b </b>c</p>")


def test_plain_text_output_has_no_markup() -> None:
    text = _text(
        "<p>A <b>bold</b> <a href='https://x.test'>link</a> <img alt='logo' src='l.png'></p>"
    )
    assert text == "A bold link logo"


def test_literal_markdown_characters_are_escaped() -> None:
    assert "2 \\* 3 = 6, \\_private and snake_case" in _markdown(
        "<p>2 * 3 = 6, _private and snake_case</p>"
    )


def test_unusable_links_keep_only_their_text() -> None:
    markdown = _markdown(
        "<p><a href='javascript:void(0)'>Menu</a> <a>Anchor</a> <a href=''>E</a></p>"
    )
    assert markdown.endswith("Menu Anchor E")


def test_links_and_images_with_spaces_or_data_uris() -> None:
    markdown = _markdown(
        "<p><a href='my file.pdf'>file</a> <img alt='x' src='data:image/png;base64,iVBORw0KGgo='>"
        " <img src='pixel.gif' width='1' height='1'></p>"
    )
    assert "[file](<my file.pdf>)" in markdown
    assert "![x](data:image/png;base64...)" in markdown
    assert "iVBORw0KGgo" not in markdown
    assert "pixel.gif" not in markdown


def test_click_tracking_redirects_are_unwrapped() -> None:
    bing = "https://www.bing.com/ck/a?!&&p=abc&u=a1aHR0cHM6Ly9lbi53aWtpcGVkaWEub3JnL3dpa2kvRHVjaw&ntb=1"
    assert unwrap_redirect(bing) == "https://en.wikipedia.org/wiki/Duck"
    google = "https://www.google.com/url?q=https://example.com/a%3Fb%3D1&sa=D"
    assert unwrap_redirect(google) == "https://example.com/a?b=1"
    assert unwrap_redirect("https://example.com/share?u=https://x.test") == (
        "https://example.com/share?u=https://x.test"
    )
    assert link_target("https://www.bing.com/ck/a?u=a1amF2YXNjcmlwdDp2b2lkKDAp") is None


def test_nested_lists_with_paragraphs_and_code_in_items() -> None:
    markdown = _markdown(
        "<ol start='3'><li>Three <p>More about three</p><pre>code()</pre></li>"
        "<li>Four<ul><li>Inner <b>bold</b></li><li><ul><li>Deeper</li></ul></li></ul></li></ol>"
    )
    assert markdown.endswith(
        "3. Three\n\n    More about three\n\n    ```\n    code()\n    ```\n"
        "4. Four\n    - Inner **bold**\n        - Deeper"
    )


def test_definition_lists_become_nested_bullets() -> None:
    markdown = _markdown(
        "<dl><dt>Coffee</dt><dd>Black <em>hot</em> drink</dd><dt><b>Milk</b></dt>"
        "<dd>White<dl><dt>Skim</dt><dd>Less fat</dd></dl></dd></dl>"
    )
    assert markdown.endswith(
        "- **Coffee**\n    - Black *hot* drink\n- **Milk**\n    - White\n"
        "        - **Skim**\n            - Less fat"
    )


def test_preformatted_code_keeps_layout_and_language() -> None:
    markdown = _markdown(
        "<pre class='language-python'><code>def f():\n    return 1\n</code></pre>"
        "<pre>```\nnested fence\n```</pre><pre>one<br>two</pre>"
    )
    assert "```\none\ntwo\n```" in markdown
    assert "```python\ndef f():\n    return 1\n```" in markdown
    assert "````\n```\nnested fence\n```\n````" in markdown


def test_headings_quotes_and_rules() -> None:
    markdown = _markdown(
        "<h2>Part <a href='#p'>one</a></h2><blockquote><p>Said.</p></blockquote><hr>"
    )
    assert "## Part [one](#p)\n\n> Said.\n\n---" in markdown


def test_row_and_column_spans_repeat_and_group_rows_are_dropped() -> None:
    markdown = _markdown(
        "<table><tr><th>Year</th><th colspan='2'>Sales</th></tr>"
        "<tr><th rowspan='3'>2025</th></tr>"
        "<tr><td>Q1</td><td>10</td></tr><tr><td>Q2</td><td>12</td></tr></table>"
    )
    assert markdown.endswith(
        "| Year | Sales | Sales |\n| --- | --- | --- |\n| 2025 | Q1 | 10 |\n| 2025 | Q2 | 12 |"
    )


def test_full_width_cells_and_empty_columns_are_not_repeated() -> None:
    markdown = _markdown(
        "<table><tr><td colspan='3'>Report</td></tr>"
        "<tr><td>a</td><td></td><td>b</td></tr><tr><td>c</td><td></td><td>d</td></tr></table>"
    )
    assert markdown.endswith("| Report |  |\n| --- | --- |\n| a | b |\n| c | d |")


def test_rich_cells_are_flattened_onto_one_line() -> None:
    markdown = _markdown(
        "<table><tr><th>K</th><th>V</th></tr><tr><td><ul><li>x</li><li>y</li></ul></td>"
        "<td><table><tr><td>A1</td><td>B1</td></tr><tr><td>A2</td><td>B2</td></tr></table></td>"
        "</tr><tr><td>a|b</td><td><a href='/l'>link</a></td></tr></table>"
    )
    assert "| - x - y | A1 B1 A2 B2 |" in markdown
    assert "| a\\|b | [link](/l) |" in markdown


def test_layout_tables_flow_as_text() -> None:
    markdown = _markdown(
        "<table><tr><td><p>Sidebar</p></td><td><h2>Story</h2><p>Words.</p></td></tr></table>"
    )
    assert "|" not in markdown
    assert "Sidebar\n\n## Story\n\nWords." in markdown


def test_tables_as_html_keep_cell_text() -> None:
    markdown = _markdown(
        "<table><tr><th>A</th><th>B</th></tr><tr><td><b>1</b></td><td>2</td></tr></table>",
        output_tables_as_HTML=True,
    )
    assert "<tr><td>1</td><td>2</td></tr>" in markdown


def test_hidden_elements_forms_and_scripts_are_dropped() -> None:
    markdown = _markdown(
        "<p>Visible</p><p hidden>Secret</p><div style='display: none'>Gone</div>"
        "<span aria-hidden='true'>icon</span><form><label>Name</label><input value='x'>"
        "<button>Send now</button></form><script>alert(1)</script><svg><text>vector</text></svg>"
    )
    assert markdown.endswith("Visible\n\nName")
    for word in ("Secret", "Gone", "icon", "Send now", "alert", "vector"):
        assert word not in markdown


def test_a_hidden_element_holding_the_page_is_kept() -> None:
    markdown = _markdown("<div id='app' style='display:none'><p>The whole article text.</p></div>")
    assert "The whole article text." in markdown


def test_main_region_is_picked_by_default() -> None:
    markdown = _markdown(
        "<header><a href='/'>Site</a></header><main><h1>Story</h1><p>Body.</p></main>"
        "<footer>Copyright</footer>"
    )
    assert markdown == "# Story\n\nBody."


def test_navigation_removal_drops_roles_and_menu_classes() -> None:
    body = (
        "<div class='site-menu'><a href='/a'>A</a></div><div role='navigation'>Nav</div>"
        "<article><header><h1>Title</h1></header><p>Text.</p>"
        "<aside>Related</aside><div id='cookie-banner'>Cookies?</div></article>"
        "<div class='sidebar'>Side</div>"
    )
    kept = _markdown(body)
    assert "Side" in kept
    assert "Related" in kept
    removed = _markdown(body, html_remove_navigation_elements=True)
    assert removed == "# Title\n\nText."


def test_the_main_regions_own_header_keeps_the_title() -> None:
    markdown = _markdown(
        "<header><nav><a href='/'>Home</a></nav></header><main><header><h1>Duck</h1>"
        "<nav><a href='/talk'>Talk</a></nav></header><p>Ducks swim.</p></main>",
        html_remove_navigation_elements=True,
    )
    assert markdown == "# Duck\n\nDucks swim."


def test_title_heading_is_added_only_without_a_top_heading() -> None:
    assert _markdown("<p>Just text</p>").startswith("# T\n\nJust text")
    assert _markdown("<h1>Own</h1><p>x</p>") == "# Own\n\nx"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("\ufeff  <!-- saved page -->\n<!DOCTYPE html>", "html"),
        ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "html"),
    ],
)
def test_pages_with_preambles_are_html(head: str, expected: str) -> None:
    data = f"{head}<body><p>Hello</p></body></html>".encode()
    result = run("parse", data, "download.txt", {})
    assert result["document"]["detected_type"] == expected
    assert "Hello" in result["markdown_full"]
