"""Finding hospitals named in a sentence, in Chinese or English, exactly or fuzzily.

Names and aliases are normalised before matching so that common variants meet:

* 第一附属医院, 附属第一医院, 第一附院, 附一院 and 一附院 all become ``附1院``
  (likewise 第二 ... 第十), and 医学院/医科大学 keep their meaning;
* English names lose "the", "of", punctuation and case; "No. 1" and "First"
  both become "1"; "People's" becomes "peoples".

A name is found exactly when its normalised form occurs in the normalised
sentence; otherwise rapidfuzz's ``partial_ratio`` aligns each name against the
sentence and a score of at least ``threshold`` (default 90) counts as a match.
The hospital named nearest before a claim wins (else the nearest after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from txaudit.errors import InputError
from txaudit.extract.text import normalise

_ORDINAL_ZH = "一二三四五六七八九十"
_ORDINAL_EN = {
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
    "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10", "1st": "1", "2nd": "2",
    "3rd": "3", "4th": "4", "5th": "5",
}  # fmt: skip
_AFFILIATED_ZH = re.compile(
    rf"第?([{_ORDINAL_ZH}])附属医院|附属第([{_ORDINAL_ZH}])医院|第([{_ORDINAL_ZH}])附院|"
    rf"附([{_ORDINAL_ZH}])院|([{_ORDINAL_ZH}])附院"
)
_EN_ABBREVIATIONS = {
    "univ": "university", "hosp": "hospital", "med": "medical", "centre": "center",
    "gen": "general", "affil": "affiliated", "pla": "pla",
}  # fmt: skip
_EN_STOP = re.compile(r"\b(?:the|of|and|at|in)\b|[^\w\s\u4e00-\u9fff]")
_ANAPHOR = re.compile(
    r"我院|本院|该院|该中心|本中心|our hospital|the hospital|our center|our centre"
)


def normalise_name(name: str) -> str:
    """The form names are compared in (see the module docstring)."""
    text = normalise(name).strip()

    def affiliated(match: re.Match[str]) -> str:
        ordinal = next(g for g in match.groups() if g)
        return f"附{_ORDINAL_ZH.index(ordinal) + 1}院"

    text = _AFFILIATED_ZH.sub(affiliated, text)
    text = text.replace("people's", "peoples").replace("no.", "no ")
    text = re.sub(r"(?<=[\u4e00-\u9fff])[市省](?=[\u4e00-\u9fff])", "", text)
    text = text.replace("中国人民解放军", "解放军")
    for short, full in _EN_ABBREVIATIONS.items():
        text = re.sub(rf"\b{short}\b\.?", full, text)
    text = re.sub(r"\bno\s+(\d+)", r"\1", text)
    text = _EN_STOP.sub(" ", text)
    words = [_ORDINAL_EN.get(w, w) for w in text.split()]
    joined = " ".join(words)
    # Chinese names carry no spaces; English ones keep single spaces
    return re.sub(r"(?<=[\u4e00-\u9fff\d]) (?=[\u4e00-\u9fff])", "", joined)


@dataclass(frozen=True)
class HospitalMention:
    """A hospital found in a text: its id and where its name stands."""

    hospital_id: str
    start: int
    end: int
    score: float


class HospitalMatcher:
    """Match hospital names and aliases (Chinese and English) in sentences.

    ``hospitals`` is a DataFrame with at least ``hospital_id``, ``name_en`` and
    ``name_zh`` (``frames.HOSPITAL_COLUMNS``); ``aliases`` optionally adds rows of
    ``hospital_id`` and ``alias`` (``frames.ALIAS_COLUMNS``).

    Example::

        matcher = HospitalMatcher(hospitals, aliases)
        matcher.find("郑大一附院肝移植中心...")  # [HospitalMention("h-001", 0, 5, 100.0)]
    """

    def __init__(self, hospitals: Any, aliases: Any = None, *, threshold: float = 90.0) -> None:
        missing = {"hospital_id", "name_en", "name_zh"} - set(hospitals.columns)
        if missing:
            raise InputError(
                f"hospital frame lacks column(s) {sorted(missing)}",
                field="hospitals",
                hint="pass Store.hospitals() or a frame with frames.HOSPITAL_COLUMNS",
            )
        names: dict[str, str] = {}
        for row in hospitals.itertuples(index=False):
            for name in (row.name_en, row.name_zh):
                self._add(names, name, row.hospital_id)
        if aliases is not None and len(aliases):
            if not {"hospital_id", "alias"} <= set(aliases.columns):
                raise InputError(
                    "alias frame needs columns 'hospital_id' and 'alias'", field="aliases"
                )
            for row in aliases.itertuples(index=False):
                self._add(names, row.alias, row.hospital_id)
        self.threshold = threshold
        #: normalised name -> hospital id (a name shared by two hospitals is dropped)
        self.names = {name: hid for name, hid in names.items() if hid}
        ordered = sorted(self.names, key=len, reverse=True)
        self._exact = (
            re.compile("|".join(re.escape(n) for n in ordered)) if ordered else None
        )

    @staticmethod
    def _add(names: dict[str, str], name: Any, hospital_id: Any) -> None:
        if not isinstance(name, str) or not name.strip():
            return
        key = normalise_name(name)
        if len(key) < 3:
            return
        if key in names and names[key] != str(hospital_id):
            names[key] = ""  # ambiguous: never match it
        else:
            names[key] = str(hospital_id)

    def find(self, text: str, *, fuzzy: bool = True) -> list[HospitalMention]:
        """Hospitals named in ``text``, in order of position.

        Offsets are into ``text`` where normalisation kept the length and scaled
        approximately where it did not (附属第一医院 → 附1院); they serve to pick the
        hospital nearest a claim. ``fuzzy=False`` does only the cheap exact search.
        """
        norm = normalise_name(text)
        # offsets are only exact when normalisation kept the length; map back coarsely
        scale = len(text) / len(norm) if norm else 1.0
        found: dict[str, HospitalMention] = {}
        if self._exact is not None:
            for match in self._exact.finditer(norm):
                hid = self.names[match.group()]
                if hid not in found:
                    found[hid] = HospitalMention(
                        hid, int(match.start() * scale), int(match.end() * scale), 100.0
                    )
        if fuzzy and not found and _looks_like_hospital(norm):
            english = "hospital" in norm
            for name, hid in self.names.items():
                if hid in found or len(name) < 5 or (" " in name and not english):
                    continue
                hit = _fuzzy(name, norm, self.threshold)
                if hit is not None:
                    score, start, end = hit
                    found[hid] = HospitalMention(hid, int(start * scale), int(end * scale), score)
        return sorted(found.values(), key=lambda m: m.start)

    def nearest(self, text: str, position: int) -> str | None:
        """The hospital named nearest before ``position`` in ``text`` (else after it)."""
        mentions = self.find(text)
        before = [m for m in mentions if m.start <= position]
        if before:
            return before[-1].hospital_id
        return mentions[0].hospital_id if mentions else None


def mentions_anaphor(text: str) -> bool:
    """The sentence speaks of "our hospital"/"该院" rather than naming one."""
    return bool(_ANAPHOR.search(normalise(text)))


def _fuzzy(name: str, norm: str, threshold: float) -> tuple[float, int, int] | None:
    """Best fuzzy occurrence of ``name`` in ``norm``: (score, start, end) or None.

    Chinese names: ``partial_ratio`` finds where the name is most alike, then the
    plain ``ratio`` of windows a few characters wider or narrower scores it, so a
    dropped or added character (天津市 / 天津) costs little. English names: the
    ``token_sort_ratio`` of token windows, so word order may differ
    ("First Affiliated Hospital of X University" / "X University First Affiliated Hospital").
    """
    if " " in name:
        tokens = norm.split()
        size = len(name.split())
        best: tuple[float, int, int] | None = None
        offsets = [m.start() for m in re.finditer(r"\S+", norm)]
        for n in (size - 1, size, size + 1):
            if n <= 0:
                continue
            for i in range(max(0, len(tokens) - n) + 1):
                window = " ".join(tokens[i : i + n])
                score = fuzz.token_sort_ratio(name, window)
                if score >= threshold and (best is None or score > best[0]):
                    last = min(i + n, len(tokens)) - 1
                    best = (score, offsets[i], offsets[last] + len(tokens[last]))
        return best
    aligned = fuzz.partial_ratio_alignment(name, norm, score_cutoff=threshold - 15)
    if aligned is None:
        return None
    best = None
    for start in range(max(0, aligned.dest_start - 2), aligned.dest_start + 3):
        last = min(len(norm), aligned.dest_end + 2)
        for end in range(max(start + 1, aligned.dest_end - 2), last + 1):
            score = fuzz.ratio(name, norm[start:end])
            if score >= threshold and (best is None or score > best[0]):
                best = (score, start, end)
    return best


def _looks_like_hospital(norm: str) -> bool:
    return any(word in norm for word in ("院", "hospital", "medical", "center"))
