"""heartbeat: a running bot's sign of life, one row per instance

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 20:00:00.000000

The running bot writes when it started and when it last beat (every minute), so that
``hromada-bot status`` in a shell can say whether a bot is running and for how long.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "heartbeat",
        sa.Column("instance", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("instance", name=op.f("pk_heartbeat")),
    )


def downgrade() -> None:
    op.drop_table("heartbeat")
