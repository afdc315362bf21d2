"""The option keys each job type understands, for callers that want to be strict about them.

The API is lenient on unknown parse keys (LlamaParse clients send many that reams records as
ignored); ``reams run --param`` is strict, and names the nearest known key when one is mistyped.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from reams.domain.analysis_config import CLASSIFY_KEYS, EXTRACT_CONFIG_KEYS
from reams.domain.errors import InvalidField

# Keys a caller of ``reams run`` does not give as an option: the job type itself, and the rules
# and schema that come from their own files.
_NOT_OPTIONS = frozenset({"type", "rules", "data_schema"})


def option_keys(job_type: str) -> frozenset[str]:
    """The option keys of ``job_type`` (``parse``, ``classify`` or ``extract``)."""
    if job_type == "parse":
        from reams.processors.parse.options import KNOWN_KEYS

        keys = KNOWN_KEYS
    elif job_type == "classify":
        keys = CLASSIFY_KEYS
    elif job_type == "extract":
        keys = EXTRACT_CONFIG_KEYS
    else:
        raise InvalidField(f"the job type {job_type!r} is not available")
    return keys - _NOT_OPTIONS


def check_option_keys(job_type: str, keys: Iterable[str], *, label: str = "option") -> None:
    """Raise InvalidField naming the first unknown key and the nearest known one."""
    known = option_keys(job_type)
    for key in keys:
        if key in known:
            continue
        near = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean {near[0]!r}?" if near else f"known: {', '.join(sorted(known))}"
        raise InvalidField(f"{job_type} has no {label} {key!r}; {hint}")
