"""Readable text from HTML: boilerplate removal with trafilatura, plain tag stripping as fallback.

Hospital pages put their figures in body paragraphs and tables; menus, footers
and link lists only add noise (and phone numbers) to extraction. trafilatura
keeps the main content, tables included. Where it finds nothing (very short
pages, pages that are mostly a table, markup lxml cannot build a tree for) the
page is stripped of tags instead, so no text is lost for want of a "main" part.
"""

from __future__ import annotations

import html as html_lib
import re

from txaudit.errors import TxauditError

_TAG_RE = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9]{0,15})\b[^>]{0,2000}?(/?)>")
_VOID = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "
    b"p li dt dd tr td th option thead tbody tfoot colgroup".split()
)
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_DROP_RE = re.compile(
    r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
_BLOCK_RE = re.compile(
    r"<(?:br|/?p|/?div|/?li|/?tr|/?h[1-6]|/?table|/?section|/?article|/?blockquote)\b[^>]*>",
    re.IGNORECASE,
)
_CELL_RE = re.compile(r"</?t[dh]\b[^>]*>", re.IGNORECASE)
_ANY_TAG_RE = re.compile(r"<[^>]{0,4000}>")
_SPACES_RE = re.compile(r"[ \t\r\f\v\u3000\xa0]+")
_BLANKS_RE = re.compile(r"\n\s*\n+")

#: Below this many characters a trafilatura result is treated as "found nothing".
_MIN_MAIN_TEXT = 40


class MarkupError(TxauditError):
    """Markup refused before parsing (too deeply nested, binary)."""


def nesting_depth(data: bytes, limit: int) -> int:
    """Deepest element nesting in ``data``, counting no further than ``limit + 1``.

    A linear scan over tags with a counter; elements that HTML closes implicitly
    (``p``, ``li``, table cells) and void elements are not counted, so old pages
    with unclosed paragraphs are not mistaken for hostile ones.
    """
    depth = deepest = 0
    for match in _TAG_RE.finditer(data):
        closing, name, selfclosing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or selfclosing:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


#: bytes that occur in text: everything from space up, and tab, LF, FF, CR, ESC
_TEXT_BYTES = bytes(range(32, 256)) + b"\t\n\x0c\r\x1b"


def looks_binary(data: bytes) -> bool:
    """True when the first 8 KB hold NUL bytes or over 5% other control characters.

    Text in any of the encodings we read (UTF-8, GB18030, Big5; UTF-16 with a BOM
    is excepted by the caller) contains no NUL and few C0 controls.
    """
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _TEXT_BYTES))
    return controls > len(sample) * 0.05


def title_of(text: str) -> str | None:
    """The page's ``<title>``, unescaped and squeezed, or None."""
    match = _TITLE_RE.search(text[:200_000])
    if not match:
        return None
    title = _SPACES_RE.sub(" ", html_lib.unescape(_ANY_TAG_RE.sub("", match.group(1)))).strip()
    return title[:500] or None


def strip_tags(markup: str) -> str:
    """Text of ``markup`` by removing tags: linear time, no tree, never recurses."""
    text = _DROP_RE.sub(" ", markup)
    text = _BLOCK_RE.sub("\n", text)
    text = _CELL_RE.sub(" ", text)
    text = _ANY_TAG_RE.sub("", text)
    text = html_lib.unescape(text)
    text = _SPACES_RE.sub(" ", text)
    lines = (line.strip() for line in text.split("\n"))
    return _BLANKS_RE.sub("\n\n", "\n".join(line for line in lines if line)).strip()


def html_to_text(markup: str, *, url: str | None = None) -> tuple[str, str]:
    """Main text of an HTML page and the method used (``trafilatura`` or ``strip``)."""
    try:
        import trafilatura

        main = trafilatura.extract(
            markup,
            url=url,
            fast=True,
            favor_recall=True,
            include_tables=True,
            include_comments=False,
            deduplicate=False,
        )
    except Exception:
        # trafilatura and lxml raise many kinds of error on broken markup; the
        # tag stripper below reads any markup, so the page is not lost.
        main = None
    if main and len(main.strip()) >= _MIN_MAIN_TEXT:
        return main.strip(), "trafilatura"
    return strip_tags(markup), "strip"
