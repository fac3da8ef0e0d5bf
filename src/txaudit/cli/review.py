"""CLI commands of the review part: the claim review queue (``txaudit review …``)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from txaudit.cli._common import DbOption, JsonOption, emit_json, errors_as_exit, resolve_db

review_app = typer.Typer(
    name="review",
    help="Review proposed claims: list them, accept, reject or edit one, or accept by rule.",
    invoke_without_command=True,
    no_args_is_help=False,
)

ReviewerOption = typer.Option(..., "--reviewer", help="Your name, recorded with the decision.")


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, (list, dict)) and bool(pd.isna(value)))


def _open(db: str | None) -> Any:
    from txaudit.evidence import open_store

    return open_store(resolve_db(db))


def _quantity(store: Any, claim: Any) -> str | None:
    """The claimed quantity as written, read from the claim's source text by its span."""
    start, end = claim.get("span_start"), claim.get("span_end")
    if _missing(start) or _missing(end):
        return None
    try:
        text = store.get_blob(claim["source_sha256"]).decode("utf-8", "replace")
    except Exception:
        # a missing blob must not stop the listing; the sentence is still shown
        return None
    return text[int(start):int(end)] or None


def _highlighted(sentence: str, quantity: str | None) -> Any:
    from rich.text import Text

    text = Text(sentence or "")
    if quantity:
        at = (sentence or "").find(quantity)
        if at >= 0:
            text.stylize("bold black on yellow", at, at + len(quantity))
    return text


def _value(claim: Any) -> str:
    def fmt(v: Any) -> str:
        return "" if _missing(v) else str(v)

    low, high = fmt(claim.get("low")), fmt(claim.get("high"))
    core = f"{low}–{high}" if low and high else fmt(claim.get("value"))
    return f"{core} {fmt(claim.get('unit'))} ({fmt(claim.get('qualifier'))})"


def _period(claim: Any) -> str:
    parts = []
    for key, label in (("year", "year"), ("since_year", "since"), ("as_of", "as of")):
        v = claim.get(key)
        if not _missing(v):
            parts.append(f"{label} {int(v) if isinstance(v, float) else v}")
    return ", ".join(parts)


def _render(store: Any, claims: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(claims)} claim(s) awaiting review", show_lines=True)
    for column in ("claim", "indicator / organ", "value", "period", "hospital", "sentence"):
        table.add_column(column, overflow="fold")
    for _, claim in claims.iterrows():
        hospital = claim.get("hospital_id")
        table.add_row(
            str(claim["claim_id"]),
            f"{claim['indicator']}\n{claim.get('organ') or ''}",
            _value(claim),
            _period(claim),
            "" if _missing(hospital) else str(hospital),
            _highlighted(claim.get("text") or "", _quantity(store, claim)),
        )
    Console().print(table)


def _records(claims: Any) -> list[dict[str, Any]]:
    return [
        {k: (None if _missing(v) else v) for k, v in row.items()}
        for row in claims.to_dict(orient="records")
    ]


@review_app.callback()
def review_main(
    ctx: typer.Context,
    db: str | None = DbOption,
    limit: int = typer.Option(20, "--limit", help="Claims shown at most."),
    reviewer: str | None = typer.Option(
        None, "--reviewer", help="With a terminal on stdin: review interactively as this name."
    ),
    as_json: bool = JsonOption,
) -> None:
    """List claims awaiting review; with --reviewer on a terminal, review them one by one.

    Example: txaudit review --reviewer "A. Researcher"
    """
    if ctx.invoked_subcommand is not None:
        return
    from txaudit.collect.review import pending_claims

    with errors_as_exit():
        store = _open(db)
        if reviewer and sys.stdin.isatty() and not as_json:
            _interactive(store, reviewer, limit)
            return
        claims = pending_claims(store, limit=limit)
    if as_json:
        emit_json(_records(claims))
    else:
        _render(store, claims)


