"""Turn prepared units into arrays for the Monte Carlo: fusion, imputation, universe.

Every estimate is linear in the logs of the parameters:

    log V_row = a_row + D_row · log(theta)  [ - log S_row(growth) ]

so precision-weighted fusion in log space is linear too. For a hospital-organ
unit with rows ``k`` of log variance ``v_k`` (weights ``w_k = 1 / v_k``)::

    m_unit(theta) = sum_k (w_k / W) log V_k(theta),   s_unit^2 = 1 / W,   W = sum_k w_k

and one draw of the unit's volume is ``exp(m_unit(theta) + s_unit z)``.

Imputed units (no usable evidence) take the mean of their peers' ``m`` (peer
group: same organ, then category, tier, province, widening until ``min_peers``
are found), times the ``unreported_volume_ratio`` assumption when the model
has one (hospitals that publish no evidence may be smaller than those that do),
and a spread ``sigma^2 (1 + 1/n)`` where ``sigma`` is the model's
``between_hospital_log_sd``. Evidence units are pooled toward the same peer
mean with weight ``lambda = s^2 / (s^2 + sigma^2)`` (partial pooling), and
their spread becomes ``s^2 sigma^2 / (s^2 + sigma^2)``. Hospitals of the
universe that are not listed at all are "virtual": per universe group and organ,
``n = count x participation - listed`` hospitals, summed by the central limit
theorem (see :mod:`.montecarlo`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from txaudit.estimate.base import Note
from txaudit.estimate.distributions import Distribution
from txaudit.estimate.model import Model
from txaudit.estimate.prepare import Unit


@dataclass
class VirtualGroup:
    """Universe hospitals not listed in the hospital table, for one group and organ."""

    group: str
    organ: str
    organ_index: int
    a: float
    d: np.ndarray  # (J,)
    wc: np.ndarray  # (Rc,)
    sigma2: float
    n_peers: int
    count_col: int
    part_col: int
    listed: int  # listed hospitals of the group active for the organ
    listed_total: int  # listed hospitals of the group active for any organ


@dataclass
class Plan:
    """Everything the Monte Carlo needs for one year, as arrays."""

    year: int
    fusion: str
    keys: list[str]
    dists: list[Distribution]
    units: list[Unit]
    organ_index: np.ndarray  # (U,)
    organs: tuple[str, ...]
    a: np.ndarray  # (U,) fused constant
    d: np.ndarray  # (U, J) fused exponents
    s2: np.ndarray  # (U,) log variance of a unit draw
    wc: np.ndarray  # (Rc, U) weight of each cumulative row in each unit
    spread_first: np.ndarray  # (Rc,)
    spread_last: np.ndarray
    spread_frac: np.ndarray
    spread_growth_col: np.ndarray
    # row-level arrays (for min / median / max fusion)
    row_unit: np.ndarray  # (R,)
    row_a: np.ndarray
    row_d: np.ndarray  # (R, J)
    row_var: np.ndarray
    row_spread: np.ndarray  # (R,) index into spread arrays, -1 if none
    evidence_units: np.ndarray  # indices of units with rows
    imputed_units: np.ndarray
    virtual: list[VirtualGroup] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    #: organs whose total misses hospitals that could not be imputed
    incomplete: set[str] = field(default_factory=set)
    log_ok: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    @property
    def d_t(self) -> np.ndarray:
        """``d`` transposed and contiguous (J, U), for fast products."""
        cached = self.__dict__.get("_d_t")
        if cached is None:
            cached = np.ascontiguousarray(self.d.T)
            self.__dict__["_d_t"] = cached
        return cached  # type: ignore[no-any-return]

    @property
    def d_t32(self) -> np.ndarray:
        """``d_t`` in float32, for the Monte Carlo's float32 log-means."""
        cached = self.__dict__.get("_d_t32")
        if cached is None:
            cached = self.d_t.astype(np.float32)
            self.__dict__["_d_t32"] = cached
        return cached  # type: ignore[no-any-return]

    @property
    def d_runs(self) -> tuple[np.ndarray, np.ndarray]:
        """Runs of neighbouring units with identical exponent rows ``d``.

        ``(starts, rows)``: run ``k`` begins at unit ``starts[k]`` (and ends where
        the next begins) and shares the row ``rows[k]`` (K, J). Hospitals with
        identical distributions (e.g. imputed from one peer group) then need
        their log-means computed once per run, not once per unit.
        """
        cached = self.__dict__.get("_d_runs")
        if cached is None:
            if len(self.d):
                change = np.any(self.d[1:] != self.d[:-1], axis=1)
                starts = np.concatenate([[0], np.flatnonzero(change) + 1])
            else:
                starts = np.zeros(0, dtype=np.int64)
            cached = (starts, np.ascontiguousarray(self.d[starts]))
            self.__dict__["_d_runs"] = cached
        return cached  # type: ignore[no-any-return]

    def organ_slices(self) -> list[slice]:
        """Column range of each organ's units (units are sorted by organ)."""
        edges = np.searchsorted(self.organ_index, np.arange(len(self.organs) + 1))
        return [slice(int(edges[o]), int(edges[o + 1])) for o in range(len(self.organs))]

    @property
    def n_params(self) -> int:
        return len(self.keys)

    def central_values(self) -> np.ndarray:
        """Median of every parameter, as one row ``(1, J)``."""
        return np.array([[d.median() for d in self.dists]])


