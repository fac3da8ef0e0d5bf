"""Vectorised Monte Carlo over blocks of draws, locally or on Dask.

Draws are cut into fixed blocks of :data:`BLOCK` draws. Block ``b`` of year ``y``
always uses the generator ``default_rng([seed, y, b])`` and draws its random
numbers in one fixed order (parameter uniforms, unit normals, virtual-group
normals, then row normals for bracketing rules). A *chunk* is a run of whole
blocks; results are combined block by block in block order. So the totals are
bit-identical whatever the chunk size, the number of workers, or whether Dask
runs them.

One draw of the national total for organ ``o``::

    T_o = sum_{units u of o} exp(m_u(theta) + s_u z_u)  +  sum_{virtual groups g of o} T_g

where a virtual group of ``n = count x participation - listed`` unlisted
hospitals adds, by the central limit theorem for a sum of ``n`` lognormals,
``T_g = max(0, n E + sqrt(n) SD z)`` with ``E = exp(mu + sigma^2/2)`` and
``SD = E sqrt(exp(sigma^2) - 1)``, its peer mean ``mu`` itself uncertain by
``sigma / sqrt(n_peers)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from txaudit.errors import ConfigError
from txaudit.estimate.plan import (
    Plan,
    _spread_logs,
    log_theta,
    sample_parameters,
    unit_means,
    virtual_counts,
)

#: draws per seeding block; chunk sizes are rounded up to whole blocks
BLOCK = 1024


@dataclass
class BlockResult:
    """What one block contributes: national draws, per-unit sums, kept unit draws."""

    index: int
    national: np.ndarray  # (n, O)
    unit_sum: np.ndarray  # (U,)
    unit_kept: np.ndarray  # (k, U), k = draws of this block below the keep limit
    virtual_sum: np.ndarray  # (G,)
    virtual_kept: np.ndarray  # (k, G)


def blocks(draws: int) -> list[tuple[int, int, int]]:
    """``(block index, first draw, draws in block)`` covering ``draws`` draws."""
    if draws <= 0:
        raise ConfigError(f"draws must be positive, got {draws}")
    return [(b, start, min(BLOCK, draws - start)) for b, start in
            enumerate(range(0, draws, BLOCK))]




def standard_normal32(rng: np.random.Generator, out: np.ndarray) -> np.ndarray:
    """Fill the float32 array ``out`` with independent standard normals (Box-Muller).

    ``z1 = r cos(t)``, ``z2 = r sin(t)`` with ``r = sqrt(-2 log(1 - u1))`` and
    ``t = 2 pi u2`` for independent uniforms ``u1``, ``u2``: an exact transform,
    so the normals are the same distribution as ``Generator.standard_normal``.
    It is used instead because it vectorises (SIMD ``log``/``sin``/``cos`` on
    uniforms), where numpy's ziggurat costs several times more per number.
    ``u1`` is a float64 uniform (53 bits) and ``1 - u1`` keeps its relative
    precision in float32, so the radius reaches 8.5 sd like a float64 sampler;
    the radius, angle and products are rounded to float32 (relative error about
    1e-7, far below the Monte Carlo error).
    """
    if not out.flags.c_contiguous:
        raise ValueError("standard_normal32 needs a C-contiguous output array")
    flat = out.reshape(-1)
    size = flat.shape[0]
    half = (size + 1) // 2
    r32 = np.empty(half, dtype=np.float32)
    # 1 - u1 is in (0, 1]; float32 keeps its relative precision down to 2^-53
    np.subtract(1.0, rng.random(half), out=r32, casting="same_kind")
    np.log(r32, out=r32)
    r32 *= np.float32(-2.0)
    np.sqrt(r32, out=r32)
    angle = rng.random(half, dtype=np.float32)
    angle *= np.float32(2.0 * np.pi)
    np.cos(angle, out=flat[:half])
    flat[:half] *= r32
    rest = size - half
    np.sin(angle[:rest], out=flat[half:])
    flat[half:] *= r32[:rest]
    return out


#: largest log-volume handled in float32 (exp(88.7) overflows float32)
_LOG_MAX32 = 80.0


def simulate_block(plan: Plan, seed: int, index: int, start: int, n: int, keep: int) -> BlockResult:
    """Draw block ``index`` (``n`` draws starting at draw ``start``).

    The per-unit work (``n x U`` normals, the log-mean, ``exp``) runs in
    float32 in place, and every sum accumulates in float64. Blocks whose
    log-volumes could overflow float32 take the same steps in float64.
    """
    rng = np.random.default_rng([seed, plan.year, index])
    n_u, n_o = len(plan.units), len(plan.organs)
    values = sample_parameters(plan, rng.random((n, plan.n_params)))
    z = standard_normal32(rng, np.empty((n, n_u), dtype=np.float32))
    zv = rng.standard_normal((n, 2 * len(plan.virtual)))
    s = np.sqrt(plan.s2)
    if plan.fusion != "precision" and len(plan.row_unit):
        # bracketed units take the rule's value: their spread is in the row normals
        m = unit_means(plan, values)
        m[:, plan.evidence_units] = _bracket(plan, values,
                                             rng.standard_normal((n, len(plan.row_unit))))
        s[plan.evidence_units] = 0.0
    else:
        m = _unit_means32(plan, values)
    if m.size and m.dtype == np.float32 and float(m.max()) + 9.0 * float(s.max()) > _LOG_MAX32:
        m = unit_means(plan, values)
    if m.dtype == np.float32:
        vol = z
        vol *= s.astype(np.float32)
    else:
        vol = z.astype(np.float64)
        vol *= s
    vol += m
    del m, z
    np.exp(vol, out=vol)
    national = np.zeros((n, n_o))
    for o, cols in enumerate(plan.organ_slices()):
        if cols.stop > cols.start:
            national[:, o] = vol[:, cols].sum(axis=1, dtype=np.float64)
    virt = np.zeros((n, len(plan.virtual)))
    if plan.virtual:
        virt = _virtual_totals(plan, values, zv)
        for gi, g in enumerate(plan.virtual):
            national[:, g.organ_index] += virt[:, gi]
    k = max(0, min(n, keep - start))
    return BlockResult(index, national, vol.sum(axis=0, dtype=np.float64),
                       vol[:k].astype(np.float64), virt.sum(axis=0), virt[:k].copy())


def _unit_means32(plan: Plan, values: np.ndarray) -> np.ndarray:
    """:func:`unit_means` in float32 (log-volumes need about 1e-6 absolute precision).

    When units form few runs of identical exponent rows, ``D log(theta)`` is
    computed once per run and broadcast over the run's units.
    """
    lt = log_theta(plan, values).astype(np.float32)
    n_u = len(plan.units)
    starts, rows = plan.d_runs
    if n_u and len(starts) * 16 <= n_u:
        per_run = lt @ rows.T.astype(np.float32)
        out = np.empty((values.shape[0], n_u), dtype=np.float32)
        ends = [*starts[1:].tolist(), n_u]
        for k, (lo, hi) in enumerate(zip(starts.tolist(), ends, strict=True)):
            out[:, lo:hi] = per_run[:, k:k + 1]
    else:
        out = np.matmul(lt, plan.d_t32)
    out += plan.a.astype(np.float32)
    if plan.wc.shape[0]:
        cum = _spread_logs(plan.spread_first, plan.spread_last, plan.spread_frac,
                           values[:, plan.spread_growth_col], plan.year)
        out += (cum @ plan.wc).astype(np.float32)
    return out


def _virtual_totals(plan: Plan, values: np.ndarray, zv: np.ndarray) -> np.ndarray:
    out = np.zeros((values.shape[0], len(plan.virtual)))
    lt = log_theta(plan, values)
    counts = virtual_counts(plan, values)
    cum = None
    if plan.wc.shape[0]:
        cum = _spread_logs(plan.spread_first, plan.spread_last, plan.spread_frac,
                           values[:, plan.spread_growth_col], plan.year)
    for gi, g in enumerate(plan.virtual):
        mu = g.a + lt @ g.d
        if cum is not None:
            mu = mu + cum @ g.wc
        mu = mu + np.sqrt(g.sigma2 / g.n_peers) * zv[:, 2 * gi]
        mean = np.exp(mu + 0.5 * g.sigma2)
        sd = mean * np.sqrt(np.expm1(g.sigma2))
        n = counts[:, gi]
        out[:, gi] = np.maximum(0.0, n * mean + np.sqrt(n) * sd * zv[:, 2 * gi + 1])
    return out


def _bracket(plan: Plan, values: np.ndarray, zr: np.ndarray) -> np.ndarray:
    """Per-draw min / median / max of each evidence unit's estimator rows (log space)."""
    lt = log_theta(plan, values)
    rows = plan.row_a[None, :] + lt @ plan.row_d.T + np.sqrt(plan.row_var)[None, :] * zr
    has = plan.row_spread >= 0
    if has.any():
        cum = _spread_logs(plan.spread_first, plan.spread_last, plan.spread_frac,
                           values[:, plan.spread_growth_col], plan.year)
        rows[:, has] += cum[:, plan.row_spread[has]]
    n = values.shape[0]
    ev = plan.evidence_units
    pos = {int(u): i for i, u in enumerate(ev)}
    counts = np.bincount([pos[int(u)] for u in plan.row_unit], minlength=len(ev))
    width = int(counts.max())
    padded = np.full((n, len(ev), width), np.nan)
    slot = np.zeros(len(ev), dtype=np.int64)
    for r, u in enumerate(plan.row_unit):
        i = pos[int(u)]
        padded[:, i, slot[i]] = rows[:, r]
        slot[i] += 1
    reduce: dict[str, Callable[..., np.ndarray]] = {
        "min": np.nanmin, "median": np.nanmedian, "max": np.nanmax,
    }
    return reduce[plan.fusion](padded, axis=2)


