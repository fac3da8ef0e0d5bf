"""Read side of the store: DataFrames with the column contracts of :mod:`txaudit.frames`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine

from txaudit.errors import InputError, NotFoundError
from txaudit.evidence.schema import BOOL, DEC, INT, SPECS

_HISTORY_EXTRA = ("supersedes", "status_reason", "reviewer", "claim_id")


def _typed(df: pd.DataFrame, table: str) -> pd.DataFrame:
    kinds = SPECS[table].kinds
    for col in df.columns:
        kind = kinds.get(col)
        if kind == DEC:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
        elif kind == INT:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
        elif kind == BOOL:
            df[col] = df[col].map(lambda v: None if v is None or pd.isna(v) else bool(v),
                                  na_action="ignore").astype(object)
        else:
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df


class Queries:
    """Read methods shared by every store backend."""

    engine: Engine

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _frame(self, table: str, columns: tuple[str, ...] | None = None, where: str = "",
               params: dict[str, Any] | None = None, order: str | None = None) -> pd.DataFrame:
        cols = columns or SPECS[table].frame
        order = order or ", ".join(SPECS[table].key)
        sql = f"SELECT {', '.join(cols)} FROM {table}{where} ORDER BY {order}"
        with self._read() as conn:
            result = conn.exec_driver_sql(sql, params or {}) if not params else \
                conn.execute(_text(sql), params)
            rows = result.fetchall()
        df = pd.DataFrame([tuple(r) for r in rows], columns=list(cols), dtype=object)
        return _typed(df, table)

    def hospitals(self) -> pd.DataFrame:
        """All hospitals (``HOSPITAL_COLUMNS``)."""
        return self._frame("hospitals")

    def aliases(self) -> pd.DataFrame:
        """All hospital aliases (``ALIAS_COLUMNS``), Chinese and English."""
        return self._frame("hospital_aliases")

    def observations(self, include_history: bool = False) -> pd.DataFrame:
        """Current observations; with ``include_history`` also superseded and retracted ones
        (and the columns ``supersedes``, ``status_reason``, ``reviewer``, ``claim_id``)."""
        if include_history:
            return self._frame("observations", SPECS["observations"].frame + _HISTORY_EXTRA,
                               order="event_seq, event_pos")
        return self._frame("observations", where=" WHERE status = 'current'")

    def official_figures(self, series: str | None = None,
                         country: str | None = None) -> pd.DataFrame:
        """Official figures (``OFFICIAL_FIGURE_COLUMNS``), optionally one series/country."""
        conds, params = [], {}
        if series is not None:
            conds.append("series = :series")
            params["series"] = series
        if country is not None:
            conds.append("country = :country")
            params["country"] = country
        where = (" WHERE " + " AND ".join(conds)) if conds else ""
        return self._frame("official_figures", where=where, params=params,
                           order="series, country, year, organ, figure_id")

    def reference_figures(self) -> pd.DataFrame:
        """Reference figures (``REFERENCE_FIGURE_COLUMNS``)."""
        return self._frame("reference_figures")

    def sources(self) -> pd.DataFrame:
        """Archived sources (``SOURCE_COLUMNS``)."""
        return self._frame("sources")

    def claims(self, status: str | None = None) -> pd.DataFrame:
        """Extracted claims in the review queue, optionally of one status
        (``proposed``, ``accepted``, ``rejected``, ``edited``)."""
        if status is None:
            return self._frame("claims", order="event_seq, event_pos")
        return self._frame("claims", where=" WHERE status = :status",
                           params={"status": status}, order="event_seq, event_pos")

    def quarantined(self) -> pd.DataFrame:
        """Records set aside by batch jobs, with the reason."""
        return self._frame("quarantine")

    def ledger(self) -> pd.DataFrame:
        """Every ledger event, oldest first."""
        cols = ("seq", "at", "actor", "action", "detail", "payload_sha256", "prev_hash", "hash")
        with self._read() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT {', '.join(cols)} FROM ledger_events ORDER BY seq").fetchall()
        df = pd.DataFrame([tuple(r) for r in rows], columns=list(cols), dtype=object)
        df["seq"] = df["seq"].astype("int64")
        return df

    # -- hospitals by name ----------------------------------------------------------------

    def find_hospitals(self, query: str) -> pd.DataFrame:
        """Hospitals whose English or Chinese name or any alias contains ``query``
        (case-insensitive substring)."""
        hospitals = self.hospitals()
        q = query.strip().casefold()
        if not q:
            return hospitals
        aliases = self.aliases()
        hit_alias = set(aliases.loc[aliases["alias"].map(
            lambda a: q in str(a).casefold()), "hospital_id"])
        mask = hospitals.apply(
            lambda r: r["hospital_id"] in hit_alias
            or q in str(r["hospital_id"]).casefold()
            or q in str(r["name_en"] or "").casefold()
            or q in str(r["name_zh"] or "").casefold(),
            axis=1,
        ) if len(hospitals) else pd.Series([], dtype=bool)
        return hospitals[mask].reset_index(drop=True)

    def hospital(self, id_or_name: str) -> dict[str, Any]:
        """One hospital by id, exact name or alias, or unique partial name.

        Returns its ``HOSPITAL_COLUMNS`` fields plus ``aliases`` (list of dicts).
        """
        hospitals = self.hospitals()
        aliases = self.aliases()
        q = id_or_name.strip().casefold()
        exact = hospitals[hospitals["hospital_id"].str.casefold() == q]
        if exact.empty:
            names = hospitals[(hospitals["name_en"].fillna("").str.casefold() == q)
                              | (hospitals["name_zh"].fillna("").str.casefold() == q)]
            ids = set(names["hospital_id"]) | set(
                aliases.loc[aliases["alias"].str.casefold() == q, "hospital_id"])
            if not ids:
                ids = set(self.find_hospitals(id_or_name)["hospital_id"])
            if not ids:
                raise NotFoundError(f"no hospital matches {id_or_name!r}")
            if len(ids) > 1:
                shown = ", ".join(sorted(ids)[:8])
                raise InputError(f"{id_or_name!r} matches {len(ids)} hospitals: {shown}",
                                 field="hospital", hint="give the hospital id")
            exact = hospitals[hospitals["hospital_id"].isin(ids)]
        record: dict[str, Any] = {
            str(k): (None if _isna(v) else v) for k, v in exact.iloc[0].to_dict().items()
        }
        mine = aliases[aliases["hospital_id"] == record["hospital_id"]]
        record["aliases"] = mine[["alias", "lang"]].to_dict("records")
        return record

    def hospital_observations(self, hospital_id: str) -> pd.DataFrame:
        """Current observations of one hospital with their sources' url, title and
        retrieval time (columns ``source_url``, ``source_title``, ``source_retrieved_at``)."""
        obs = self.observations()
        obs = obs[obs["hospital_id"] == hospital_id]
        src = self.sources()[["sha256", "url", "title", "retrieved_at"]].rename(columns={
            "sha256": "source_sha256", "url": "source_url", "title": "source_title",
            "retrieved_at": "source_retrieved_at"})
        merged = obs.merge(src, on="source_sha256", how="left")
        return merged.sort_values(["indicator", "year", "observation_id"],
                                  na_position="last").reset_index(drop=True)

    # -- summary ------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Counts for a quick look: by indicator, organ and province; hospital coverage by
        indicator; totals; and whether every observation cites a URL."""
        obs = self.observations()
        hospitals = self.hospitals()
        official = self.official_figures()
        with self._read() as conn:
            counts = {t: int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar() or 0)
                      for t in ("sources", "reference_figures", "quarantine", "ledger_events")}
            history = int(conn.exec_driver_sql(
                "SELECT COUNT(*) FROM observations").scalar() or 0)
            claims: dict[Any, Any] = dict(conn.exec_driver_sql(
                "SELECT status, COUNT(*) FROM claims GROUP BY status").fetchall())
        province = obs["hospital_id"].map(
            dict(zip(hospitals["hospital_id"], hospitals["province"], strict=True)))
        province = province.where(obs["scope"] == "hospital", obs["region"])
        n_h = len(hospitals)
        coverage = {}
        hosp_obs = obs[obs["scope"] == "hospital"]
        for ind, grp in hosp_obs.groupby("indicator"):
            k = grp["hospital_id"].nunique()
            coverage[str(ind)] = {"hospitals": int(k), "share": round(k / n_h, 4) if n_h else 0.0}
        missing_url = int(obs["cited_url"].isna().sum())
        series = []
        for (name, country), grp in official.groupby(["series", "country"]):
            series.append({"series": name, "country": country, "figures": len(grp),
                           "first_year": int(grp["year"].min()),
                           "last_year": int(grp["year"].max())})
        return {
            "hospitals": n_h,
            "observations": len(obs),
            "observations_including_history": history,
            "sources": counts["sources"],
            "official_figures": len(official),
            "official_series": len(series),
            "reference_figures": counts["reference_figures"],
            "claims": {str(k): int(v) for k, v in claims.items()},
            "quarantined": counts["quarantine"],
            "ledger_events": counts["ledger_events"],
            "by_indicator": _counts(obs["indicator"]),
            "by_organ": _counts(obs["organ"]),
            "by_province": _counts(province.fillna("(unknown)")),
            "hospital_coverage_by_indicator": coverage,
            "hospitals_with_observations": int(hosp_obs["hospital_id"].nunique()),
            "observations_without_cited_url": missing_url,
            "every_observation_has_cited_url": missing_url == 0,
            "series": series,
        }


def _counts(series: pd.Series) -> dict[str, int]:
    vc = series.value_counts()
    return {str(k): int(v) for k, v in sorted(vc.items(), key=lambda kv: (-kv[1], str(kv[0])))}


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _text(sql: str) -> Any:
    from sqlalchemy import text

    return text(sql)
