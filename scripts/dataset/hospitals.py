"""Hospitals and their aliases: the curated registry plus what the approved lists add.

scripts/dataset/hospitals.csv holds one line per hospital; hospital_names.csv maps
every spelling found in the seeds (English and Chinese) to a hospital id. A
spelling missing from hospital_names.csv stops the build, so a new seed row can
never create a duplicate hospital silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from txaudit.vocabulary import ORGANS

from .common import BuildError, SeedFile, SeedRow, read_mapping

APPROVED_FILE = "approved-hospitals.csv"

#: Organ words of approved-hospitals.csv's organs_approved cells, mapped to the vocabulary.
_ORGAN_WORDS = {
    "kidney": "kidney",
    "liver": "liver",
    "heart": "heart",
    "lung": "lung",
    "pancreas": "pancreas",
    "intestine": "intestine",
    "small intestine": "intestine",
}


@dataclass
class Registry:
    """Curated hospitals keyed by id, with the name index used to resolve seed rows."""

    hospitals: dict[str, dict[str, object]]
    names: dict[str, str]
    alias_rows: list[dict[str, str]]
    approved: dict[str, list[SeedRow]] = field(default_factory=dict)

    def resolve(self, row: SeedRow, en_field: str, zh_field: str) -> str:
        """The hospital id of a seed row, from its English name (or its Chinese one)."""
        for fld in (en_field, zh_field):
            name = row.get(fld)
            if name and name in self.names:
                return self.names[name]
        raise BuildError(
            f"hospital {row.get(en_field) or row.get(zh_field)!r} is not in "
            "scripts/dataset/hospital_names.csv; add it (to an existing id if it is a spelling)",
            file=row.file,
            line=row.line,
            field=en_field,
        )


def load_registry() -> Registry:
    hospitals: dict[str, dict[str, object]] = {}
    for row in read_mapping("hospitals.csv"):
        hid = row["hospital_id"]
        if hid in hospitals:
            raise BuildError(f"duplicate hospital_id {hid}", file="hospitals.csv")
        military = {"true": True, "false": False, "": None}[row["military"]]
        hospitals[hid] = {**row, "military": military}
    names: dict[str, str] = {}
    alias_rows = read_mapping("hospital_names.csv")
    for alias in alias_rows:
        if alias["hospital_id"] not in hospitals:
            raise BuildError(
                f"unknown hospital_id {alias['hospital_id']}", file="hospital_names.csv"
            )
        previous = names.setdefault(alias["name"], alias["hospital_id"])
        if previous != alias["hospital_id"]:
            raise BuildError(
                f"name {alias['name']!r} maps to both {previous} and {alias['hospital_id']}",
                file="hospital_names.csv",
            )
    return Registry(hospitals, names, alias_rows)


def parse_organs(text: str) -> list[str]:
    """Vocabulary organs named in an organs_approved cell.

    "liver/kidney/heart/lung (+pancreas, intestine)" -> all six; "liver (no kidney
    permit)" -> liver; "not liver (kidney/heart not stated)" -> none (nothing stated
    as approved); "not stated" -> none.
    """
    t = text.lower().strip()
    if not t or t.startswith("not "):
        return []
    extra = ""
    if m := re.search(r"\(\+([^)]*)\)", t):
        extra = m.group(1)
    t = re.sub(r"\([^)]*\)", "", t)
    words = [w.strip() for w in re.split(r"[/,]", t + "," + extra) if w.strip()]
    organs = []
    for word in words:
        organ = _ORGAN_WORDS.get(word)
        if organ is None:
            raise BuildError(f"unknown organ word {word!r} in {text!r}", file=APPROVED_FILE)
        organs.append(organ)
    return sorted(set(organs), key=ORGANS.index)


def approval_year(text: str) -> int | None:
    """Year a list approved the hospital: a leading year, or "(2007)" in "first MoH group (2007)".

    "c.2015 (per ETAC profile)" is the date of a web profile, not of an approval: no year.
    """
    t = text.strip()
    if m := re.match(r"(\d{4})\b", t):
        return int(m.group(1))
    if m := re.search(r"group \((\d{4})\)", t):
        return int(m.group(1))
    return None


def _is_provincial_only(text: str) -> bool:
    return "designated" in text.lower()


_NATIONAL_WORDS = ("list", "moh", "nhc", "nhfpc", "permit", "approved", "ministry")


def _is_national_approval(row: SeedRow) -> bool:
    """A row approving the hospital nationally: organs named, or a national list or permit cited."""
    when = row.get("list_year")
    if _is_provincial_only(when):
        return False
    if parse_organs(row.get("organs_approved")):
        return True
    return any(word in when.lower() for word in _NATIONAL_WORDS)


def hospital_rows(
    registry: Registry, approved: SeedFile, seed_zh_names: set[str] | frozenset[str] = frozenset()
) -> list[dict[str, object]]:
    """HOSPITAL_COLUMNS rows: registry fields plus approved organs, year and list notes.

    A Chinese name that no seed row carries was supplied by the dataset's maintainers
    from their own knowledge; the note says so, so a reader knows it awaits a source.

    category rule (unless the registry sets one with a reason): military flag ->
    military; on a national list (MoH/NHFPC/NHC, or MoH approval per a profile) ->
    civilian; designated by a provincial health department only -> regional;
    otherwise unknown.
    """
    by_hospital: dict[str, list[SeedRow]] = {}
    for row in approved.rows:
        hid = registry.resolve(row, "name_en", "name_zh")
        by_hospital.setdefault(hid, []).append(row)
    registry.approved = by_hospital

    out: list[dict[str, object]] = []
    for hid in sorted(registry.hospitals):
        h = registry.hospitals[hid]
        rows = by_hospital.get(hid, [])
        organs: set[str] = set()
        years = []
        notes = [str(h["note"])] if h["note"] else []
        if h["name_zh"] and h["name_zh"] not in seed_zh_names:
            notes.append("name_zh supplied by the maintainers, not read in a seed source: verify")
        for row in rows:
            organs.update(parse_organs(row.get("organs_approved")))
            if (year := approval_year(row.get("list_year"))) is not None:
                years.append(year)
        if rows:
            lists = "; ".join(
                f"{r.get('list_year')} [{r.get('organs_approved') or 'organs not given'}]"
                for r in rows
            )
            notes.append(f"approved-hospitals.csv: {lists}")
        category = str(h["category"])
        if not category:
            if h["military"] is True:
                category = "military"
            elif rows and all(_is_provincial_only(r.get("list_year")) for r in rows):
                category = "regional"
            elif any(_is_national_approval(r) for r in rows):
                category = "civilian"
            else:
                category = "unknown"
        out.append(
            {
                "hospital_id": hid,
                "name_en": h["name_en"],
                "name_zh": h["name_zh"] or None,
                "province": h["province"] or None,
                "city": h["city"] or None,
                "tier": h["tier"] or None,
                "military": h["military"],
                "category": category,
                "approved_organs": ";".join(sorted(organs, key=ORGANS.index)) or None,
                "approved_year": min(years) if years else None,
                "note": " | ".join(notes) or None,
            }
        )
    return out


def alias_rows(registry: Registry) -> list[dict[str, object]]:
    """ALIAS_COLUMNS rows: every seed spelling plus the canonical names, de-duplicated."""
    pairs: set[tuple[str, str, str]] = set()
    for alias in registry.alias_rows:
        pairs.add((alias["hospital_id"], alias["name"], alias["lang"]))
    for hid, h in registry.hospitals.items():
        pairs.add((hid, str(h["name_en"]), "en"))
        if h["name_zh"]:
            pairs.add((hid, str(h["name_zh"]), "zh"))
    return [
        {"hospital_id": hid, "alias": alias, "lang": lang} for hid, alias, lang in sorted(pairs)
    ]
