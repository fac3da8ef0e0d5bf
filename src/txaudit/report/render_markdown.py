"""The report as Markdown, for pasting into articles and repositories.

The same sections as the HTML. Numbers in the summary link to a list of the
evidence behind each of them, and evidence rows carry ``<a id>`` anchors so
those links work where the Markdown is rendered with inline HTML allowed.
Charts cannot be inlined portably; when they were written with ``--figures``
the Markdown shows them as images by relative path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from txaudit.report.model import Interval, ReportData
from txaudit.report.numbers import (
    fmt_estimate,
    fmt_int,
    fmt_p,
    fmt_ratio,
    fmt_share,
    fmt_stat,
    p_phrase,
)
from txaudit.report.render_html import SECTIONS, anchor, evidence_groups, figure_groups


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def _iv(iv: Interval | None) -> str:
    return "—" if iv is None else f"{fmt_estimate(iv.low)}–{fmt_estimate(iv.high)}"


def _links(ids: Iterable[str]) -> str:
    return ", ".join(f"[{i}](#ev-{anchor(i)})" for i in ids)


def render_markdown(data: ReportData, figure_paths: Mapping[str, str] | None = None) -> str:
    """The report as Markdown text.

    ``figure_paths`` maps chart keys (e.g. ``national-all``, ``tornado``) to
    image paths relative to the Markdown file; charts without a path are left out.
    """
    figs = dict(figure_paths or {})
    title = dict(SECTIONS)
    s = data.stamp
    md: list[str] = [
        f"# {data.title}",
        "",
        f"Scenario **{s.scenario}**, {s.draws:,} Monte Carlo draws, seed {s.seed}. "
        "Every number links to the evidence behind it.",
        "",
        f"## {title['summary']}",
        "",
    ]
    by_key = {f.key: f for f in data.summary.figures}
    for para in data.summary.paragraphs:
        text = ""
        for part in para:
            if isinstance(part, dict):
                f = by_key[part["figure"]]
                text += f"[**{f.text}**](#src-{f.key})"
            else:
                text += part
        md += [text, ""]
    md += ["### Where each number comes from", ""]
    for group in figure_groups(data):
        anchors = "".join(f'<a id="src-{f.key}"></a>' for f in group)
        numbers = "; ".join(f"**{f.text}** ({f.label})" for f in group)
        note = f"{group[0].note}: " if group[0].note else ""
        md.append(f"- {anchors}{numbers}. {note}{_links(group[0].evidence_ids)}")
    md.append("")

    md += [f"## {title['national']}", ""]
    for key, path in figs.items():
        if key.startswith("national-"):
            md += [f"![{key}]({path})", ""]
    md += _table(
        ["Year", "Organ", "Mean", "Median", "50%", "80%", "95%", "Official", "Ratio (95%)",
         "P(> official)"],
        [
            [r.year, r.organ, fmt_estimate(r.mean), fmt_estimate(r.median),
             _iv(r.intervals["50"]), _iv(r.intervals["80"]), _iv(r.intervals["95"]),
             "—" if r.official is None
             else f"{fmt_int(r.official)} ({_links(r.official_evidence_ids)})",
             "—" if r.ratio_median is None
             else f"{fmt_ratio(r.ratio_median)} ({_iv_ratio(r.ratio_interval)})",
             fmt_p(r.p_above_official)]
            for r in data.national
        ],
    )

    md += [f"## {title['breakdown']}", ""]
    for name, column, rows in (("By hospital category", "Category", data.by_category),
                               ("By province", "Province", data.by_province)):
        md += [f"### {name}", ""]
        md += _table([column, "Year", "Organ", "Mean", "95% interval", "Hospitals", "Imputed"],
                     [[g.group, g.year, g.organ, fmt_estimate(g.mean), _iv(g.interval95),
                       g.n_hospitals, g.n_imputed] for g in rows]) if rows else [
            "No breakdown available.", ""]

    md += [f"## {title['hospitals']}", ""]
    md += _table(
        ["#", "Hospital", "Province", "Category", "Year", "Organ", "Mean", "95% interval",
         "Share", "Evidence"],
        [[i + 1, h.name_en + (f" ({h.name_zh})" if h.name_zh else ""), h.province, h.category,
          h.year, h.organ, fmt_estimate(h.mean), _iv(h.interval95), fmt_share(h.share),
          ("imputed " if h.imputed else "") + _links(h.evidence_ids)]
         for i, h in enumerate(data.top_hospitals)],
    )

    md += [f"## {title['coverage']}", ""]
    inds = data.coverage.indicators
    md += _table(["Hospital", *inds, "Imputed for"],
                 [[c.name, *[c.counts.get(i, 0) or "" for i in inds],
                   ", ".join(c.imputed_organs)] for c in data.coverage.rows])

    md += [f"## {title['sensitivity']}", ""]
    if data.sensitivity is None:
        md += ["Sensitivity analysis was not run.", ""]
    else:
        sens = data.sensitivity
        md += [f"Output: {sens.target} ({sens.unit}), baseline {fmt_estimate(sens.baseline)}.",
               ""]
        if "tornado" in figs:
            md += [f"![tornado]({figs['tornado']})", ""]
        md += _table(["Parameter", "Low value", "High value", "Output at low", "Output at high"],
                     [[t.parameter, fmt_stat(t.low_value), fmt_stat(t.high_value),
                       fmt_estimate(t.output_low), fmt_estimate(t.output_high)]
                      for t in sorted(sens.tornado, key=lambda r: r.swing, reverse=True)])
        if sens.sobol:
            md += _table(["Parameter", "S1", "S1 ±", "ST", "ST ±"],
                         [[r.parameter, f"{r.s1:.3f}", _conf(r.s1_conf), f"{r.st:.3f}",
                           _conf(r.st_conf)] for r in sens.sobol])

    md += [f"## {title['forensics']}", ""]
    if not data.findings:
        md += ["No forensic tests were run.", ""]
    for fr in data.findings:
        md += [f"### {fr.test} — {fr.subject}", "",
               f"**{fr.verdict.strip().rstrip('.')}.**" + (
                   f" {fr.statistic_name} = {fmt_stat(fr.statistic)}, {p_phrase(fr.p_value)}"
                   f"{' (flagged)' if fr.flagged else ''}." if fr.ran else ""), "",
               fr.explanation, ""]
        md += [f"- {c}" for c in fr.caveats] + ([""] if fr.caveats else [])
        if f"finding-{fr.key}" in figs:
            md += [f"![{fr.test}]({figs['finding-' + fr.key]})", ""]
        md += [f"Inputs: {_links(fr.evidence_ids)}", ""]

    md += [f"## {title['assumptions']}", ""]
    md += _table(["Parameter", "Description", "Applies to", "Distribution", "Scenario", "Source"],
                 [[a.name, a.description, a.applies_to, f"`{a.distribution}`", a.scenario,
                   " ".join(x for x in (a.citation, a.citation_url, _links(a.evidence_ids)) if x)]
                  for a in data.assumptions])

    md += [f"## {title['evidence']}", ""]
    for _kind, group_name, ev_rows in evidence_groups(data):
        md += [f"### {group_name} ({len(ev_rows)})", ""]
        md += _table(
            ["Id", "Subject", "Indicator", "Organ", "Period", "Value", "Grade", "Source",
             "Archive", "sha256", "Locator"],
            [[f'<a id="ev-{anchor(e.evidence_id)}"></a>`{e.evidence_id}`', e.subject,
              e.indicator, e.organ, e.period, f"{e.value} {e.unit}".strip(), e.grade,
              e.source_url, e.archive_url, f"`{e.sha256}`" if e.sha256 else "", e.locator]
             for e in ev_rows],
        )

    md += [f"## {title['warnings']}", ""]
    md += [f"- **{w.origin}**{f' ({w.code})' if w.code else ''}: {w.message}"
           for w in data.warnings] or ["No warnings were raised in this run."]
    md.append("")

    md += [f"## {title['reproducibility']}", ""]
    md += _table(["", ""], [
        ["txaudit version", f"`{s.txaudit_version}`"],
        ["Model file hash", f"`{s.model_hash}`"],
        ["Store content hash (ledger head)", f"`{s.store_hash}`"],
        ["Store content digest (current rows)", f"`{s.content_digest}`"],
        ["Scenario", s.scenario], ["Seed", s.seed], ["Draws", f"{s.draws:,}"],
        ["Command", f"`{s.command}`"],
    ])
    if s.generated_at:
        md += ["---", "", f"Generated at {s.generated_at}.", ""]
    return "\n".join(md)


def _iv_ratio(iv: Interval | None) -> str:
    return "—" if iv is None else f"{fmt_ratio(iv.low)}–{fmt_ratio(iv.high)}"


def _conf(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"
