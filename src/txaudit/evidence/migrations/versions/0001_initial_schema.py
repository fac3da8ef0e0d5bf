"""Initial schema: sources, hospitals, aliases, observations, figures, claims, quarantine, ledger.

Revision ID: 0001
Revises:
Create Date: 2026-12-01 01:44:42.061949
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite stores keep blobs as files beside the database; only PostgreSQL needs the table.
    if op.get_bind().dialect.name == "postgresql":
        op.create_table(
            "blobs",
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("data", sa.LargeBinary(), nullable=False),
            sa.PrimaryKeyConstraint("sha256"),
        )
    op.create_table(
        "claims",
        sa.Column("claim_id", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("source_sha256", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("indicator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("organ", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("value", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("low", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("high", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("qualifier", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("unit", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("since_year", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("as_of", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("hospital_id", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("lang", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("text", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("span_start", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("span_end", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("extractor_version", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("decided_by", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("rule", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("observation_id", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_pos", sa.Integer(), nullable=False),
        sa.Column("status_event_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("claim_id"),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index("ix_claims_event", ["event_seq", "event_pos"], unique=False)
        batch_op.create_index("ix_claims_status", ["status"], unique=False)

    op.create_table(
        "hospital_aliases",
        sa.Column("hospital_id", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("alias", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("lang", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_pos", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hospital_id", "alias", "lang"),
    )
    with op.batch_alter_table("hospital_aliases", schema=None) as batch_op:
        batch_op.create_index("ix_aliases_alias", ["alias"], unique=False)
        batch_op.create_index("ix_hospital_aliases_event", ["event_seq", "event_pos"], unique=False)

    op.create_table(
        "hospitals",
        sa.Column("hospital_id", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("name_en", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("name_zh", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("province", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("city", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("tier", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("military", sa.Boolean(), autoincrement=False, nullable=True),
        sa.Column("category", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("approved_organs", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("approved_year", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("note", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_pos", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hospital_id"),
    )
    with op.batch_alter_table("hospitals", schema=None) as batch_op:
        batch_op.create_index("ix_hospitals_event", ["event_seq", "event_pos"], unique=False)

    op.create_table(
        "ledger_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "observations",
        sa.Column("observation_id", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("scope", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("hospital_id", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("region", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("indicator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("organ", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("since_year", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("as_of", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("value", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("low", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("high", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("qualifier", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("unit", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("grade", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("source_sha256", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("source_locator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("cited_url", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("cited_locator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("original_text", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("note", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("supersedes", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("reviewer", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("claim_id", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("status_reason", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_pos", sa.Integer(), nullable=False),
        sa.Column("status_event_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("observation_id"),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index("ix_observations_event", ["event_seq", "event_pos"], unique=False)
        batch_op.create_index("ix_observations_hospital", ["hospital_id"], unique=False)

    op.create_table(
        "official_figures",
        sa.Column("figure_id", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("series", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("publisher", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("country", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("region", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("organ", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("indicator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("value", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("unit", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("source_sha256", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("source_locator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("cited_url", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("cited_locator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("note", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_pos", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("figure_id"),
    )
    with op.batch_alter_table("official_figures", schema=None) as batch_op:
        batch_op.create_index("ix_official_figures_event", ["event_seq", "event_pos"], unique=False)

    op.create_table(
        "quarantine",
        sa.Column("quarantine_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("origin", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("reason", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("stage", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("data_sha256", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_pos", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("quarantine_id"),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.create_index("ix_quarantine_event", ["event_seq", "event_pos"], unique=False)

    op.create_table(
        "reference_figures",
        sa.Column("figure_id", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("topic", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("entity", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("indicator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("description", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("organ", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("value", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("low", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("high", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("qualifier", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("unit", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("period", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("grade", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("source_sha256", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("source_locator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("cited_url", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("cited_locator", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("original_text", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("note", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_pos", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("figure_id"),
    )
    with op.batch_alter_table("reference_figures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reference_figures_event", ["event_seq", "event_pos"], unique=False
        )

    op.create_table(
        "sources",
        sa.Column("sha256", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("byte_length", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("media_type", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("url", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("archive_url", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("retrieved_at", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("http_status", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("http_headers", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("warc_record_id", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("warc_payload_digest", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("charset", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("lang", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("title", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("collector", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("tool_version", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("parent_sha256", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_pos", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index("ix_sources_event", ["event_seq", "event_pos"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index("ix_sources_event")

    op.drop_table("sources")
    with op.batch_alter_table("reference_figures", schema=None) as batch_op:
        batch_op.drop_index("ix_reference_figures_event")

    op.drop_table("reference_figures")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_index("ix_quarantine_event")

    op.drop_table("quarantine")
    with op.batch_alter_table("official_figures", schema=None) as batch_op:
        batch_op.drop_index("ix_official_figures_event")

    op.drop_table("official_figures")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("ix_observations_hospital")
        batch_op.drop_index("ix_observations_event")

    op.drop_table("observations")
    op.drop_table("ledger_events")
    with op.batch_alter_table("hospitals", schema=None) as batch_op:
        batch_op.drop_index("ix_hospitals_event")

    op.drop_table("hospitals")
    with op.batch_alter_table("hospital_aliases", schema=None) as batch_op:
        batch_op.drop_index("ix_hospital_aliases_event")
        batch_op.drop_index("ix_aliases_alias")

    op.drop_table("hospital_aliases")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_status")
        batch_op.drop_index("ix_claims_event")

    op.drop_table("claims")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("blobs")
