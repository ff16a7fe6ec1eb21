"""attendance and walk-ins

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 19:04:10.426806
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "walk_in",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_walk_in_count_non_negative")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_walk_in_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "category", name=op.f("pk_walk_in")),
    )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attended", sa.Boolean(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("attended")

    op.drop_table("walk_in")