def _interactive(store: Any, reviewer: str, limit: int) -> None:
    from rich.console import Console
    from rich.prompt import Prompt

    from txaudit.collect.review import decide, parse_changes, pending_claims

    console = Console()
    claims = pending_claims(store, limit=limit)
    for _, claim in claims.iterrows():
        _render(store, claims[claims["claim_id"] == claim["claim_id"]])
        choice = Prompt.ask("[a]ccept, [r]eject, [e]dit, [s]kip, [q]uit",
                            choices=["a", "r", "e", "s", "q"], default="s")
        if choice == "q":
            return
        if choice == "s":
            continue
        if choice == "e":
            raw = Prompt.ask("field=value pairs, separated by spaces")
            obs = decide(store, claim["claim_id"], "edit", reviewer=reviewer,
                         changes=parse_changes(raw.split()))
        else:
            obs = decide(store, claim["claim_id"], {"a": "accept", "r": "reject"}[choice],
                         reviewer=reviewer)
        console.print(f"{claim['claim_id']}: recorded" + (f" as {obs}" if obs else ""))


def _decide(claim_id: str, decision: str, reviewer: str, db: str | None,
            changes: list[str] | None, as_json: bool) -> None:
    from txaudit.collect.review import decide, parse_changes

    with errors_as_exit():
        store = _open(db)
        obs = decide(store, claim_id, decision, reviewer=reviewer,
                     changes=parse_changes(changes or []) or None)
    if as_json:
        emit_json({"claim_id": claim_id, "decision": decision, "observation_id": obs,
                   "reviewer": reviewer})
    elif obs:
        typer.echo(f"{claim_id}: {decision}ed by {reviewer}; observation {obs}")
    else:
        typer.echo(f"{claim_id}: rejected by {reviewer}")


@review_app.command("accept")
def accept_command(
    claim_id: str = typer.Argument(..., help="Claim id (clm-…)."),
    reviewer: str = ReviewerOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Accept a claim: it becomes an observation citing its source and span."""
    _decide(claim_id, "accept", reviewer, db, None, as_json)


@review_app.command("reject")
def reject_command(
    claim_id: str = typer.Argument(..., help="Claim id (clm-…)."),
    reviewer: str = ReviewerOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Reject a claim (the decision and reviewer are recorded in the ledger)."""
    _decide(claim_id, "reject", reviewer, db, None, as_json)


@review_app.command("edit")
def edit_command(
    claim_id: str = typer.Argument(..., help="Claim id (clm-…)."),
    changes: list[str] = typer.Option(..., "--set", help="field=value (repeatable)."),
    reviewer: str = ReviewerOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Accept a claim with corrections, e.g. --set value=120 --set organ=liver."""
    _decide(claim_id, "edit", reviewer, db, changes, as_json)


@review_app.command("accept-rule")
def accept_rule_command(
    reviewer: str = ReviewerOption,
    indicator: str | None = typer.Option(None, "--indicator", help="Only this indicator."),
    organ: str | None = typer.Option(None, "--organ", help="Only this organ."),
    lang: str | None = typer.Option(None, "--lang", help="Only claims in this language."),
    qualifier: str | None = typer.Option(None, "--qualifier", help="Only this qualifier."),
    pattern: str | None = typer.Option(
        None, "--pattern", help="Regular expression the claim's sentence must match."
    ),
    min_confidence: float | None = typer.Option(
        None, "--min-confidence", help="Lowest extractor confidence (if claims carry one)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be accepted."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Accept every pending claim matching a rule; the rule is recorded with each decision.

    Example: txaudit review accept-rule --indicator transplants_annual --reviewer ana
    """
    from txaudit.collect.review import Rule, accept_by_rule

    rule = Rule(indicator=indicator, organ=organ, lang=lang, qualifier=qualifier,
                pattern=pattern, min_confidence=min_confidence)
    with errors_as_exit():
        store = _open(db)
        decided = accept_by_rule(store, rule, reviewer=reviewer, dry_run=dry_run)
        description = rule.describe()
    if as_json:
        emit_json({"rule": description, "dry_run": dry_run,
                   "decided": [{"claim_id": c, "observation_id": o} for c, o in decided]})
        return
    verb = "would accept" if dry_run else "accepted"
    typer.echo(f"Rule [{description}] {verb} {len(decided)} claim(s) as {reviewer}.")
    for claim_id, obs in decided:
        typer.echo(f"  {claim_id}" + (f" -> {obs}" if obs else ""))


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    app.add_typer(review_app, name="review")
