"""The Sources table: one row per seed file, identified by its sha256."""

from __future__ import annotations

from .common import COLLECTOR, RETRIEVED_AT, TOOL_VERSION, SeedFile
from .godt import GODT_FILE, GODT_URL

#: Titles of the seed files. Only the GODT export has a public origin of its own; the
#: other files were compiled by hand from the public pages cited on each of their rows.
SEED_TITLES: dict[str, str] = {
    "hospital-observations.csv": "Hospital-level indicators compiled from public sources (part 1)",
    "hospital-observations-2.csv": (
        "Hospital-level indicators compiled from public sources (part 2)"
    ),
    "approved-hospitals.csv": "Partial lists of hospitals approved for organ transplantation",
    "official-series.csv": "Official national organ donation and transplant figures by year",
    "domain-figures.csv": "Headline estimates and reference values (part 1)",
    "extra-figures.csv": "Headline estimates and reference values (part 2)",
    GODT_FILE: "GODT country panel 2000-2017 (Global Observatory on Donation and Transplantation)",
}

SOURCE_URLS: dict[str, str] = {GODT_FILE: GODT_URL}

#: Seed files holding Chinese hospital names beside the English text.
BILINGUAL = frozenset({"approved-hospitals.csv", "hospital-observations-2.csv"})


def source_rows(seeds: list[SeedFile]) -> list[dict[str, object]]:
    """Rows for sources.csv; ``path`` is where the bytes lie, relative to the bundled CSVs."""
    rows: list[dict[str, object]] = []
    for seed in sorted(seeds, key=lambda s: s.name):
        rows.append(
            {
                "sha256": seed.sha256,
                "byte_length": len(seed.data),
                "media_type": "text/csv",
                "url": SOURCE_URLS.get(seed.name),
                "archive_url": None,
                "retrieved_at": RETRIEVED_AT,
                "http_status": None,
                "http_headers": None,
                "warc_record_id": None,
                "warc_payload_digest": None,
                "charset": "utf-8",
                "lang": "en;zh" if seed.name in BILINGUAL else "en",
                "title": SEED_TITLES.get(seed.name, seed.name),
                "collector": COLLECTOR,
                "tool_version": TOOL_VERSION,
                "parent_sha256": None,
                "path": f"../seed/{seed.name}",
            }
        )
    return rows
