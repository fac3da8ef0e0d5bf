"""From one kept document to its sources, derived text and proposed claims.

This is the expensive step (decoding, HTML parsing, PDF reading, extraction),
run only on records that passed the prefilter. It is pure: bytes in, values out.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from txaudit.collect.charset import decode_bytes
from txaudit.collect.htmltext import html_to_text, looks_binary, nesting_depth, title_of
from txaudit.collect.model import Document, Limits, Quarantined, RecordResult, sha256_hex
from txaudit.collect.pdftext import PdfLimitError, PdfReadError, pdf_text

_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_TEXT_TYPES = ("text/", "application/json", "application/javascript")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_RE = re.compile(r"[A-Za-z]")

#: Signature of the claim finder (``txaudit.extract.extract_claims``).
ClaimFinder = Callable[..., list[Any]]


class RecordTimeout(Exception):
    """Deriving text from one record took longer than ``Limits.max_seconds_per_record``."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`RecordTimeout` in this thread after ``seconds`` (POSIX main thread only).

    Elsewhere (threads, Windows) the limit is not enforced; the size limits still are.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def _expire(signum: int, frame: object) -> None:
        raise RecordTimeout(f"took longer than max_seconds_per_record={seconds:g}")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def guess_lang(text: str) -> str | None:
    """``zh`` when Chinese characters outnumber a tenth of the Latin letters, else ``en``.

    Only the first 3,000 characters are counted. Returns None for text with neither.
    """
    sample = text[:3_000]
    cjk = len(_CJK_RE.findall(sample))
    latin = len(_LATIN_RE.findall(sample))
    if cjk == 0 and latin == 0:
        return None
    return "zh" if cjk * 10 >= latin else "en"


def load_claim_finder() -> ClaimFinder | None:
    """``txaudit.extract.extract_claims`` when the extract part is installed, else None."""
    import importlib

    try:
        module = importlib.import_module("txaudit.extract")
    except ImportError:
        return None
    finder = getattr(module, "extract_claims", None)
    return finder if callable(finder) else None


@dataclass(frozen=True)
class DeriveOptions:
    """How kept documents are turned into text and claims."""

    limits: Limits
    extract: bool = True
    matcher: Any = None


def _kind(doc: Document) -> str:
    media = (doc.media_type or "").lower()
    head = doc.data[:1024]
    if head.lstrip()[:5] == b"%PDF-" or media == "application/pdf":
        return "pdf"
    if media in _HTML_TYPES or (not media and b"<html" in head.lower()):
        return "html"
    if media.startswith(_TEXT_TYPES):
        return "text"
    return "other"


def derive(doc: Document, options: DeriveOptions, finder: ClaimFinder | None) -> RecordResult:
    """The original's source, its derived text source, claims, and any quarantine entries.

    The original is always kept (it passed the read limits). Text is derived from
    HTML, PDF and plain-text documents; when that is refused (binary data under a
    text label, markup nested past ``max_html_depth``, text longer than
    ``max_text_chars``, a PDF beyond its limits, a timeout) the reason is
    quarantined and no text is derived.
    """
    result = RecordResult(documents=[doc])
    kind = _kind(doc)
    if kind == "other":
        return result
    limits = options.limits
    try:
        with time_limit(limits.max_seconds_per_record):
            text_doc = _derive_text(doc, kind, limits, result)
    except RecordTimeout as exc:
        result.quarantined.append(Quarantined(doc.origin, str(exc), stage="limit"))
        return result
    except RecursionError:
        result.quarantined.append(
            Quarantined(doc.origin, "markup too deeply nested to parse", stage="html")
        )
        return result
    if text_doc is None:
        return result
    if text_doc.data != doc.data:
        result.documents.append(text_doc)
    if options.extract and finder is not None:
        _extract(text_doc, doc, options, finder, result)
    return result


