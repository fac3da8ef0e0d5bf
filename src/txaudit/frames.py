"""Column contracts of the DataFrames that pass between txaudit's parts.

The store hands these frames out (``Store.observations()`` and friends); the
estimation and forensics code take them in and never touch the database. Keeping
the column lists here means a change of shape is made once and tested once.

Conventions: ids are strings; missing values are ``None``/NaN; numeric values
are floats in the frames (the store keeps them as exact decimals); years are
integers; dates are ISO 8601 strings.
"""

from __future__ import annotations

#: One row per current observation (superseded and retracted rows excluded unless asked).
OBSERVATION_COLUMNS: tuple[str, ...] = (
    "observation_id",  # stable id, e.g. "obs-000123" or a sha-derived id
    "scope",  # hospital | province | nation (vocabulary.SCOPES)
    "hospital_id",  # set when scope == "hospital"
    "region",  # province or country name when scope != "hospital"
    "indicator",  # vocabulary.INDICATORS
    "organ",  # vocabulary.ORGANS
    "year",  # the year the value refers to (annual indicators); may be null
    "since_year",  # cumulative indicators: counted since this year
    "as_of",  # cumulative indicators / snapshots: ISO date the count refers to
    "value",  # the central value in the indicator's canonical unit
    "low",  # lower bound (range qualifier), else null
    "high",  # upper bound (range qualifier), else null
    "qualifier",  # vocabulary.QUALIFIERS
    "unit",  # the indicator's canonical unit
    "grade",  # vocabulary.GRADES key
    "source_sha256",  # the archived document we hold (blob) this value was read from
    "source_locator",  # where in that document (line, page, character span)
    "cited_url",  # the public URL the value is attributed to
    "cited_locator",  # where in the cited page (paragraph, table, quote)
    "original_text",  # the value as written in the source, before normalisation
    "note",
    "status",  # current | superseded | retracted
)

HOSPITAL_COLUMNS: tuple[str, ...] = (
    "hospital_id",
    "name_en",
    "name_zh",
    "province",
    "city",
    "tier",  # e.g. "3A"; null when unknown
    "military",  # bool, null when unknown
    "category",  # military | civilian | regional | unapproved | unknown
    "approved_organs",  # "kidney;liver" etc., null when not approved / unknown
    "approved_year",
    "note",
)

ALIAS_COLUMNS: tuple[str, ...] = ("hospital_id", "alias", "lang")

OFFICIAL_FIGURE_COLUMNS: tuple[str, ...] = (
    "figure_id",
    "series",  # e.g. "china:deceased_donors:cotrs" or "godt:deceased_donors"
    "publisher",  # e.g. COTRS, NHC, CODAC, GODT
    "country",  # e.g. China, Spain
    "region",  # province, when the series is provincial; else null
    "year",
    "organ",
    "indicator",  # vocabulary.INDICATORS (transplants_annual, deceased_donors, ...)
    "value",
    "unit",
    "source_sha256",
    "source_locator",
    "cited_url",
    "cited_locator",
    "note",
)

#: Published reference values used as priors (lengths of stay, prices, other
#: countries' ratios, headline estimates). Indicators here may be free text;
#: ``indicator`` is set only where the vocabulary fits.
REFERENCE_FIGURE_COLUMNS: tuple[str, ...] = (
    "figure_id",
    "topic",
    "entity",
    "indicator",
    "description",
    "organ",
    "value",
    "low",
    "high",
    "qualifier",
    "unit",
    "period",
    "grade",
    "source_sha256",
    "source_locator",
    "cited_url",
    "cited_locator",
    "original_text",
    "note",
)

SOURCE_COLUMNS: tuple[str, ...] = (
    "sha256",
    "byte_length",
    "media_type",
    "url",
    "archive_url",
    "retrieved_at",
    "http_status",
    "http_headers",  # JSON text
    "warc_record_id",
    "warc_payload_digest",
    "charset",
    "lang",
    "title",
    "collector",
    "tool_version",
    "parent_sha256",
)
