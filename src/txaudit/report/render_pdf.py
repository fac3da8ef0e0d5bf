"""The report as PDF, through WeasyPrint, from the same HTML as the web version.

WeasyPrint draws the inline SVG charts itself and follows the print styles
(A4 pages, no navigation, rows kept whole). It fetches nothing: the HTML has no
external resources, and the URL fetcher refuses any that might appear.
"""

from __future__ import annotations

from typing import Any, NoReturn

from txaudit.errors import ConfigError


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ConfigError(f"the report tried to load {url}; reports must be self-contained")


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML report (byte-identical for identical HTML)."""
    import weasyprint  # heavy; imported only when a PDF is asked for

    return bytes(weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf())