def _run_chunk(plan: Plan, seed: int, spec: Sequence[tuple[int, int, int]], keep: int
               ) -> list[BlockResult]:
    return [simulate_block(plan, seed, b, start, n, keep) for b, start, n in spec]


def chunk_specs(draws: int, chunk_size: int) -> list[list[tuple[int, int, int]]]:
    """Blocks grouped into chunks of about ``chunk_size`` draws (whole blocks)."""
    per = max(1, -(-int(chunk_size) // BLOCK))
    all_blocks = blocks(draws)
    return [all_blocks[i:i + per] for i in range(0, len(all_blocks), per)]


def default_workers() -> int:
    """Threads for a local run: one per core, at most 8."""
    return max(1, min(8, os.cpu_count() or 1))


def run(
    plan: Plan,
    draws: int,
    seed: int,
    chunk_size: int = 16 * BLOCK,
    keep: int = 2000,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[BlockResult]:
    """All blocks of one year, in block order.

    ``scheduler``: ``None`` runs in this process on ``workers`` threads
    (default :func:`default_workers`; numpy releases the GIL while it fills
    and transforms arrays); ``"local"`` starts an in-process Dask LocalCluster
    (threads, ``processes=False``); any other string is a Dask scheduler
    address (``tcp://host:8786``); a ``distributed.Client`` is used as given.
    ``progress(done, total)`` is called after each chunk. Every block has its
    own generator, so the result is the same for any chunk size, worker count
    or scheduler.
    """
    specs = chunk_specs(draws, chunk_size)
    if scheduler is not None:
        return _run_dask(plan, seed, specs, keep, scheduler, progress)
    n_workers = default_workers() if workers is None else int(workers)
    if n_workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}")
    out: list[BlockResult] = []
    if n_workers == 1 or len(specs) == 1 and len(specs[0]) == 1:
        for i, spec in enumerate(specs):
            out.extend(_run_chunk(plan, seed, spec, keep))
            if progress is not None:
                progress(i + 1, len(specs))
        return out
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        # one task per block keeps the threads evenly loaded; results are
        # collected in block order, so threads never change the outcome
        pending = [[pool.submit(simulate_block, plan, seed, b, start, n, keep)
                    for b, start, n in spec] for spec in specs]
        for i, futures in enumerate(pending):
            out.extend(f.result() for f in futures)
            if progress is not None:
                progress(i + 1, len(specs))
    return out


def _run_dask(
    plan: Plan,
    seed: int,
    specs: list[list[tuple[int, int, int]]],
    keep: int,
    scheduler: Any,
    progress: Callable[[int, int], None] | None,
) -> list[BlockResult]:
    from dask.distributed import Client, LocalCluster, as_completed

    own: list[Any] = []
    if isinstance(scheduler, str):
        if scheduler == "local":
            cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                   dashboard_address=None)
            client = Client(cluster)
            own = [client, cluster]
        else:
            try:
                client = Client(scheduler, timeout=10)
            except OSError as exc:
                raise ConfigError(f"cannot reach Dask scheduler {scheduler!r}: {exc}") from None
            own = [client]
    else:
        client = scheduler
    try:
        plan_f = client.scatter(plan, broadcast=True)
        futures = [client.submit(_run_chunk, plan_f, seed, spec, keep, pure=False)
                   for spec in specs]
        done = 0
        for _ in as_completed(futures):
            done += 1
            if progress is not None:
                progress(done, len(specs))
        results: list[BlockResult] = []
        for f in futures:
            results.extend(f.result())
        return sorted(results, key=lambda r: r.index)
    finally:
        for obj in own:
            obj.close()