def _refuse(result: RecordResult, doc: Document, reason: str, stage: str, limits: Limits) -> None:
    data = doc.data if len(doc.data) <= limits.max_quarantine_bytes else None
    result.quarantined.append(Quarantined(doc.origin, reason, stage=stage, data=data))


def _derive_text(
    doc: Document, kind: str, limits: Limits, result: RecordResult
) -> Document | None:
    title: str | None = None
    if kind == "pdf":
        try:
            pdf = pdf_text(doc.data, limits)
        except (PdfLimitError, PdfReadError) as exc:
            _refuse(result, doc, str(exc), "pdf", limits)
            return None
        for page, reason in sorted(pdf.failed_pages.items()):
            result.quarantined.append(
                Quarantined(doc.origin, f"PDF page {page} not read: {reason}", stage="pdf")
            )
        if pdf.empty_pages:
            pages = ", ".join(str(p) for p in pdf.empty_pages)
            result.quarantined.append(
                Quarantined(
                    doc.origin,
                    f"PDF pages with no extractable text (scanned images?): {pages} "
                    f"of {len(pdf.pages)}; they need OCR to be read",
                    stage="pdf",
                )
            )
        text, charset, title = pdf.text, None, pdf.title
    else:
        if looks_binary(doc.data) and not doc.data.startswith((b"\xff\xfe", b"\xfe\xff")):
            _refuse(
                result, doc, f"binary data labelled {doc.media_type or 'text'}", "decode", limits
            )
            return None
        if kind == "html":
            # a page with fewer tags than the limit cannot nest deeper than it
            if (doc.data.count(b"<") > limits.max_html_depth
                    and nesting_depth(doc.data, limits.max_html_depth) > limits.max_html_depth):
                _refuse(
                    result,
                    doc,
                    f"markup nested deeper than max_html_depth={limits.max_html_depth}",
                    "html",
                    limits,
                )
                return None
        decoded = decode_bytes(doc.data, doc.charset, html=kind == "html")
        charset = decoded.charset
        doc.charset = charset
        if kind == "html":
            title = title_of(decoded.text)
            text, _method = html_to_text(decoded.text, url=doc.url)
        else:
            text = decoded.text
    if len(text) > limits.max_text_chars:
        _refuse(
            result,
            doc,
            f"derived text of {len(text)} characters exceeds "
            f"max_text_chars={limits.max_text_chars}",
            "text",
            limits,
        )
        return None
    if not text.strip():
        return None
    lang = guess_lang(text)
    doc.title = doc.title or title
    doc.lang = doc.lang or lang
    encoded = text.encode("utf-8")
    if encoded == doc.data:
        # the original already is UTF-8 plain text: it is its own text source
        return Document(data=encoded, origin=doc.origin, media_type=doc.media_type)
    return Document(
        data=encoded,
        origin=doc.origin,
        url=doc.url,
        media_type="text/plain",
        retrieved_at=doc.retrieved_at,
        charset="utf-8",
        lang=lang,
        title=title,
        archive_url=doc.archive_url,
        parent_sha256=doc.sha256,
    )


def _extract(
    text_doc: Document,
    original: Document,
    options: DeriveOptions,
    finder: ClaimFinder,
    result: RecordResult,
) -> None:
    text = text_doc.data.decode("utf-8")
    date = original.retrieved_at.date() if original.retrieved_at else None
    try:
        claims = finder(
            text,
            lang=text_doc.lang or original.lang,
            document_date=date,
            source_sha256=sha256_hex(text_doc.data),
            matcher=options.matcher,
        )
    except Exception as exc:
        # a bug in the claim finder must not stop a crawl; the record is kept
        # and the failure is on record for the extract part's owner to see
        result.quarantined.append(
            Quarantined(original.origin, f"claim extraction failed: {exc!r}"[:500], "extract")
        )
        return
    result.claims.extend(c.to_dict() if hasattr(c, "to_dict") else dict(c) for c in claims)
