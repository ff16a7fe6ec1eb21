"""report indexes: a covering index for the report's counts of registrations

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 21:16:11.977722
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registration_event_attended",
            ["event_id", "attended", "person_id", "status"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_event_attended")
