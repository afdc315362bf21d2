"""Decoding text files of unknown encoding into ``str``, and telling text from binary.

Order: byte-order mark; UTF-32 or UTF-16 without a BOM (recognised by where the NUL bytes fall,
then confirmed by a strict decode); a charset the document declares; ISO-2022 escape sequences;
strict UTF-8; then a guess among legacy encodings (:mod:`decode_legacy`).
"""

from __future__ import annotations

import codecs
import re

from reams.domain.errors import ProcessorError
from reams.processors.parse.decode_legacy import guess_legacy_encoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Web browsers read these labels as windows-1252, and so do we (WHATWG encoding standard).
_CP1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})
# 7-bit Japanese and Korean mail and text switch character sets with these escape sequences.
_ISO2022_ESCAPES = (
    (b"\x1b$B", "iso2022_jp_2"),
    (b"\x1b$@", "iso2022_jp_2"),
    (b"\x1b$)C", "iso2022_kr"),
)

_SAMPLE = 4096
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\ufffe\uffff]")
_MIN_NUL_SHARE = 0.05
_NUL_PARITY_RATIO = 5


def decode_text(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding name)``.

    ``declared`` is an encoding named by the document itself (an HTML ``<meta charset>``, a MIME
    part's charset); it is trusted after a BOM and before any guessing, except over valid UTF-8
    with non-ASCII bytes: legacy text almost never happens to be valid UTF-8, while UTF-8 labelled
    "iso-8859-1" by a careless mailer or server is common. Raises ``unsupported_format`` for
    binary data.
    """
    encoding = _bom_encoding(data) or wide_without_bom(data)
    if encoding is None and declared is not None and not _is_utf8_beyond_ascii(data):
        encoding = known_codec(declared)
    encoding = encoding or _iso2022(data)
    if encoding is not None:
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise _binary_error()
    encoding = guess_legacy_encoding(data)
    return data.decode(encoding, errors="replace"), encoding


def sniff_text(sample: bytes) -> bool:
    """Whether a sample of a file's first bytes looks like text in some encoding."""
    if _bom_encoding(sample) or wide_without_bom(sample):
        return True
    if not sample:
        return True
    if b"\x00" in sample:
        return False
    return len(_CONTROL_BYTES.findall(sample)) <= len(sample) // 100


def head_text(data: bytes, size: int = _SAMPLE) -> str:
    """The first ``size`` bytes decoded well enough to sniff markup: BOM and UTF-16/32 aware."""
    sample = data[:size]
    encoding = _bom_encoding(sample) or wide_without_bom(sample) or "utf-8"
    cut = len(sample) - len(sample) % 4  # whole code units for every UTF-16/32 flavour
    return sample[:cut].decode(encoding, errors="replace").lstrip("\ufeff")


def known_codec(label: str) -> str | None:
    """The Python codec for an encoding label from a document, or None if it names none."""
    name = label.strip().strip("\"'").lower()
    if name in _CP1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def wide_without_bom(data: bytes) -> str | None:
    """``utf-32-le/be`` or ``utf-16-le/be`` for BOM-less wide text, judged by its NUL bytes."""
    sample = data[:_SAMPLE]
    if b"\x00" not in sample or len(sample) < 4:
        return None
    for encoding in (_utf32_layout(sample), _utf16_layout(sample)):
        if encoding is not None and _decodes_cleanly(sample, encoding):
            return encoding
    return None


def _is_utf8_beyond_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf32_layout(sample: bytes) -> str | None:
    units = len(sample) // 4
    # A code point is at most 0x10FFFF: its top byte is always zero, the next one at most 0x10.
    if sample[3 : units * 4 : 4].count(0) == units and max(sample[2 : units * 4 : 4]) <= 0x10:
        return "utf-32-le"
    if sample[0 : units * 4 : 4].count(0) == units and max(sample[1 : units * 4 : 4]) <= 0x10:
        return "utf-32-be"
    return None


def _utf16_layout(sample: bytes) -> str | None:
    pairs = len(sample) // 2
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    # Spaces, digits and Latin letters put a NUL in the high byte of their code unit; almost no
    # character puts one in the low byte. Non-Latin scripts still have their spaces.
    if odd >= pairs * _MIN_NUL_SHARE and odd >= even * _NUL_PARITY_RATIO:
        return "utf-16-le"
    if even >= pairs * _MIN_NUL_SHARE and even >= odd * _NUL_PARITY_RATIO:
        return "utf-16-be"
    return None


def _decodes_cleanly(sample: bytes, encoding: str) -> bool:
    unit = 4 if encoding.startswith("utf-32") else 2
    cut = len(sample) - len(sample) % unit
    # The sample may end inside a surrogate pair; only the last code unit may fail to decode.
    text = sample[:cut].decode(encoding, errors="replace")
    return "\ufffd" not in text[:-1] and len(_CONTROL_CHARS.findall(text)) <= len(text) // 100


def _iso2022(data: bytes) -> str | None:
    if b"\x1b" not in data[:_SAMPLE]:
        return None
    for escape, encoding in _ISO2022_ESCAPES:
        if escape in data:
            return encoding
    return None


def _binary_error() -> ProcessorError:
    return ProcessorError(
        "unsupported_format", "The file is not text in any encoding reams recognises."
    )
