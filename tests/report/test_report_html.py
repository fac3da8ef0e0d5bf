"""The HTML report: sections, citations, self-containment, escaping, reproducibility."""

from __future__ import annotations

import dataclasses
import re

import pytest
from report_fixtures import make_report
from report_htmlcheck import parse

from txaudit.report.charts import report_charts
from txaudit.report.model import Interval, ReportData
from txaudit.report.render_html import SECTIONS, anchor, render_html

# Elements that make a browser fetch something when the page opens.
_LOADING = {
    "script": "src", "link": "href", "img": "src", "iframe": "src", "embed": "src",
    "object": "data", "source": "src", "video": "src", "audio": "src", "image": "href",
    "use": "href", "track": "src", "input": "src", "frame": "src",
}


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(make_report())


def test_html_report_has_every_section_with_a_heading(html: str) -> None:
    doc = parse(html)
    section_ids = [e.attrs.get("id") for e in doc.find("section")]
    assert section_ids == [sid for sid, _ in SECTIONS]
    for sid, _ in SECTIONS:
        assert doc.text(sid), f"section {sid} is empty"
    assert {"by-category", "by-province", "tornado-table", "sobol-table"} <= set(doc.ids())


def test_every_summary_figure_links_to_evidence_rows_in_the_appendix(
    html: str, report_data: ReportData
) -> None:
    doc = parse(html)
    appendix = {e.attrs["id"] for e in doc.elements
                if e.section == "evidence" and e.tag == "tr" and "id" in e.attrs}
    figures = doc.find("a", class_="fig")
    assert len(figures) == len(report_data.summary.figures) > 5
    for a in figures:
        assert a.section == "summary"
        ids = a.attrs["data-evidence"].split()
        assert ids, f"{a.attrs['id']} cites no evidence"
        for i in ids:
            assert f"ev-{i}" in appendix, f"{a.attrs['id']} cites {i}, absent from the appendix"
        # the number links to its entry in "where each number comes from",
        # and that entry links to each evidence row
        assert {f"#ev-{i}" for i in ids} <= _links_after(doc, a.attrs["href"][1:])


def _links_after(doc, target: str) -> set[str]:  # type: ignore[no-untyped-def]
    """hrefs of the links from the element id=target (in a <dt>) up to the next <dt>."""
    els = doc.elements
    start = next(k for k, e in enumerate(els) if e.attrs.get("id") == target)
    assert els[start].section == "summary" and els[start - 1].tag in ("dt", "span")
    end = next((k for k in range(start + 1, len(els)) if els[k].tag == "dt"), len(els))
    return {els[k].attrs["href"] for k in range(start, end) if els[k].tag == "a"}


def test_every_internal_link_points_to_an_element_of_the_page(html: str) -> None:
    doc = parse(html)
    ids = set(doc.ids())
    internal = [e.attrs["href"][1:] for e in doc.find("a") if e.attrs.get("href", "")
                .startswith("#")]
    assert internal
    missing = sorted({i for i in internal if i not in ids})
    assert not missing


def test_ids_are_unique_across_the_page_and_its_charts(html: str) -> None:
    ids = parse(html).ids()
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes


def test_html_report_loads_nothing_from_another_host(html: str) -> None:
    doc = parse(html)
    for e in doc.elements:
        attr = _LOADING.get(e.tag)
        if attr:
            for key in (attr, "xlink:href", "srcset"):
                value = e.attrs.get(key, "")
                assert not re.match(r"\s*(https?:)?//", value), f"<{e.tag}> loads {value}"
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", e.attrs.get("style", ""))
    css = "".join(doc.styles)
    assert css.strip()
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert not doc.find("script")
    # links to the sources are allowed, and there are some
    assert any(a.attrs.get("href", "").startswith("https://") for a in doc.find("a"))


def test_charts_are_inline_svg_with_captions(html: str, report_data: ReportData) -> None:
    doc = parse(html)
    svgs = doc.find("svg")
    keys = [c.key for c in report_charts(report_data)]
    assert [s.attrs["data-chart"] for s in svgs] == keys
    assert keys == ["national-all", "national-kidney", "tornado", "finding-quad-2015",
                    "finding-digits"]
    for s in svgs:
        assert s.attrs["aria-label"]
        assert "viewbox" in s.attrs  # html.parser lowercases attribute names


def test_text_from_the_evidence_is_escaped() -> None:
    html = render_html(make_report())
    assert "Hospital C &lt;b&gt;&amp;" in html
    assert "Hospital C <b>" not in html


