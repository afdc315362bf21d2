"""The catch-all convention: a rule that says it is the fallback wins when nothing else fits.

A rule is the **fallback** when its type name is a catch-all name (``other``,
``miscellaneous``, ``unknown``...; also ``autre``, ``sonstige``, ``otro``, ``overig``) or its
description says so (``anything else``, ``none of the other types``, ``catch-all``,
``fallback``...). The first such rule is the fallback; it is not scored on its words (a
description of "anything" describes nothing). Instead it takes the share the engine gives to
"no rule fits": it wins when that share is the largest and reaches the threshold, and the
answer is ``null`` only when neither a rule nor the fallback does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from reams.processors.classify import lexical
from reams.processors.classify.model import Rule


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


NAMES = _set("""
    other others misc miscellaneous unknown unclassified uncategorized uncategorised fallback
    default rest none catchall autre autres divers sonstige sonstiges andere anderes otro otros
    otra otras varios overig overige ander altro altri""")
_NAME_FILLER = _set("document documents doc docs file files kind type types the a")
_PHRASES = re.compile(
    r"\b(?:anything else|everything else|all else|none of the (?:other|above|previous|rules|"
    r"types|categories|classes)|fits? none|matches none|no other (?:rule|type|category|class)|"
    r"not covered by|does(?:n't| not) fit (?:any|the other)|catch[- ]?all|fall[- ]?back|"
    r"tout (?:le )?reste|toute autre|alles andere|alle anderen|todo lo dem[aá]s|"
    r"cualquier otr[oa]|al het (?:andere|overige)|qualsiasi altr[oa])\b",
    re.IGNORECASE,
)


def is_fallback(rule: Rule) -> bool:
    """Whether ``rule`` is a catch-all by its name or its description."""
    name = [w for w in lexical.words(rule.type.replace("_", " ")) if w not in _NAME_FILLER]
    if name and all(w in NAMES for w in name):
        return True
    return bool(_PHRASES.search(lexical.fold(rule.description)))


def find(rules: Sequence[Rule]) -> int:
    """The index of the first fallback rule, or -1."""
    return _find(tuple(rules))


@lru_cache(maxsize=64)
def _find(rules: tuple[Rule, ...]) -> int:
    return next((i for i, rule in enumerate(rules) if is_fallback(rule)), -1)
