"""door check-in: an event's door QR token, and walk-ins who checked in by scanning it

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 19:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "door_code",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name="fk_door_code_event_id_event", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name="pk_door_code"),
        sa.UniqueConstraint("token", name="uq_door_code_token"),
    )
    op.create_table(
        "door_walk_in",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name="fk_door_walk_in_event_id_event", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name="fk_door_walk_in_person_id_person",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "person_id", name="pk_door_walk_in"),
    )


def downgrade() -> None:
    op.drop_table("door_walk_in")
    op.drop_table("door_code")
