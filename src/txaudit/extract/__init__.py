"""Find numeric claims about transplant activity and capacity in Chinese and English text.

Pure: text in, claims out; no files, no database, no network. See
docs/reference/extract.md for the conventions (ranges, 数百, units, periods).
"""

from __future__ import annotations

from txaudit.extract.claims import Claim, extract_claims
from txaudit.extract.hospitals import HospitalMatcher, HospitalMention, normalise_name
from txaudit.extract.numbers import ParsedNumber, parse_number
from txaudit.extract.periods import Period
from txaudit.extract.text import normalise, split_sentences

__all__ = [
    "Claim",
    "HospitalMatcher",
    "HospitalMention",
    "ParsedNumber",
    "Period",
    "extract_claims",
    "normalise",
    "normalise_name",
    "parse_number",
    "split_sentences",
]