def build_plan(model: Model, units: list[Unit], year: int) -> Plan:
    """Arrays for ``year`` from prepared ``units`` (see the module docstring)."""
    notes: list[Note] = []
    keys_set: set[str] = set()
    for u in units:
        for r in u.rows:
            keys_set.update(r.exponents)
            if r.spread is not None:
                keys_set.add(r.spread[3])
    # universe groups and organ participation
    virtual_specs: list[tuple[str, str, str, str]] = []
    for g in model.universe:
        count = model.find("universe_count", None, g.name, year)
        if count is None:
            notes.append(Note("no_universe_count",
                              f"universe group {g.name!r} has no universe_count; only its "
                              "listed hospitals are counted", year=year))
            continue
        for organ in model.organs:
            part = model.find("organ_participation", organ, g.name, year)
            if part is None:
                notes.append(Note("no_participation",
                                  f"no organ_participation for {g.name!r}, {organ}; its unlisted "
                                  "hospitals are not counted", year=year))
                continue
            if part.dist.support()[1] <= 0:
                continue
            keys_set.update([count.key, part.key])
            virtual_specs.append((g.name, organ, count.key, part.key))
    # volume of hospitals without evidence relative to their peers with evidence
    ratio_keys: dict[tuple[str, str], str] = {}
    for u in units:
        if not u.rows:
            found = model.find("unreported_volume_ratio", u.organ, u.group, year)
            if found is not None:
                ratio_keys[(u.organ, u.group)] = found.key
    for gname, organ, _, _ in virtual_specs:
        found = model.find("unreported_volume_ratio", organ, gname, year)
        if found is not None:
            ratio_keys[(organ, gname)] = found.key
    keys_set.update(ratio_keys.values())
    keys = sorted(keys_set)
    col = {k: i for i, k in enumerate(keys)}
    dists = [model.parameter(k).dist for k in keys]
    log_ok = np.array([d.positive() for d in dists], dtype=bool)
    n_j = len(keys)
    organ_pos = {o: i for i, o in enumerate(model.organs)}
    # units of one organ side by side, so national sums are sums of column slices
    units = sorted(units, key=lambda u: (organ_pos[u.organ], u.hospital_id))

    # rows
    rows = [(ui, r) for ui, u in enumerate(units) for r in u.rows]
    spread_rows = [(ri, r) for ri, (_, r) in enumerate(rows) if r.spread is not None]
    n_r, n_c, n_u = len(rows), len(spread_rows), len(units)
    row_unit = np.array([ui for ui, _ in rows], dtype=np.int64)
    row_a = np.array([r.log_const for _, r in rows], dtype=float)
    row_var = np.array([r.log_var for _, r in rows], dtype=float)
    row_d = np.zeros((n_r, n_j))
    for ri, (_, r) in enumerate(rows):
        for key, power in r.exponents.items():
            row_d[ri, col[key]] = power
    row_spread = np.full(n_r, -1, dtype=np.int64)
    spread_first = np.zeros(n_c, dtype=np.int64)
    spread_last = np.zeros(n_c, dtype=np.int64)
    spread_frac = np.zeros(n_c)
    spread_growth = np.zeros(n_c, dtype=np.int64)
    for ci, (ri, r) in enumerate(spread_rows):
        assert r.spread is not None
        row_spread[ri] = ci
        spread_first[ci], spread_last[ci], spread_frac[ci] = r.spread[:3]
        spread_growth[ci] = col[r.spread[3]]

    # precision-weighted fusion per unit
    w = 1.0 / row_var if n_r else np.zeros(0)
    wsum = np.bincount(row_unit, weights=w, minlength=n_u) if n_r else np.zeros(n_u)
    wt = w / wsum[row_unit] if n_r else w
    a = np.bincount(row_unit, weights=wt * row_a, minlength=n_u) if n_r else np.zeros(n_u)
    d = np.zeros((n_u, n_j))
    if n_r:
        np.add.at(d, row_unit, wt[:, None] * row_d)
    wc = np.zeros((n_c, n_u))
    for ci, (ri, _) in enumerate(spread_rows):
        wc[ci, row_unit[ri]] += wt[ri]
    s2 = np.where(wsum > 0, 1.0 / np.where(wsum > 0, wsum, 1.0), np.nan)

    evidence = np.array([i for i, u in enumerate(units) if u.rows], dtype=np.int64)
    imputed = np.array([i for i, u in enumerate(units) if not u.rows], dtype=np.int64)

    organ_index = np.array([organ_pos[u.organ] for u in units], dtype=np.int64)

    levels_full: list[tuple[str, ...]] = [
        ("category", "tier", "province"), ("category", "tier"), ("category",), ("group",), (),
    ]
    index: dict[tuple[object, ...], list[int]] = {}
    for e in evidence:
        ue = units[e]
        for level in levels_full:
            index.setdefault((ue.organ, level, *(getattr(ue, f) for f in level)), []).append(
                int(e))

    def peers_of(u: Unit | None, organ: str, group: str) -> list[int]:
        levels = levels_full if u is not None else levels_full[3:]
        found: list[int] = []
        for level in levels:
            values = tuple(getattr(u, f) if u is not None else group for f in level)
            found = index.get((organ, level, *values), [])
            if len(found) >= model.min_peers:
                return found
        return found

    means: dict[int, tuple[float, np.ndarray, np.ndarray]] = {}

    def peer_mean(peers: list[int]) -> tuple[float, np.ndarray, np.ndarray]:
        # peer lists are shared objects from the index: cache their means by identity
        key = id(peers)
        if key not in means:
            means[key] = (float(np.mean(a[peers])), d[peers].mean(axis=0),
                          wc[:, peers].mean(axis=1))
        return means[key]

    def spread_of(peers: list[int]) -> float:
        # A fixed, cited between-hospital spread (not estimated from the evidence):
        # estimating it would let more evidence of volume lower other hospitals'
        # estimates through a smaller spread, breaking monotonicity.
        return model.between_hospital_log_sd**2

    # Partial pooling: an evidence unit's fused estimate is a measurement of its
    # log volume; the peer group's spread is the prior. Combining them removes the
    # upward bias a flat prior gives sums of lognormal draws.
    if model.shrinkage and len(evidence):
        pooled = []
        for e in evidence:
            u = units[e]
            peers = peers_of(u, u.organ, u.group)
            if len(peers) < max(2, model.min_peers):
                continue
            tau2 = spread_of(peers)
            lam = s2[e] / (s2[e] + tau2)
            mu_a, mu_d, mu_wc = peer_mean(peers)
            pooled.append((int(e), lam, mu_a, mu_d, mu_wc, s2[e] * tau2 / (s2[e] + tau2)))
        means.clear()  # the pooled values below replace the raw ones
        for e, lam, mu_a, mu_d, mu_wc, post in pooled:
            a[e] = (1 - lam) * a[e] + lam * mu_a
            d[e] = (1 - lam) * d[e] + lam * mu_d
            wc[:, e] = (1 - lam) * wc[:, e] + lam * mu_wc
            s2[e] = post

    keep = np.ones(n_u, dtype=bool)
    incomplete: set[str] = set()
    for i in imputed:
        u = units[i]
        peers = peers_of(u, u.organ, u.group)
        if not peers:
            keep[i] = False
            incomplete.add(u.organ)
            notes.append(Note("no_peers",
                              f"no hospital has evidence for {u.organ} in {year}: cannot impute; "
                              "left out of the total", u.hospital_id, year=year))
            continue
        a[i], d[i], wc[:, i] = peer_mean(peers)
        ratio = ratio_keys.get((u.organ, u.group))
        if ratio is not None:
            d[i, col[ratio]] += 1.0
        s2[i] = spread_of(peers) * (1.0 + 1.0 / len(peers))

    virtual: list[VirtualGroup] = []
    for gname, organ, count_key, part_key in virtual_specs:
        peers = peers_of(None, organ, gname)
        listed = sum(1 for k, u in zip(keep, units, strict=True)
                     if k and u.group == gname and u.organ == organ)
        listed_total = len({u.hospital_id for k, u in zip(keep, units, strict=True)
                            if k and u.group == gname})
        if not peers:
            incomplete.add(organ)
            notes.append(Note("no_peers",
                              f"unlisted {gname} hospitals for {organ}: no hospital has evidence "
                              f"for {organ} in {year}; they are left out of the total", year=year))
            continue
        if len(index.get((organ, ("group",), gname), [])) < model.min_peers:
            notes.append(Note(
                "peers_widened",
                f"unlisted {gname} hospitals for {organ} are imputed from {len(peers)} hospitals "
                f"of all groups: fewer than {model.min_peers} {gname} hospitals have evidence",
                year=year))
        mu_a, mu_d, mu_wc = peer_mean(peers)
        ratio = ratio_keys.get((organ, gname))
        if ratio is not None:
            mu_d = mu_d.copy()
            mu_d[col[ratio]] += 1.0
        virtual.append(
            VirtualGroup(
                gname, organ, organ_pos[organ], mu_a, mu_d, mu_wc, spread_of(peers),
                len(peers), col[count_key], col[part_key], listed, listed_total,
            )
        )

    # drop units that could not be imputed (kept in notes)
    if not keep.all():
        remap = -np.ones(n_u, dtype=np.int64)
        remap[keep] = np.arange(int(keep.sum()))
        units = [u for k, u in zip(keep, units, strict=True) if k]
        a, d, s2, wc = a[keep], d[keep], s2[keep], wc[:, keep]
        organ_index = organ_index[keep]
        row_unit = remap[row_unit]
        evidence = remap[evidence]
        imputed = remap[imputed[keep[imputed]]]
    return Plan(
        year=year, fusion=model.fusion, keys=keys, dists=dists, units=units,
        organ_index=organ_index, organs=model.organs, a=a, d=d, s2=s2, wc=wc,
        spread_first=spread_first, spread_last=spread_last, spread_frac=spread_frac,
        spread_growth_col=spread_growth, row_unit=row_unit, row_a=row_a, row_d=row_d,
        row_var=row_var, row_spread=row_spread, evidence_units=evidence,
        imputed_units=imputed, virtual=virtual, notes=notes,
        log_ok=log_ok, incomplete=incomplete,
    )


