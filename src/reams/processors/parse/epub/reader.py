"""EPUB 2 and 3 e-books: one page per chapter of the reading order, rendered as HTML.

The package (container, OPF, spine, metadata, encryption) is :mod:`package`'s business.
Each spine item is an XHTML document that goes through the HTML pipeline (:func:`render_html`)
when its page is extracted, so ``target_pages`` and ``max_pages`` read only the chapters they
select. XHTML is parsed as XML first, because the HTML parser misreads XML's self-closed elements
(``<title/>`` or ``<script src="..."/>`` would swallow the rest of the chapter); a chapter that is
not well-formed XML (an undeclared ``&nbsp;``, say) is read as HTML instead. Pictures become the
usual image placeholders; a picture that is itself a spine item (a cover) is a page holding one.
Zip bombs are refused by :mod:`guards` before the book is opened, and by the Office readers' size
cap when it is.
"""

from __future__ import annotations

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import page_from_blocks
from reams.processors.parse.decode import decode_text, sniff_text
from reams.processors.parse.epub.package import SpineItem, read_package
from reams.processors.parse.model import Metadata, PageContent
from reams.processors.parse.office.common import IMAGE_MARKDOWN, check_archive
from reams.processors.parse.options import ParseOptions
from reams.processors.parse.web.html import declared_charset, render_html

LABEL = "EPUB"


class EpubSource:
    """A :class:`~reams.processors.parse.model.PageSource` over an EPUB's chapters."""

    def __init__(self, data: bytes, *, remove_navigation: bool, tables_as_html: bool) -> None:
        self._archive = check_archive(data, label=LABEL)
        try:
            package = read_package(self._archive)
        except BaseException:
            self._archive.close()
            raise
        self._spine = package.spine
        self._remove_navigation = remove_navigation
        self._tables_as_html = tables_as_html
        self.metadata: Metadata = {**package.metadata, "chapters": len(package.spine)}
        self.warnings: list[str] = package.warnings

    @property
    def page_count(self) -> int:
        return len(self._spine)

    def page(self, index: int) -> PageContent:
        item = self._spine[index]
        if item.is_image:
            return PageContent(markdown=IMAGE_MARKDOWN, text="")
        blocks, _ = render_html(
            chapter_html(self._read(item)),
            remove_navigation=self._remove_navigation,
            tables_as_html=self._tables_as_html,
            with_title=False,  # a chapter's <title> is often the book's, repeated on every page
        )
        return page_from_blocks(blocks)

    def raw_text(self, index: int) -> str:
        import lxml.html

        item = self._spine[index]
        if item.is_image:
            return ""
        root = lxml.html.document_fromstring(chapter_html(self._read(item)))
        body = root.find("body")
        return " ".join(str((root if body is None else body).text_content()).split())

    def close(self) -> None:
        self._archive.close()

    def _read(self, item: SpineItem) -> bytes:
        data = self._archive.read(item.path)
        if not sniff_text(data[:8192]):
            # Encrypted without saying so in encryption.xml, or a binary file in a chapter's place.
            raise ProcessorError(
                "corrupt_document",
                f"The chapter {item.path} is not text (it may be encrypted); reams could not "
                "read it.",
            )
        return data


def open_epub(data: bytes, options: ParseOptions) -> EpubSource:
    return EpubSource(
        data,
        remove_navigation=options.html_remove_navigation_elements,
        tables_as_html=options.output_tables_as_html,
    )


def chapter_html(data: bytes) -> str:
    """An XHTML chapter as HTML text: parsed as XML where it is well-formed, else decoded as is."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return decode_text(data, declared=declared_charset(data[:4096]))[0]
    for element in root.iter():
        if isinstance(element.tag, str):
            # The HTML renderer knows <p>, not {http://www.w3.org/1999/xhtml}p.
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(root)
    return str(etree.tostring(root, method="html", encoding="unicode"))
