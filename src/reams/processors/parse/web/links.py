"""Link and image targets in rendered HTML: what is kept, unwrapped, shortened and escaped.

Targets are kept as the page gives them (relative links stay relative: the page's own address is
not known). Two rewrites keep the output useful: click-tracking redirects of search engines and
mail scanners are unwrapped to their destination, and ``data:`` URIs are cut to their media type,
because a base64 image is megabytes of noise in Markdown.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qs, urljoin, urlsplit

# (host suffix, path prefix, query parameter holding the real destination).
_REDIRECTORS: tuple[tuple[str, str, str], ...] = (
    ("bing.com", "/ck/a", "u"),
    ("google.com", "/url", "q"),
    ("google.com", "/url", "url"),
    ("duckduckgo.com", "/l/", "uddg"),
    ("safelinks.protection.outlook.com", "/", "url"),
    ("l.facebook.com", "/l.php", "u"),
)
_UNUSABLE_SCHEMES = ("javascript:", "vbscript:")
_UNSAFE_IN_DESTINATION = frozenset(" <>\t\n")


def link_target(href: str | None) -> str | None:
    """The Markdown destination for an ``href``, or None when the link leads nowhere useful."""
    if href is None:
        return None
    href = unwrap_redirect(href.strip())
    if not href or href.lower().startswith(_UNUSABLE_SCHEMES):
        return None
    return _destination(_shorten_data_uri(href))


def image_target(src: str | None) -> str:
    """The Markdown destination for an image ``src`` (empty when the image has none)."""
    src = (src or "").strip()
    return _destination(_shorten_data_uri(src)) if src else ""


def link_title(title: str | None) -> str:
    """A link title as the `` "title"`` suffix of a Markdown destination, or nothing."""
    title = " ".join((title or "").split())
    if not title:
        return ""
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unwrap_redirect(href: str) -> str:
    """The destination of a known click-tracking redirect; any other link is returned as is."""
    if not href.startswith(("http://", "https://")):
        return href
    parts = urlsplit(href)
    host = (parts.hostname or "").lower()
    for suffix, path, parameter in _REDIRECTORS:
        if (host == suffix or host.endswith("." + suffix)) and parts.path.startswith(path):
            values = parse_qs(parts.query).get(parameter, [])
            target = _decoded_target(values[0]) if values else None
            if target is not None:
                # A site-relative destination is relative to the redirecting site itself.
                return urljoin(f"{parts.scheme}://{parts.netloc}/", target)
    return href


def _decoded_target(value: str) -> str | None:
    # Bing wraps the destination as "a1" + unpadded URL-safe base64.
    if value.startswith("a1"):
        encoded = value[2:]
        try:
            value = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
        except (binascii.Error, ValueError):
            return None
    if value.startswith(("http://", "https://", "/")) or value.lower().startswith("javascript:"):
        return value
    return None


def _shorten_data_uri(target: str) -> str:
    if target[:5].lower() != "data:":
        return target
    media_type = target[5:].split(",", 1)[0]
    return f"data:{media_type}..."


def _destination(target: str) -> str:
    # CommonMark allows spaces and unbalanced parentheses only inside an <...> destination.
    if any(char in _UNSAFE_IN_DESTINATION for char in target) or _unbalanced(target):
        return "<" + target.replace("<", "%3C").replace(">", "%3E").replace("\n", "") + ">"
    return target


def _unbalanced(target: str) -> bool:
    depth = 0
    for char in target:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return True
    return depth != 0