def _spread_logs(
    first: np.ndarray, last: np.ndarray, frac: np.ndarray, growth: np.ndarray, year: int
) -> np.ndarray:
    """``-log S`` for each draw (rows of ``growth``) and cumulative row (columns).

    ``S = sum_t f_t (1 + g)^(t - year)``; see :func:`txaudit.estimate.base.spread_sum`.
    """
    n = growth.shape[0]
    out = np.zeros((n, len(first)))
    if len(first) == 0:
        return out
    lo, hi = int(first.min()), int(last.max())
    base = 1.0 + growth
    for t in range(lo, hi + 1):
        share = np.where(t == last, frac, 1.0) * ((first <= t) & (t <= last))
        out += share[None, :] * base ** (t - year)
    return -np.log(out)


def sample_parameters(plan: Plan, u: np.ndarray) -> np.ndarray:
    """Map uniforms ``(n, J)`` onto every parameter's distribution.

    Universe counts and participation are conditioned on the listed hospitals:
    a group's count is drawn from its prior truncated below at the number of its
    listed hospitals, and the participation for an organ from its prior
    truncated below at ``listed for the organ / count``. The evidence never
    shows fewer hospitals than the universe holds.
    """
    out = np.empty_like(u)
    for j, dist in enumerate(plan.dists):
        out[:, j] = dist.ppf(u[:, j])
    count_bound: dict[int, float] = {}
    for g in plan.virtual:
        count_bound[g.count_col] = max(count_bound.get(g.count_col, 0.0), float(g.listed_total))
    for col, bound in count_bound.items():
        if bound > 0:
            out[:, col] = plan.dists[col].ppf_above(u[:, col], np.full(u.shape[0], bound))
    part_bound: dict[int, np.ndarray] = {}
    for g in plan.virtual:
        if g.listed <= 0:
            continue
        need = g.listed / np.maximum(out[:, g.count_col], 1e-12)
        prev = part_bound.get(g.part_col)
        part_bound[g.part_col] = need if prev is None else np.maximum(prev, need)
    for col, lower in part_bound.items():
        out[:, col] = plan.dists[col].ppf_above(u[:, col], lower)
    return out


