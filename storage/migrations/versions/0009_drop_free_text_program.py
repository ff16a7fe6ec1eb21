"""drop the free-text event.program: events name their programme by program_id

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 17:00:00.000000

0008 made a ``program`` row of every free-text programme and pointed its events at it;
the code now reads only ``program_id``. A downgrade writes each event's programme name
back into the text column.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("program")


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("program", sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE event SET program ="
        " (SELECT program.name FROM program WHERE program.id = event.program_id)"
        " WHERE program_id IS NOT NULL"
    )
