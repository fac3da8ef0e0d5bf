"""Formula conformance: does a series fit a simple formula more closely than real counts do?

Statistic: ``1 - R^2 = SSR / D`` of the least-squares fit of the tested form (by default
the one-parameter quadratic ``y = a t^2``, ``t = 1`` in the first year) to the annual
values, or to the cumulative values for the cumulative variant. ``D`` is ``sum y^2`` for
a form without intercept (the uncentred R^2 that statsmodels and spreadsheet trend lines
report for such a model) and ``sum (y - mean y)^2`` otherwise. It is scale-free, so
series of different sizes and real national series can be compared directly, and it is
the quantity Robertson, Hinde & Lavee (2019) compared with other countries.

Why not the centred R^2 for ``a t^2``: when a formula misses the shape (SSR larger than
the centred sum of squares), extra noise inflates the centred denominator faster than
SSR, so a *noisier* series would look like a *closer* fit and the bootstrap would flag
it. With the definitions above ``SSR <= D`` always, and adding noise can only raise
``1 - R^2``. Small values mean a close fit; every p-value below is a lower tail: the
chance of a fit at least this close.

Three calibrations:

* **Poisson bootstrap.** A general quadratic trend ``mu`` is fitted to the annual
  counts (it contains the tested form, so a series that truly follows the formula is
  not penalised); replicate annual series are drawn as ``Poisson(mu)`` (cumulated for
  the cumulative variant), refitted, and ``p = (1 + #{s* <= s}) / (R + 1)``. Counts of
  independent events vary at least this much, so a series smoother than Poisson noise
  allows stands out under the mildest noise assumption.
* **Negative-binomial bootstrap.** The same with ``Var y = mu + phi mu^2``, ``phi`` the
  median overdispersion of the reference panel around local quadratic trends.
* **Reference panel.** The weighted share of real national series (windows of the same
  years, the tested country left out) whose ``1 - R^2`` is at most the observed one.

The reported ``p_value`` is the largest of the three (an intersection-union test): a
series is flagged only when its fit is closer than Poisson noise, realistic
overdispersed noise *and* real national series would give, each at level ``alpha``.
This keeps the false-alarm rate at most ``alpha`` whichever null is right, at the cost
of some power; the three p-values are all reported in ``details``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from txaudit.forensics.finding import Finding, skipped
from txaudit.forensics.fits import (
    LINEAR_FORMS,
    FitResult,
    design,
    fit_all,
    one_minus_r2_batch,
    time_index,
)
from txaudit.forensics.inputs import SeriesData, annual_and_cumulative
from txaudit.forensics.panel import ReferencePanel

MIN_YEARS = 6
_NEUTRAL = (
    "A close fit is a statistical pattern, not an explanation: planned targets, figures "
    "estimated or smoothed by the publisher, and chance can all produce it."
)


def _form_label(form: str) -> str:
    return {
        "quadratic1": "a one-parameter quadratic (y = a t^2)",
        "quadratic": "a general quadratic",
        "linear": "a straight line",
        "cubic": "a cubic",
    }[form]


def simulate_counts(
    mu: np.ndarray, replicates: int, rng: np.random.Generator, phi: float = 0.0
) -> np.ndarray:
    """``replicates`` x ``len(mu)`` counts: Poisson(mu), or negative binomial when ``phi > 0``.

    The negative binomial is drawn as a gamma-Poisson mixture, ``lambda ~ Gamma(1/phi,
    phi mu)``, ``y ~ Poisson(lambda)``, so that ``E y = mu`` and ``Var y = mu + phi mu^2``.
    """
    shape = (replicates, mu.size)
    if phi <= 0:
        return rng.poisson(np.broadcast_to(mu, shape)).astype(float)
    lam = rng.gamma(1.0 / phi, np.broadcast_to(phi * mu, shape))
    return rng.poisson(lam).astype(float)


def formula_conformance(
    series: SeriesData,
    *,
    kind: str = "annual",
    cumulative: bool = False,
    form: str = "quadratic1",
    panel: ReferencePanel | None = None,
    dispersion: float | None = None,
    alpha: float = 0.05,
    replicates: int = 2000,
    seed: int | None = 0,
    t0: int = 1,
    rng: np.random.Generator | None = None,
) -> Finding:
    """Test whether ``series`` fits ``form`` more closely than real counts would.

    ``kind`` says what ``series`` holds (annual counts or a cumulative total);
    ``cumulative=True`` tests the fit to the cumulative values instead of the annual
    ones. ``dispersion`` overrides the panel's negative-binomial ``phi``. See the module
    docstring for the statistic and the three calibrations.
    """
    test = "formula_conformance_cumulative" if cumulative else "formula_conformance"
    inputs = [series.source()]
    if form not in LINEAR_FORMS:
        return skipped(test, inputs, f"form {form!r} is not one of {sorted(LINEAR_FORMS)}", alpha)
    annual, cum = annual_and_cumulative(series, kind)
    target = cum if cumulative else annual
    n = series.n
    fits = fit_all(series.years, target, t0) if n >= 3 else {}
    if n < MIN_YEARS:
        finding = skipped(
            test,
            inputs,
            f"needs at least {MIN_YEARS} years to calibrate a fit; the series has {n}",
            alpha,
        )
        finding.details["fits"] = {k: v.to_dict() for k, v in fits.items()}
        finding.warnings = list(series.warnings)
        return finding
    if (annual < 0).any() and not cumulative:
        return skipped(
            test,
            inputs,
            "the cumulative total decreases, so the annual counts it implies are negative",
            alpha,
        )
    if float(np.var(target)) == 0.0:
        return skipped(test, inputs, "the values do not vary, so no fit can be judged", alpha)

    rng = rng or np.random.default_rng(seed)
    t = time_index(series.years, t0)
    x_form = design(form, t)
    observed = float(one_minus_r2_batch(x_form, target[None, :])[0])
    null_form = "cubic" if form == "cubic" else "quadratic"
    x_null = design(null_form, t)
    beta, *_ = np.linalg.lstsq(x_null, annual, rcond=None)
    mu = np.maximum(x_null @ beta, 0.5)

    phi = dispersion if dispersion is not None else (panel.dispersion() if panel else None)
    caveats = [_NEUTRAL]
    p_values: dict[str, float | None] = {}
    medians: dict[str, float | None] = {}
    for label, noise in (("poisson", 0.0), ("negative_binomial", phi)):
        if noise is None:
            p_values[label] = None
            medians[label] = None
            continue
        sims = simulate_counts(mu, replicates, rng, noise)
        if cumulative:
            sims = np.cumsum(sims, axis=1)
        stats = one_minus_r2_batch(x_form, sims)
        p_values[label] = float((1 + np.count_nonzero(stats <= observed)) / (replicates + 1))
        medians[label] = float(np.median(stats))
    if phi is None:
        caveats.append("no reference panel or dispersion given: the negative-binomial check "
                       "was not run")

    panel_p = panel_share = None
    panel_runs = 0
    panel_median = None
    if panel is not None:
        offsets = (series.years - series.years[0]).astype(int)
        span = int(offsets[-1]) + 1

        def _stat(windows: np.ndarray) -> np.ndarray:
            w = windows[:, offsets]
            if cumulative:
                w = np.cumsum(w, axis=1)
            return one_minus_r2_batch(x_form, w)

        key = ("conformance", form, t0, cumulative, tuple(offsets.tolist()))
        panel_p, panel_share, panel_runs = panel.lower_tail_p(
            observed, key, span, _stat, exclude_country=series.country
        )
        ref, _, _ = panel.reference(key, span, _stat)
        panel_median = float(np.median(ref)) if ref.size else None
        if panel_p is None:
            caveats.append(
                f"the reference panel has no runs of {span} consecutive years; "
                "only the bootstrap calibrations were used"
            )
        elif panel_runs < 20:
            caveats.append(f"only {panel_runs} reference series are long enough for comparison")
    p_values["panel"] = panel_p
    available = [p for p in p_values.values() if p is not None]
    p_value = max(available)
    flagged = p_value <= alpha
    if n < 9:
        caveats.append(f"{n} years is a short series: the calibrated test has little power")

    reference_median = panel_median if panel_median is not None else medians["negative_binomial"]
    if reference_median is None:
        reference_median = medians["poisson"]
    effect = (
        float(np.log10(reference_median / observed))
        if observed > 0 and reference_median and reference_median > 0
        else (float("inf") if observed == 0 else None)
    )
    values_word = "cumulative values" if cumulative else "annual values"
    label = _form_label(form)
    if panel_share is not None:
        closer = 100.0 * (1.0 - panel_share)
        comparison = f"more closely than {closer:.0f}% of real national series of the same length"
    else:
        comparison = "compared with simulated counts only"
    stats_text = f"1 - R^2 = {observed:.2g}; p = {p_value:.3g}"
    if flagged:
        verdict = (
            f"The {values_word} fit {label} {comparison}, and more closely than counts "
            f"with realistic noise around a smooth trend would ({stats_text}): unusually "
            "close at the chosen level."
        )
    elif panel_p is not None and panel_p <= alpha:
        verdict = (
            f"The {values_word} fit {label} {comparison}, but no more closely than counts "
            f"with realistic noise around their own smooth trend would ({stats_text}): not "
            "unusually close at the chosen level."
        )
    else:
        verdict = f"The {values_word} fit {label} {comparison} ({stats_text}): not unusually close."
    fits_dict = {k: v.to_dict() for k, v in fits.items()}
    tested: FitResult = fits[form]
    centring = (
        "centred" if 0 in LINEAR_FORMS[form][1] else "uncentred, as for any form without intercept"
    )
    explanation = (
        f"Least-squares fit of {LINEAR_FORMS[form][0]} to the {values_word}, t = 1 in "
        f"{int(series.years[0])}. The statistic is 1 - R^2 (share of the sum of squares "
        f"the formula leaves unexplained; {centring}). p-values are lower tails: the chance "
        f"of a fit at least this close under Poisson noise ({_fmt(p_values['poisson'])}), "
        f"negative-binomial noise with panel dispersion ({_fmt(p_values['negative_binomial'])}) "
        f"around a smooth quadratic trend ({replicates} replicates each), and among real "
        f"national series ({_fmt(panel_p)}); the reported p is the largest."
    )
    details: dict[str, Any] = {
        "form": form,
        "t0": t0,
        "values": "cumulative" if cumulative else "annual",
        "one_minus_r2": observed,
        "p_values": p_values,
        "bootstrap_median_one_minus_r2": medians,
        "panel_median_one_minus_r2": panel_median,
        "panel_runs": panel_runs,
        "panel_share_at_most": panel_share,
        "dispersion_phi": phi,
        "replicates": replicates,
        "seed": seed,
        "null_trend": null_form,
        "fits": fits_dict,
    }
    if panel is not None:
        details["panel"] = panel.label
        details["panel_cited_urls"] = list(panel.cited_urls)
    return Finding(
        test=test,
        inputs=inputs,
        statistic=observed,
        statistic_name="1 - R^2",
        p_value=p_value,
        effect_size=effect,
        effect_size_name="log10(reference median 1 - R^2 / observed 1 - R^2)",
        alpha=alpha,
        flagged=flagged,
        verdict=verdict,
        explanation=explanation,
        caveats=caveats,
        warnings=list(series.warnings),
        chart={
            "years": series.years.tolist(),
            "observed": target.tolist(),
            "fitted": tested.fitted.tolist(),
        },
        details=details,
    )


def _fmt(p: float | None) -> str:
    return "not run" if p is None else f"p = {p:.3g}"


__all__ = ["formula_conformance", "simulate_counts"]
