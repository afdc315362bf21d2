"""Choosing what of an HTML page is content: invisible elements out, the main region in.

Always removed: scripts, styles, embedded objects, hidden elements and form controls. A page with
one ``<main>`` (or ``role="main"``) region is reduced to it, since by definition everything else is
site chrome repeated on every page. ``html_remove_navigation_elements`` goes further: a single
``<article>`` that holds most of the text is picked, and ``nav``, ``header``, ``footer``,
``aside``, navigation roles and elements whose class or id names a menu or sidebar are dropped,
except the ``header`` of an article or of the main region, which holds the document's title.
No rule may drop an element that holds most of the page's text: a saved page whose script would
have revealed a hidden body, or a wrapper called ``nav-container``, still has its content.
"""

from __future__ import annotations

import re

from reams.processors.parse.web.inline import Node

_INVISIBLE = (
    "script", "style", "noscript", "template", "head", "iframe", "object", "embed", "svg",
    "math", "canvas", "video", "audio", "map", "input", "select", "textarea", "button",
    "option", "datalist",
)  # fmt: skip
_HIDDEN_XPATH = (
    "//*[@hidden or @aria-hidden='true'"
    " or contains(translate(@style, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz'),"
    " 'display:none')"
    " or contains(translate(@style, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz'),"
    " 'visibility:hidden')]"
)
_MAIN_XPATH = "//main | //*[@role='main']"
_NAVIGATION_XPATH = (
    ".//nav | .//header | .//footer | .//aside | .//*[@role='navigation' or @role='banner'"
    " or @role='contentinfo' or @role='complementary' or @role='search' or @role='menu'"
    " or @role='menubar' or @role='dialog' or @role='alertdialog']"
)
_NAMED_XPATH = ".//*[@class or @id]"
_NAVIGATION_NAMES = frozenset(
    {
        "nav", "navbar", "navigation", "navbox", "menu", "menubar", "sidebar", "breadcrumb",
        "breadcrumbs", "cookie", "cookies", "consent", "pagination", "pager", "skiplink",
        "toc", "share", "social", "footer", "masthead", "banner", "advert", "ads",
    }
)  # fmt: skip
_NAME_TOKENS = re.compile(r"[^a-z0-9]+")
_DOMINANT_SHARE = 0.5
_ARTICLE_SHARE = 0.3


def content_root(root: Node, *, remove_navigation: bool) -> Node:
    """Strip ``root`` of what is never content and return the element to render."""
    _drop(list(root.iter(*_INVISIBLE)))
    total = _words(root)
    _drop([el for el in root.xpath(_HIDDEN_XPATH) if not _dominant(el, total)])
    content = _single(root.xpath(_MAIN_XPATH), total, share=0.0)
    if content is None:
        body = root.find("body")
        content = root if body is None else body
    if not remove_navigation:
        return content
    article = _single(content.xpath(".//article"), total, share=_ARTICLE_SHARE)
    content = content if article is None else article
    total = _words(content)
    doomed = [*content.xpath(_NAVIGATION_XPATH), *filter(_named, content.xpath(_NAMED_XPATH))]
    _drop([el for el in doomed if _droppable(el, content, total)])
    return content


def _single(candidates: list[Node], total: int, *, share: float) -> Node | None:
    """The one outermost candidate holding text (at least ``share`` of it), else None."""
    outermost = [el for el in candidates if not any(a in candidates for a in el.iterancestors())]
    if len(outermost) != 1:
        return None
    found = outermost[0]
    length = _words(found)
    return found if length and length >= share * total else None


def _droppable(element: Node, content: Node, total: int) -> bool:
    if element is content or _dominant(element, total):
        return False
    # The <header> of an article or of the main region carries the document's title and
    # byline, not site navigation (the navigation inside it is dropped on its own).
    return element.tag != "header" or not any(
        node.tag in ("article", "main") or node.get("role") == "main"
        for node in (content, *element.iterancestors())
    )


def _named(element: Node) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return not _NAVIGATION_NAMES.isdisjoint(_NAME_TOKENS.split(names))


def _dominant(element: Node, total: int) -> bool:
    return element.tag in ("html", "body") or _words(element) > _DOMINANT_SHARE * total


def _words(element: Node) -> int:
    return sum(len(text.split()) for text in element.itertext())


def _drop(elements: list[Node]) -> None:
    for element in elements:
        if element.getparent() is not None:
            # drop_tree keeps the element's tail text, which belongs to the parent.
            element.drop_tree()
