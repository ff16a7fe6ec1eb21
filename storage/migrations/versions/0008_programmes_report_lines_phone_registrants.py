"""programmes, report-line wording, residents who phone, the staff morning summary

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 16:20:00.000000

Every distinct free-text ``event.program`` becomes a ``program`` row and its events
point at it; the text column stays until the code reads only ``program_id``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), server_default="", nullable=False),
        sa.Column("frame", sa.Text(), server_default="", nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("link", sa.String(length=500), server_default="", nullable=False),
        sa.Column("signer_position", sa.Text(), server_default="", nullable=False),
        sa.Column("signer_name", sa.String(length=100), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program")),
        sa.UniqueConstraint("name", name=op.f("uq_program_name")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("program_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("report_label", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("report_title", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("partner", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("report_note", sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f("ix_event_program_id"), ["program_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_event_program_id_program"),
            "program",
            ["program_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("added_by", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("morning_summary", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("told_at", sa.DateTime(timezone=True), nullable=True))

    # The free-text programmes become rows, named as the events named them (trimmed),
    # made when the first of their events was.
    op.execute(
        "INSERT INTO program (name, purpose, frame, link, signer_position, signer_name,"
        " created_at)"
        " SELECT TRIM(program), '', '', '', '', '', MIN(created_at) FROM event"
        " WHERE program IS NOT NULL AND TRIM(program) <> ''"
        " GROUP BY TRIM(program)"
    )
    op.execute(
        "UPDATE event SET program_id ="
        " (SELECT program.id FROM program WHERE program.name = TRIM(event.program))"
        " WHERE program IS NOT NULL AND TRIM(program) <> ''"
    )


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("told_at")
        batch_op.drop_column("promoted_at")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("morning_summary")
        batch_op.drop_column("added_by")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_event_program_id_program"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_event_program_id"))
        batch_op.drop_column("report_note")
        batch_op.drop_column("partner")
        batch_op.drop_column("report_title")
        batch_op.drop_column("report_label")
        batch_op.drop_column("program_id")
    op.drop_table("program")
