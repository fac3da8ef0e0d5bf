"""A byte-level prefilter: skip records that cannot be about transplants, before parsing.

A general crawl is mostly irrelevant pages. Decoding and parsing each one costs
far more than reading it, so records are first searched, as raw bytes, for a
transplant term in every encoding the pages may use: UTF-8, GBK/GB18030 (a
superset of GB2312) and Big5 for the Chinese terms, ASCII for the English ones,
and HTML numeric character references (``&#31227;&#26893;``) for pages that
escape their Chinese. The search is a plain substring test (``bytes in bytes``),
which runs at memory speed. It may let through pages that are not relevant (a
GBK byte pair can occur by chance); it never rejects a page that contains a term
in one of these forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Terms searched by default: "transplant" in Chinese (simplified and traditional
#: script write 移植 alike), organ-donation words, and English.
DEFAULT_TERMS: tuple[str, ...] = (
    "移植",
    "器官",
    "供体",
    "供體",
    "transplant",
    "organ donation",
    "organ donor",
)

_ENCODINGS = ("utf-8", "gb18030", "big5")


def _forms(term: str) -> set[bytes]:
    forms: set[bytes] = set()
    if term.isascii():
        # English terms: common capitalisations. A case-insensitive regex would
        # be several times slower than these plain substring searches.
        for variant in (term, term.lower(), term.upper(), term.capitalize(), term.title()):
            forms.add(variant.encode("ascii"))
        return forms
    for encoding in _ENCODINGS:
        try:
            forms.add(term.encode(encoding))
        except UnicodeEncodeError:
            continue
    forms.add("".join(f"&#{ord(c)};" for c in term).encode("ascii"))
    forms.add("".join(f"&#x{ord(c):x};" for c in term).encode("ascii"))
    forms.add("".join(f"\\u{ord(c):04x}" for c in term).encode("ascii"))
    return forms


@dataclass(frozen=True)
class Prefilter:
    """Byte patterns to look for; a record passes if it contains any of them.

    Build one with :meth:`from_terms`; an empty pattern list lets everything through.
    """

    patterns: tuple[bytes, ...]

    @classmethod
    def from_terms(cls, terms: Iterable[str] = DEFAULT_TERMS) -> Prefilter:
        """Prefilter for ``terms``, each expanded to its byte forms in every encoding."""
        patterns: set[bytes] = set()
        for term in terms:
            term = term.strip()
            if term:
                patterns |= _forms(term)
        # longer patterns first is irrelevant for correctness; sort for stable pickles
        return cls(tuple(sorted(patterns)))

    @classmethod
    def disabled(cls) -> Prefilter:
        """A prefilter that keeps every record."""
        return cls(())

    @property
    def enabled(self) -> bool:
        """Whether this prefilter rejects anything at all."""
        return bool(self.patterns)

    def matches(self, data: bytes | bytearray | memoryview) -> bool:
        """True when ``data`` contains any pattern (or the prefilter is disabled)."""
        if not self.patterns:
            return True
        raw = bytes(data) if not isinstance(data, bytes) else data
        return any(p in raw for p in self.patterns)


def parse_terms(spec: Sequence[str] | None) -> Prefilter:
    """Prefilter from CLI terms: None → defaults, ``["-"]`` or ``[]`` → disabled."""
    if spec is None:
        return Prefilter.from_terms()
    terms = [t for item in spec for t in item.split(",")]
    if not terms or terms == ["-"]:
        return Prefilter.disabled()
    return Prefilter.from_terms(terms)
