"""How numbers are written in reports.

Monte Carlo results are printed to a few significant figures: printing
64,873 when the 95% interval spans 48,000 to 91,000 would claim a precision
the evidence does not have. Official figures are printed as published.
"""

from __future__ import annotations

import math


def round_sig(x: float, digits: int) -> float:
    """``x`` rounded to ``digits`` significant figures (0 stays 0).

    >>> round_sig(64873, 2)
    65000.0
    """
    if x == 0 or not math.isfinite(x):
        return x
    magnitude = math.floor(math.log10(abs(x)))
    return round(x, digits - 1 - magnitude)


def fmt_int(x: float) -> str:
    """An exact count with thousands separators: ``10057`` → ``"10,057"``."""
    if not math.isfinite(x):
        return "n/a"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}"


def fmt_estimate(x: float, digits: int = 3) -> str:
    """A simulated quantity to ``digits`` significant figures: ``64873`` → ``"64,900"``.

    Values below ``10**(digits-1)`` keep the decimals their significant figures
    need, without trailing zeros (``3.14159`` → ``"3.14"``, ``0.5`` → ``"0.5"``).
    """
    if not math.isfinite(x):
        return "n/a"
    r = round_sig(float(x), digits)
    if abs(r) >= 10 ** (digits - 1) or r.is_integer():
        return f"{round(r):,}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(r))))
    # trailing zeros would claim digits that were rounded away: 0.500 → 0.5
    return f"{r:,.{decimals}f}".rstrip("0").rstrip(".")


def fmt_plain(x: float) -> str:
    """A number for a sentence: two significant figures (``64873`` → ``"65,000"``)."""
    return fmt_estimate(x, 2)


def fmt_ratio(x: float) -> str:
    """A ratio to two significant figures with a times sign: ``6.43`` → ``"6.4×"``."""
    return f"{fmt_estimate(x, 2)}×"


def fmt_p(p: float | None) -> str:
    """A p-value or probability: ``"<0.001"`` below a thousandth, else three decimals."""
    if p is None or not math.isfinite(p):
        return "n/a"
    if p < 0.001:
        return "<0.001"
    if p > 0.999:
        return ">0.999"
    return f"{p:.3f}"


def fmt_stat(x: float | None) -> str:
    """A test statistic to four significant figures."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if x != 0 and (abs(x) < 1e-3 or abs(x) >= 1e6):
        return f"{x:.3e}"
    return f"{round_sig(x, 4):g}"


def fmt_share(x: float) -> str:
    """A share of a whole as a percentage: ``0.0432`` → ``"4.3%"``."""
    if not math.isfinite(x):
        return "n/a"
    return f"{100 * x:.1f}%"


def p_phrase(p: float | None) -> str:
    """``p = 0.031``, ``p < 0.001`` or ``p > 0.999``: a p-value as said in a sentence."""
    text = fmt_p(p)
    return f"p {text[0]} {text[1:]}" if text[0] in "<>" else f"p = {text}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 hospital``, ``2 hospitals``: a count with its noun (thousands separated)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
