"""Decoding text files of unknown encoding into ``str``, and telling text from binary.

Order: byte-order mark, UTF-16 without BOM (NUL pattern), strict UTF-8, then charset_normalizer.
charset_normalizer alone misreads short Western European text (it prefers cp775 or cp1250 for
"café – €5"), and cp1252 is by far the most common legacy encoding, so cp1252 wins near-ties.
"""

from __future__ import annotations

import codecs
import re

from reams.domain.errors import ProcessorError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# charset_normalizer must not guess UTF-16/32 for BOM-less text: we detect those ourselves, and
# its guess turns short cp1252 text such as "a – b" into CJK.
_WIDE_ENCODINGS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]
_CP1252_MARGIN = 0.1

# Web browsers read these labels as windows-1252, and so do we (WHATWG encoding standard).
_CP1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode_text(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding name)``.

    ``declared`` is an encoding named by the document itself (an HTML ``<meta charset>``); it is
    trusted after a BOM and before any guessing. Raises ``unsupported_format`` for binary data.
    """
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding is None and declared is not None:
        encoding = _known_codec(declared)
    if encoding is not None:
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise _binary_error()
    encoding = _guess_legacy_encoding(data)
    return data.decode(encoding, errors="replace"), encoding


def sniff_text(sample: bytes) -> bool:
    """Whether a sample of a file's first bytes looks like text in some encoding."""
    if _bom_encoding(sample) or _utf16_without_bom(sample):
        return True
    if not sample:
        return True
    if b"\x00" in sample:
        return False
    return len(_CONTROL_BYTES.findall(sample)) <= len(sample) // 100


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0 : pairs * 2 : 2].count(0)
    odd_nuls = sample[1 : pairs * 2 : 2].count(0)
    # ASCII-heavy UTF-16 has a NUL in almost every high byte and almost none in the low bytes.
    if odd_nuls > pairs * 0.3 and even_nuls < pairs * 0.05:
        return "utf-16-le"
    if even_nuls > pairs * 0.3 and odd_nuls < pairs * 0.05:
        return "utf-16-be"
    return None


def _known_codec(label: str) -> str | None:
    name = label.strip().lower()
    if name in _CP1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _guess_legacy_encoding(data: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_exclusion=_WIDE_ENCODINGS))
    if not matches:
        raise _binary_error()
    best = matches[0]
    for match in matches:
        if match.chaos > best.chaos + _CP1252_MARGIN:
            break
        if "cp1252" in match.could_be_from_charset and _decodes(data, "cp1252"):
            return "cp1252"
    return str(best.encoding)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _binary_error() -> ProcessorError:
    return ProcessorError(
        "unsupported_format", "The file is not text in any encoding reams recognises."
    )
