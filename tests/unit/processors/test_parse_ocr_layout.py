"""OCR layout: text boxes (as an engine reports them) into lines, paragraphs, headings, lists."""

from __future__ import annotations

from reams.processors.parse.ocr.layout import layout_boxes
from reams.processors.parse.ocr.lines import TextBox, group_lines
from reams.processors.parse.ocr.tesseract import parse_tsv

LINE = 30.0  # pixels: body text height
STEP = 40.0  # pixels: line pitch within a paragraph


def box(text: str, *, row: float, left: float = 50.0, height: float = LINE) -> TextBox:
    """A box of ``text`` whose top is at ``row``, about 15 px per character wide."""
    return TextBox(text, left, row, left + 15.0 * len(text), row + height)


def test_boxes_on_one_band_become_one_line_read_left_to_right() -> None:
    boxes = [box("Total", row=100, left=50), box("$ 42.00", row=103, left=600)]
    content = layout_boxes(boxes[::-1], width=612, height=792)
    assert content.text == "Total\t$ 42.00"  # a wide gap: two cells, as in a PDF's text
    assert content.markdown == "Total $ 42.00"


def test_lines_are_ordered_top_down_whatever_order_the_engine_used() -> None:
    boxes = [box("third line", row=180), box("first line", row=100), box("second line", row=140)]
    assert [line.text for line in group_lines(boxes)] == ["first line", "second line", "third line"]


def test_close_lines_join_into_one_paragraph_and_a_gap_starts_another() -> None:
    boxes = [
        box("The quick brown fox jumps over", row=100),
        box("the lazy dog.", row=100 + STEP),
        box("A second paragraph starts here", row=100 + 4 * STEP),
    ]
    content = layout_boxes(boxes, width=None, height=None)
    assert content.markdown == (
        "The quick brown fox jumps over the lazy dog.\n\nA second paragraph starts here"
    )
    assert content.text.split("\n") == [
        "The quick brown fox jumps over",
        "the lazy dog.",
        "A second paragraph starts here",
    ]


def test_much_taller_text_is_a_heading() -> None:
    boxes = [
        box("Annual Report", row=40, height=2.4 * LINE),
        box("Revenue grew in every region this year", row=160),
        box("and costs fell.", row=160 + STEP),
    ]
    markdown = layout_boxes(boxes, width=None, height=None).markdown
    assert markdown.split("\n\n") == [
        "# Annual Report",
        "Revenue grew in every region this year and costs fell.",
    ]


def test_moderately_taller_text_is_a_second_level_heading() -> None:
    boxes = [box("Terms", row=40, height=1.6 * LINE), box("Payment is due in 30 days.", row=120)]
    assert layout_boxes(boxes, width=None, height=None).markdown.startswith("## Terms\n\n")


def test_bullets_become_list_items_and_numbers_start_new_blocks() -> None:
    boxes = [
        box("Bring:", row=100),
        box("• a pen", row=100 + STEP),
        box("• a notebook", row=100 + 2 * STEP),
        box("1. Sign in at the desk", row=100 + 3 * STEP),
    ]
    blocks = layout_boxes(boxes, width=None, height=None).markdown.split("\n\n")
    assert blocks == ["Bring:", "- a pen", "- a notebook", "1. Sign in at the desk"]


def test_a_word_hyphenated_at_a_line_end_is_mended() -> None:
    boxes = [box("an exam-", row=100), box("ple of hyphenation", row=100 + STEP)]
    assert layout_boxes(boxes, width=None, height=None).markdown == "an example of hyphenation"


def test_a_line_beside_the_previous_one_does_not_continue_its_paragraph() -> None:
    boxes = [box("Left column text", row=100, left=50), box("Right label", row=140, left=700)]
    assert layout_boxes(boxes, width=None, height=None).markdown.count("\n\n") == 1


def test_text_that_would_read_as_markdown_is_escaped() -> None:
    content = layout_boxes([box("# 5 apples", row=100)], width=None, height=None)
    assert content.markdown == "\\# 5 apples"
    assert content.text == "# 5 apples"


def test_no_boxes_give_an_empty_page_with_its_size() -> None:
    content = layout_boxes([TextBox("  ", 0, 0, 10, 10)], width=100.0, height=200.0)
    assert (content.markdown, content.text, content.width, content.height) == ("", "", 100.0, 200.0)


def test_tesseract_tsv_words_are_grouped_into_lines() -> None:
    columns = ("level", "page_num", "block_num", "par_num", "line_num", "word_num")
    header = "\t".join([*columns, "left", "top", "width", "height", "conf", "text"])
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t",
        "5\t1\t1\t1\t1\t1\t50\t100\t80\t30\t96.1\tHello",
        "5\t1\t1\t1\t1\t2\t140\t102\t90\t30\t95.0\tworld",
        "5\t1\t1\t1\t2\t1\t50\t140\t120\t30\t91.3\tSecond",
        "5\t1\t1\t1\t2\t2\t180\t140\t10\t30\t-1\t ",
    ]
    boxes = parse_tsv("\n".join([header, *rows]))
    assert boxes == [
        TextBox("Hello world", 50.0, 100.0, 230.0, 132.0),
        TextBox("Second", 50.0, 140.0, 170.0, 170.0),
    ]


def _two_columns(rows: int, *, title: bool) -> list[TextBox]:
    prose = "words of running prose set in a column"
    boxes = [box("A Title Across Both Columns", row=20, left=50)] if title else []
    for index in range(rows):
        row = 100 + index * STEP
        boxes.append(box(f"left {index} {prose}", row=row, left=50))
        boxes.append(box(f"right {index} {prose}", row=row + 2, left=800))
    return boxes


def test_two_columns_of_prose_are_read_one_after_the_other() -> None:
    text = layout_boxes(_two_columns(4, title=True), width=None, height=None).text
    lines = [line.split(" ")[0] + line.split(" ")[1] for line in text.split("\n")[1:]]
    assert text.startswith("A Title Across Both Columns\n")
    assert lines == ["left0", "left1", "left2", "left3", "right0", "right1", "right2", "right3"]


def test_table_rows_are_read_across_not_down() -> None:
    rows = [("Widget", "2", "$ 10.00"), ("Gadget", "1", "$ 4.50"), ("Gizmo", "3", "$ 7.25")]
    boxes = []
    for index, cells in enumerate(rows * 2):
        for column, cell in enumerate(cells):
            boxes.append(box(cell, row=100 + index * STEP, left=50 + 400 * column))
    text = layout_boxes(boxes, width=None, height=None).text
    assert text.split("\n")[:2] == ["Widget\t2\t$ 10.00", "Gadget\t1\t$ 4.50"]
