"""subscriptions by audience

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:53:27.423442
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audiences", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:

    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_column("audiences")