def log_theta(plan: Plan, values: np.ndarray) -> np.ndarray:
    """Logs of parameter values, zero in columns that never enter in log form."""
    safe = np.where(plan.log_ok[None, :], values, 1.0)
    return np.where(plan.log_ok[None, :], np.log(safe), 0.0)


def unit_means(plan: Plan, values: np.ndarray) -> np.ndarray:
    """Fused log-mean ``m`` of every unit for parameter rows ``values`` (n, J) -> (n, U)."""
    lt = log_theta(plan, values)
    out = lt @ plan.d_t
    out += plan.a[None, :]
    if plan.wc.shape[0]:
        cum = _spread_logs(plan.spread_first, plan.spread_last, plan.spread_frac,
                           values[:, plan.spread_growth_col], plan.year)
        out += cum @ plan.wc
    return out


def virtual_counts(plan: Plan, values: np.ndarray) -> np.ndarray:
    """Unlisted hospitals per virtual group for each parameter row: (n, G)."""
    if not plan.virtual:
        return np.zeros((values.shape[0], 0))
    cols = [values[:, g.count_col] * values[:, g.part_col] - g.listed for g in plan.virtual]
    return np.maximum(np.stack(cols, axis=1), 0.0)


def expected_totals(plan: Plan, values: np.ndarray) -> np.ndarray:
    """Expected national total per organ given parameters: (n, O).

    ``E[total | theta] = sum_u exp(m_u + s_u^2 / 2) + sum_g n_g exp(mu_g + sigma_g^2/2 (1 + 1/n))``.
    Used by sensitivity analysis (no hospital-level noise, so it is smooth in theta).
    """
    n_org = len(plan.organs)
    m = unit_means(plan, values)
    vol = np.exp(m + 0.5 * plan.s2[None, :])
    onehot = np.zeros((len(plan.units), n_org))
    onehot[np.arange(len(plan.units)), plan.organ_index] = 1.0
    total = vol @ onehot
    if plan.virtual:
        lt = log_theta(plan, values)
        counts = virtual_counts(plan, values)
        for gi, g in enumerate(plan.virtual):
            mu = g.a + lt @ g.d
            if plan.wc.shape[0]:
                cum = _spread_logs(plan.spread_first, plan.spread_last, plan.spread_frac,
                                   values[:, plan.spread_growth_col], plan.year)
                mu = mu + cum @ g.wc
            var = g.sigma2 * (1.0 + 1.0 / g.n_peers)
            total[:, g.organ_index] += counts[:, gi] * np.exp(mu + 0.5 * var)
    return total
