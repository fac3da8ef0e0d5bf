"""End to end in headless Chromium: the page renders, loads nothing, charts have size.

A probe script is put at the top of a copy of the report (the report itself has no
script, and its Content-Security-Policy forbids them, so the copy's policy is widened
for the probe only). The probe records script errors, failed or refused loads and
console errors, lists every resource the page fetched, and measures each chart;
``--dump-dom`` then prints the DOM with the probe's results in it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from report_fixtures import make_report, small_frames

from txaudit.report import Stamp, build_report
from txaudit.report.render_html import render_html

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

_PROBE = """<script>
window.__probe = {errors: [], console: []};
window.addEventListener('error', function (e) {
  var el = e.target && e.target !== window ? e.target : null;
  var t = el ? (el.src || el.href || el.tagName) : '';
  window.__probe.errors.push('error: ' + (e.message || 'failed to load ' + t));
}, true);
document.addEventListener('securitypolicyviolation', function (e) {
  window.__probe.errors.push('refused by CSP: ' + e.blockedURI);
});
var _ce = console.error;
console.error = function () {
  window.__probe.console.push([].join.call(arguments, ' '));
  _ce.apply(console, arguments);
};
window.addEventListener('load', function () {
  var charts = [].map.call(document.querySelectorAll('svg.chart'), function (s) {
    var r = s.getBoundingClientRect();
    return {key: s.getAttribute('data-chart'), width: r.width, height: r.height};
  });
  var res = performance.getEntriesByType('resource').map(function (r) { return r.name; });
  var out = document.createElement('pre');
  out.id = 'probe-result';
  out.textContent = JSON.stringify({errors: window.__probe.errors, console: window.__probe.console,
                                    resources: res, charts: charts});
  document.body.appendChild(out);
});
</script>"""


def _flags(profile: Path) -> list[str]:
    return [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
    ]


def _with_probe(html: str) -> str:
    html = html.replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
    return html.replace("<head>\n", "<head>\n" + _PROBE + "\n", 1)


def _pipeline_html() -> str:
    """A report from the real estimate and forensic tests on small hand-made frames."""
    from txaudit.estimate import estimate_frames
    from txaudit.forensics import run_all

    frames = small_frames()
    est = estimate_frames(frames["observations"], frames["hospitals"],
                          frames["official_figures"], draws=1000, seed=1)
    off = frames["official_figures"]
    findings = run_all(off[off["series"] == "china:deceased_donors:cotrs"], replicates=200,
                       name="china:deceased_donors:cotrs")
    stamp = Stamp("0.1.0", est.model_hash, "a" * 64, "default", 1, 1000, "txaudit report")
    report = build_report(estimate=est, stamp=stamp, findings=findings, country="China",
                          **frames)
    return report.content.decode("utf-8")


@pytest.fixture(scope="module", params=["hand-made", "pipeline"])
def page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    folder = tmp_path_factory.mktemp("browser")
    path = folder / "report.html"
    html = render_html(make_report()) if request.param == "hand-made" else _pipeline_html()
    path.write_text(_with_probe(html), encoding="utf-8")
    return path


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_report_renders_in_chromium_without_errors_or_loads_and_charts_have_size(
    page: Path, tmp_path: Path
) -> None:
    assert CHROMIUM is not None
    proc = _run([CHROMIUM, *_flags(tmp_path / "profile"), "--virtual-time-budget=5000",
                 "--dump-dom", page.as_uri()])
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<pre id="probe-result">(.*?)</pre>', proc.stdout, re.S)
    assert m, "probe did not run: " + proc.stderr[-2000:]
    import html as htmllib

    result = json.loads(htmllib.unescape(m.group(1)))
    assert result["errors"] == []
    assert result["console"] == []
    assert result["resources"] == []  # nothing fetched: the page is self-contained
    keys = re.findall(r'data-chart="([^"]+)"', page.read_text(encoding="utf-8"))
    assert len(keys) >= 3
    assert [c["key"] for c in result["charts"]] == keys
    for chart in result["charts"]:
        assert chart["width"] > 100 and chart["height"] > 100, chart


def test_report_screenshot_is_taken(page: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    shot = tmp_path / "report.png"
    proc = _run([CHROMIUM, *_flags(tmp_path / "profile"), "--window-size=1280,2400",
                 "--hide-scrollbars", f"--screenshot={shot}", page.as_uri()])
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    # a rendered page, not a blank one: the PNG of a blank page is a few KB
    assert len(data) > 50_000


def test_the_probe_catches_a_page_that_loads_an_external_image(tmp_path: Path) -> None:
    """The check above can fail: an external image is refused and reported."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    html = render_html(make_report()).replace(
        "<main>", '<main><img src="https://example.invalid/x.png" alt="x">', 1)
    path = tmp_path / "bad.html"
    path.write_text(_with_probe(html), encoding="utf-8")
    proc = _run([CHROMIUM, *_flags(tmp_path / "profile"), "--virtual-time-budget=5000",
                 "--dump-dom", path.as_uri()])
    m = re.search(r'<pre id="probe-result">(.*?)</pre>', proc.stdout, re.S)
    assert m
    import html as htmllib

    result = json.loads(htmllib.unescape(m.group(1)))
    assert any("example.invalid" in e for e in result["errors"])
