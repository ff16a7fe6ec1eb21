"""places and branches: an event's place key and branch, staff and invitations of a
branch, subscriptions limited to branches

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 22:20:00.000000

Places and branches themselves live in the configuration; rows keep their keys. An
event keeps its ``place`` text too, so that it still reads right if its place is later
taken out of the configuration (and events from before this revision keep theirs).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns (and one with a server default) need no table rebuild on SQLite.
    op.add_column("event", sa.Column("place_key", sa.String(32), nullable=True))
    op.add_column("event", sa.Column("branch_key", sa.String(32), nullable=True))
    op.create_index("ix_event_branch_key", "event", ["branch_key"], unique=False)
    op.add_column("staff_member", sa.Column("branch_key", sa.String(32), nullable=True))
    op.add_column("staff_invite", sa.Column("branch_key", sa.String(32), nullable=True))
    op.add_column(
        "subscription", sa.Column("branches", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    with op.batch_alter_table("subscription") as batch_op:
        batch_op.drop_column("branches")
    with op.batch_alter_table("staff_invite") as batch_op:
        batch_op.drop_column("branch_key")
    with op.batch_alter_table("staff_member") as batch_op:
        batch_op.drop_column("branch_key")
    op.drop_index("ix_event_branch_key", table_name="event")
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_column("branch_key")
        batch_op.drop_column("place_key")
