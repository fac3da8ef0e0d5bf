"""Text from PDF files with pypdf, under limits that defuse decompression bombs.

Pages are separated by a form feed (``\\f``) in the derived text, so page ``n``
of a claim can be recovered by counting form feeds before its span. A page with
no extractable text (a scanned image, typically) keeps its place as an empty
segment and is reported, so a reviewer knows the document was not fully read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from txaudit.collect.model import Limits
from txaudit.errors import TxauditError


class PdfLimitError(TxauditError):
    """A PDF exceeded a configured limit (pages, inflated stream size)."""


class PdfReadError(TxauditError):
    """A PDF could not be parsed at all."""


@dataclass
class PdfText:
    """Text of each page and the (1-based) pages that yielded none or failed."""

    pages: list[str]
    empty_pages: list[int] = field(default_factory=list)
    failed_pages: dict[int, str] = field(default_factory=dict)
    title: str | None = None

    @property
    def text(self) -> str:
        """All pages, separated by form feeds."""
        return "\f".join(self.pages)


def pdf_text(data: bytes, limits: Limits) -> PdfText:
    """Extract the text of every page of the PDF in ``data``.

    Raises :class:`PdfLimitError` when the page count exceeds ``limits.max_pdf_pages``
    and :class:`PdfReadError` when the file cannot be opened. A page whose content
    stream inflates beyond ``limits.max_pdf_stream_bytes`` is recorded in
    ``failed_pages`` with the reason; the other pages are still read.
    """
    import pypdf
    from pypdf.errors import LimitReachedError, PyPdfError

    cap = limits.max_pdf_stream_bytes
    with pypdf.apply_configuration(
        zlib_maximum_output_length=cap,
        lzw_maximum_output_length=cap,
        run_length_maximum_output_length=cap,
        array_based_stream_maximum_output_length=cap,
        maximum_declared_stream_length=cap,
        brotli_maximum_output_length=cap,
    ):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            count = len(reader.pages)
        except LimitReachedError as exc:
            raise PdfLimitError(f"PDF structure exceeds a decompression limit: {exc}") from exc
        except (PyPdfError, ValueError, KeyError, TypeError, AssertionError, OSError) as exc:
            raise PdfReadError(f"PDF cannot be read: {type(exc).__name__}: {exc}") from exc
        if count > limits.max_pdf_pages:
            raise PdfLimitError(
                f"PDF has {count} pages, more than max_pdf_pages={limits.max_pdf_pages}"
            )
        result = PdfText(pages=[])
        try:
            meta = reader.metadata
            if meta is not None and meta.title:
                result.title = str(meta.title)[:500]
        except (PyPdfError, ValueError, KeyError, TypeError):
            result.title = None
        for number, page in enumerate(reader.pages, start=1):
            try:
                text = page.extract_text() or ""
            except LimitReachedError as exc:
                result.failed_pages[number] = f"content exceeds a decompression limit ({exc})"
                text = ""
            except Exception as exc:
                # pypdf raises a wide variety of errors on damaged pages; one bad
                # page must not lose the others.
                result.failed_pages[number] = f"{type(exc).__name__}: {exc}"[:300]
                text = ""
            if not text.strip() and number not in result.failed_pages:
                result.empty_pages.append(number)
            result.pages.append(text.replace("\f", "\n"))
    return result
