"""Formula fits against statsmodels OLS and scipy (independent references)."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from txaudit.forensics import fit_all, fit_exponential, fit_linear_form
from txaudit.forensics.fits import design, one_minus_r2_batch, time_index

YEARS = np.arange(2010, 2019)
# China-like growth with noise: deliberately not an exact formula.
VALUES = np.array([34.0, 160, 430, 720, 1300, 2766, 4080, 5146, 6302])


@pytest.mark.parametrize("form", ["linear", "quadratic", "cubic"])
def test_fits_with_intercept_equal_statsmodels_ols(form: str) -> None:
    """Reference: sm.OLS(y, X).fit() with X = [1, t, t^2, ...], t = 1..9."""
    fit = fit_linear_form(form, YEARS, VALUES)
    x = design(form, time_index(YEARS))
    ref = sm.OLS(VALUES, x).fit()
    np.testing.assert_allclose(list(fit.coefficients.values()), ref.params, rtol=1e-8)
    assert fit.r_squared == pytest.approx(ref.rsquared, rel=1e-10)
    assert fit.r_squared_centred == fit.r_squared
    assert fit.one_minus_r2 == pytest.approx(1 - ref.rsquared, rel=1e-8)
    assert fit.aic == pytest.approx(ref.aic, rel=1e-10)
    assert fit.bic == pytest.approx(ref.bic, rel=1e-10)
    assert fit.residual_sd == pytest.approx(np.sqrt(ref.mse_resid), rel=1e-10)


def test_one_parameter_quadratic_equals_statsmodels_without_constant() -> None:
    """statsmodels reports the uncentred R^2 for a model without constant, as we do; the
    centred one, 1 - SSR / sum (y - mean)^2, is computed here by hand from sm's SSR."""
    fit = fit_linear_form("quadratic1", YEARS, VALUES)
    t = time_index(YEARS)
    ref = sm.OLS(VALUES, (t**2)[:, None]).fit()
    assert fit.coefficients["a"] == pytest.approx(ref.params[0], rel=1e-10)
    assert fit.r_squared == pytest.approx(ref.rsquared, rel=1e-10)
    assert fit.one_minus_r2 == pytest.approx(ref.ssr / (VALUES**2).sum(), rel=1e-10)
    centred = 1 - ref.ssr / ((VALUES - VALUES.mean()) ** 2).sum()
    assert fit.r_squared_centred == pytest.approx(centred, rel=1e-10)
    assert fit.aic == pytest.approx(ref.aic, rel=1e-10)
    assert fit.bic == pytest.approx(ref.bic, rel=1e-10)
    # a = sum(y t^2) / sum(t^4), the closed form of the one-parameter fit
    assert fit.coefficients["a"] == pytest.approx((VALUES * t**2).sum() / (t**4).sum())


def test_one_minus_r2_never_falls_when_noise_is_added() -> None:
    """The property the calibration needs: with SSR <= denominator, adding independent
    noise cannot make a fit look closer on average (checked over 2,000 noise draws)."""
    x = design("quadratic1", time_index(YEARS))
    flat = np.full(9, 1000.0) + 30 * np.arange(9)  # a shape a t^2 misses badly
    base = one_minus_r2_batch(x, flat[None, :])[0]
    noisy = one_minus_r2_batch(x, flat + np.random.default_rng(2).normal(0, 60, (2000, 9)))
    assert noisy.mean() >= base
    assert 0 <= noisy.min() and noisy.max() <= 1


def test_time_starts_at_one_in_the_first_year_unless_told() -> None:
    assert time_index(YEARS).tolist()[:2] == [1.0, 2.0]
    assert time_index(YEARS, t0=0).tolist()[:2] == [0.0, 1.0]
    exact = 7.0 * (YEARS - 2009) ** 2
    assert fit_linear_form("quadratic1", YEARS, exact).coefficients["a"] == pytest.approx(7.0)


def test_exponential_fit_recovers_an_exact_exponential() -> None:
    y = 3.0 * np.exp(0.2 * time_index(YEARS))
    fit = fit_exponential(YEARS, y)
    assert fit is not None
    assert fit.coefficients["b"] == pytest.approx(3.0, rel=1e-6)
    assert fit.coefficients["c"] == pytest.approx(0.2, rel=1e-6)
    assert fit.r_squared == pytest.approx(1.0, abs=1e-10)


def test_fit_all_leaves_out_forms_with_no_residual_degree_of_freedom() -> None:
    assert set(fit_all(YEARS[:4], VALUES[:4])) == {
        "linear", "quadratic", "quadratic1", "exponential"
    }
    assert "cubic" in fit_all(YEARS, VALUES)


def test_batch_one_minus_r2_equals_row_by_row_fits(rng: np.random.Generator) -> None:
    rows = rng.poisson(500, size=(50, 9)).astype(float)
    x = design("quadratic1", time_index(YEARS))
    batch = one_minus_r2_batch(x, rows)
    assert np.all((batch >= 0) & (batch <= 1))
    single = [fit_linear_form("quadratic1", YEARS, r).one_minus_r2 for r in rows]
    np.testing.assert_allclose(batch, single, rtol=1e-9)
