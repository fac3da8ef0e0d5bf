"""Decode web pages whose declared charset cannot be trusted.

Chinese sites often declare ``GB2312`` while serving characters only GBK or
GB18030 has, declare nothing at all, or serve Big5. The order used here is:

1. a byte-order mark (UTF-8, UTF-16) wins outright;
2. the HTTP ``Content-Type`` charset, then the page's ``<meta charset>``;
   each is widened to its superset (GB2312/GBK → GB18030, Big5 → Big5-HKSCS,
   ISO-8859-1/ASCII → Windows-1252, as browsers do) and kept only if the bytes
   decode strictly;
3. strict UTF-8;
4. detection by ``charset-normalizer`` on the first 64 KB;
5. GB18030, then UTF-8 with replacement characters, as a last resort.

The result records which rule decided, so a reviewer can see how the text was read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_META_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{2,40})""", re.IGNORECASE
)

#: declared name (normalised by codecs) -> the superset actually decoded with
_WIDEN = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "hz": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "latin_1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the codec used and the rule that chose it."""

    text: str
    charset: str
    how: str  # bom | http | meta | utf-8 | detected | fallback


def normalise_charset(name: str | None) -> str | None:
    """Python codec for a declared charset, widened to its superset; None if unknown."""
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return _WIDEN.get(canonical, canonical)


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag within its first 4 KB."""
    match = _META_RE.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, http_charset: str | None = None, *, html: bool = True) -> Decoded:
    """Decode ``data`` following the order in the module docstring."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(codec, "replace"), codec, "bom")
    declared: list[tuple[str | None, str]] = [(normalise_charset(http_charset), "http")]
    if html:
        declared.append((normalise_charset(meta_charset(data)), "meta"))
    for name, how in declared:
        if name is None:
            continue
        text = _strict(data, name)
        if text is not None:
            return Decoded(text, name, how)
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", "utf-8")
    detected = _detect(data[:65536])
    if detected is not None:
        text = _strict(data, detected)
        if text is None and len(data) > 65536:
            # the sample decoded; a stray bad byte later should not lose the page
            text = data.decode(detected, "replace")
        if text is not None:
            return Decoded(text, detected, "detected")
    text = _strict(data, "gb18030")
    if text is not None:
        return Decoded(text, "gb18030", "fallback")
    return Decoded(data.decode("utf-8", "replace"), "utf-8", "fallback")


def _detect(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        return None
    return normalise_charset(best.encoding)
