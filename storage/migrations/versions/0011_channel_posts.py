"""channel posts: which events were posted to the library's channel

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 19:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_post",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name="fk_channel_post_event_id_event", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name="pk_channel_post"),
    )


def downgrade() -> None:
    op.drop_table("channel_post")