def test_summary_states_the_interval_and_most_likely_value_in_plain_words(html: str) -> None:
    text = parse(html).text("summary")
    # 48,123 and 91,234 rounded to two significant figures, median 64,873 to 65,000
    assert "between 48,000 and 91,000 transplants (all organs)" in text
    assert "most likely about 65,000" in text
    assert "official figure for 2016 is 13,238" in text
    assert "It lies below the 95% interval" in text
    assert "between 3.6× and 6.9× the official figure" in text


def test_summary_says_when_the_official_figure_is_consistent_with_the_estimate() -> None:
    base = make_report()
    inside = dataclasses.replace(base.national[1], official=60000.0)
    from txaudit.report.summary import build_summary

    summary = build_summary(country="China", scenario="central",
                            national=(base.national[0], inside), observation_ids=["obs-000001"],
                            n_hospitals=1, n_hospitals_with_evidence=1, n_imputed=0)
    text = " ".join(p for para in summary.paragraphs for p in para if isinstance(p, str))
    assert "inside the 95% interval" in text
    assert "consistent with it" in text


def test_report_wording_never_asserts_intent(html: str) -> None:
    words = ("fraud", "fabricat", "falsif", "cover-up", "cover up", "deliberate", "intention",
             "lying", "faked", "manipulat")
    text = " ".join(parse(html).text(s) for s, _ in SECTIONS).lower()
    for w in words:
        assert w not in text


def test_generation_time_appears_only_in_a_separate_footer() -> None:
    stamped = render_html(make_report(generated_at="2026-12-01T01:02:03Z"))
    plain = render_html(make_report())
    assert "2026-12-01T01:02:03Z" in stamped
    doc = parse(stamped)
    footer = doc.find("footer", class_="generated")
    assert len(footer) == 1 and footer[0].section is None
    assert "Generated at" not in plain and "<footer" not in plain
    # nothing else differs
    assert re.sub(r'\n<footer class="generated">.*?</footer>', "", stamped, flags=re.S) == plain


def test_same_report_data_renders_to_identical_bytes() -> None:
    assert render_html(make_report()) == render_html(make_report())


def test_timings_are_never_rendered_in_html() -> None:
    data = dataclasses.replace(make_report(), timings={"estimate": 12.345678})
    assert "12.345678" not in render_html(data)


def test_report_without_sensitivity_or_findings_says_so() -> None:
    html = render_html(make_report(with_extras=False))
    doc = parse(html)
    assert "Sensitivity analysis was not run" in doc.text("sensitivity")
    assert "No forensic tests were run" in doc.text("forensics")
    assert "No breakdown available" in doc.text("breakdown")
    assert [e.attrs["data-chart"] for e in doc.find("svg")] == ["national-all", "national-kidney"]


def test_anchor_keeps_safe_characters_and_replaces_the_rest() -> None:
    assert anchor("obs-000123") == "obs-000123"
    assert anchor("china:donors:2015") == "china:donors:2015"
    assert anchor("a b/c#d") == "a_b_c_d"


def test_national_table_shows_intervals_to_three_significant_figures(html: str) -> None:
    text = parse(html).text("national")
    assert "48,100–91,200" in text  # 48,123 and 91,234
    assert "10,057" in text  # official figures as published
    assert Interval(1, 2).low == 1


def test_inline_styles_are_not_html_escaped(html: str) -> None:
    """Entities are not decoded inside <style>: an escaped quote would break the CSS."""
    css = "".join(parse(html).styles)
    assert '"DejaVu Sans"' in css
    assert "&#34;" not in css and "&quot;" not in css


def test_lists_of_evidence_links_can_wrap_between_links(html: str) -> None:
    assert "</a><a" not in html


def test_warnings_are_listed_in_full_and_counted_by_kind(html: str) -> None:
    text = parse(html).text("warnings")
    assert "3 warnings in this run, by kind: estimate: no_evidence 2; " \
        "forensics (digits, provinces) 1." in text
    assert "Hospital E has no usable evidence; imputed." in text


def test_numbers_citing_the_same_rows_share_one_list_of_sources(html: str) -> None:
    doc = parse(html)
    dts = doc.find("dt")
    # the five estimated totals and the observation count cite the same four rows
    assert len(dts) < len(make_report().summary.figures)
    assert "65,000 (median)" in doc.text("summary")


def test_linkify_escapes_text_and_links_each_url() -> None:
    from txaudit.report.render_html import linkify

    out = str(linkify('US LOS 7.4 d <b> https://example.org/a?x=1&y=2. and "http://b.cn/c"'))
    assert out == ('US LOS 7.4 d &lt;b&gt; <a class="url" href="https://example.org/a?x=1&amp;y=2">'
                   'https://example.org/a?x=1&amp;y=2</a>. and &#34;<a class="url" '
                   'href="http://b.cn/c">http://b.cn/c</a>&#34;')
