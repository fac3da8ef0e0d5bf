"""Test helper: Chinese numerals rendered independently of the parser under test."""

from __future__ import annotations

_DIGIT = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Render 0 <= n < 10**12 in standard Chinese numerals, written independently of the parser.

    Sections of four digits joined by 亿 and 万; inside a section 千/百/十 follow each
    non-zero digit, and one 零 stands for any run of zeros between non-zero digits
    (also across a section boundary). A leading 一十 is written 十.
    """
    if n == 0:
        return "零"

    def section(v: int) -> str:
        out = ""
        zero = False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = v // unit % 10
            if digit == 0:
                zero = bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            out += _DIGIT[digit] + name
        return out

    parts = []
    groups = [(n // 10**8) % 10**4, (n // 10**4) % 10**4, n % 10**4]
    names = ["亿", "万", ""]
    started = False
    pending_zero = False
    for value, name in zip(groups, names, strict=True):
        if value == 0:
            pending_zero = started
            continue
        if started and (pending_zero or value < 1000):
            parts.append("零")
        parts.append(section(value) + name)
        started = True
        pending_zero = False
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text
