"""event series: the occurrences of a weekly event share a series id

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 19:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column and an index: no table rebuild, on SQLite either.
    op.add_column("event", sa.Column("series_id", sa.Integer(), nullable=True))
    op.create_index("ix_event_series_id", "event", ["series_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_series_id", table_name="event")
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_column("series_id")
