"""The review queue: list proposed claims, decide them one by one or by a stated rule.

Deciding is the store's job (``Store.decide_claim`` writes the decision, the
observation an accepted claim becomes, and the ledger event). This module
selects claims, parses a reviewer's edits, and applies batch rules, so that a
rule is written down (``indicator=…; pattern=…``) with every decision it makes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from txaudit.errors import ConfigError, InputError
from txaudit.vocabulary import INDICATORS, ORGANS, QUALIFIERS

#: Fields a reviewer may change with ``edit`` (observation fields the claim fills in).
EDITABLE = ("indicator", "organ", "value", "low", "high", "qualifier", "unit", "year",
            "since_year", "as_of", "hospital_id", "grade", "note", "scope", "region")


def pending_claims(store: Any, *, limit: int | None = None) -> Any:
    """Claims awaiting review (status ``proposed``), oldest first."""
    frame = store.claims(status="proposed")
    return frame.head(limit) if limit is not None else frame


def parse_changes(assignments: list[str]) -> dict[str, Any]:
    """``["value=120", "organ=liver"]`` → ``{"value": "120", "organ": "liver"}``.

    Field names are checked against :data:`EDITABLE` and the vocabulary; ``null``
    or an empty value clears a field.
    """
    changes: dict[str, Any] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"{item!r} is not field=value", field="--set",
                             hint="e.g. --set value=120 --set organ=liver")
        if name not in EDITABLE:
            raise InputError(f"{name!r} cannot be edited", field=name,
                             hint="editable: " + ", ".join(EDITABLE))
        cleaned: Any = value.strip()
        if cleaned in ("", "null", "None"):
            cleaned = None
        elif name == "indicator" and cleaned not in INDICATORS:
            raise InputError(f"unknown indicator {cleaned!r}", field=name)
        elif name == "organ" and cleaned not in ORGANS:
            raise InputError(f"unknown organ {cleaned!r}", field=name,
                             hint="one of " + ", ".join(ORGANS))
        elif name == "qualifier" and cleaned not in QUALIFIERS:
            raise InputError(f"unknown qualifier {cleaned!r}", field=name,
                             hint="one of " + ", ".join(QUALIFIERS))
        elif name in ("year", "since_year"):
            if not cleaned.isdigit():
                raise InputError(f"{cleaned!r} is not a year", field=name)
            cleaned = int(cleaned)
        changes[name] = cleaned
    return changes


def decide(store: Any, claim_id: str, decision: str, *, reviewer: str,
           changes: dict[str, Any] | None = None) -> str | None:
    """Accept, reject or edit one claim as ``reviewer``; returns the observation id, if any."""
    if decision == "edit" and not changes:
        raise InputError("edit needs at least one --set field=value", field="--set")
    if decision != "edit" and changes:
        raise InputError(f"--set is only for edit, not {decision}", field="--set")
    observation: str | None = store.decide_claim(
        claim_id, decision, actor=reviewer, changes=changes or None)
    return observation


@dataclass(frozen=True)
class Rule:
    """A batch-accept rule: every condition given must hold for a claim to be accepted."""

    indicator: str | None = None
    organ: str | None = None
    lang: str | None = None
    qualifier: str | None = None
    pattern: str | None = None
    min_confidence: float | None = None

    def describe(self) -> str:
        """The rule as recorded with each decision, e.g. ``indicator=transplants_annual``."""
        parts = [f"{k}={v}" for k, v in self.__dict__.items() if v is not None]
        if not parts:
            raise InputError("a rule needs at least one condition",
                             hint="give --indicator, --organ, --lang, --qualifier or --pattern")
        return "; ".join(parts)

    def select(self, claims: Any) -> Any:
        """The rows of ``claims`` that satisfy every condition."""
        if self.indicator is not None and self.indicator not in INDICATORS:
            raise InputError(f"unknown indicator {self.indicator!r}", field="--indicator")
        mask = claims["claim_id"].notna()
        for column in ("indicator", "organ", "lang", "qualifier"):
            wanted = getattr(self, column)
            if wanted is not None:
                mask &= claims[column] == wanted
        if self.pattern is not None:
            try:
                regex = re.compile(self.pattern)
            except re.error as exc:
                raise InputError(f"bad pattern: {exc}", field="--pattern") from exc
            mask &= claims["text"].fillna("").map(lambda t: regex.search(t) is not None)
        if self.min_confidence is not None:
            if "confidence" not in claims.columns:
                raise ConfigError(
                    "claims carry no confidence score in this store; "
                    "select them with --pattern, --indicator, --organ or --qualifier")
            mask &= claims["confidence"] >= self.min_confidence
        return claims[mask]


def accept_by_rule(store: Any, rule: Rule, *, reviewer: str,
                   dry_run: bool = False) -> list[tuple[str, str | None]]:
    """Accept every pending claim the rule selects, recording the rule with each decision.

    Returns (claim id, observation id) pairs; with ``dry_run`` nothing is decided
    and the observation ids are None.
    """
    description = rule.describe()
    chosen = rule.select(pending_claims(store))
    decided: list[tuple[str, str | None]] = []
    for claim_id in chosen["claim_id"]:
        if dry_run:
            decided.append((str(claim_id), None))
            continue
        obs = store.decide_claim(str(claim_id), "accept", actor=reviewer, rule=description)
        decided.append((str(claim_id), obs))
    return decided
