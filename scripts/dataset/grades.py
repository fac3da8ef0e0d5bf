"""Mechanical evidence grades (vocabulary.GRADES) from the row's note and the cited domain.

The rule is written out in docs/reference/evidence-grades.md; this module is its
only implementation, so the document and the data cannot drift apart unnoticed
(tests/dataset checks a row of each kind).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from .common import read_mapping

#: Words in a seed note or indicator text that make a value hedged or oral (grade D).
HEDGED_MARKERS = (
    "hedged",
    "'I think'",
    "oral",
    "by phone",
    "phone call",
    "uncertain",
    "low reliability",
)


def domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


@cache
def _domain_classes() -> dict[str, str]:
    return {row["domain"]: row["class"] for row in read_mapping("source_domains.csv")}


def domain_class(url: str) -> str:
    """official | academic | hospital | author | relay (unlisted domains are relays)."""
    return _domain_classes().get(domain_of(url), "relay")


def _marked(text: str, markers: tuple[str, ...]) -> str | None:
    for marker in markers:
        if re.search(rf"(?<!\w){re.escape(marker)}(?!\w)", text, flags=re.IGNORECASE):
            return marker
    return None


def seed_status(note: str) -> str:
    """The SEEN/INFERRED label that opens a seed note ("" when the note has none).

    Only the opening label speaks for the row's value: "SEEN; ... (2014 ~250,
    INFERRED)" is a seen value with a derived remark beside it.
    """
    head = note.strip().split(";", 1)[0].strip().upper()
    for label in ("INFERRED", "SEEN"):
        if head.startswith(label):
            return label
    return ""


def hedge_reason(note: str, *texts: str, derived: bool = False) -> str | None:
    """Why a row is grade D, or ``None``: derived by the build, INFERRED, or hedged/oral."""
    if derived:
        return "derived by the build (sum of parts)"
    if seed_status(note) == "INFERRED":
        return "the seed note marks the value INFERRED"
    joined = " ".join((note, *texts))
    if (m := _marked(joined, HEDGED_MARKERS)) is not None:
        return f"hedged or oral ({m})"
    return None


def observation_grade(url: str, note: str, *texts: str, derived: bool = False) -> str:
    """Grade of a hospital observation.

    D if derived, INFERRED or hedged/oral; B if read on the hospital's own site;
    otherwise C (a hospital claim relayed by a report, advocacy group or the press,
    state media included).
    """
    if hedge_reason(note, *texts, derived=derived) is not None:
        return "D"
    return "B" if domain_class(url) == "hospital" else "C"


def reference_grade(url: str, note: str, *texts: str) -> str:
    """Grade of a reference figure.

    D if INFERRED or hedged; A if published by an official body or in an academic
    source; B if stated by the organisation on its own site (e.g. a report's own
    estimate); otherwise C (relayed by the press, a blog or a mirror).
    """
    if hedge_reason(note, *texts) is not None:
        return "D"
    cls = domain_class(url)
    if cls in ("official", "academic"):
        return "A"
    if cls in ("author", "hospital"):
        return "B"
    return "C"
