"""staff invitation ids: a number to list and revoke invitations by

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 10:00:00.000000

Invitations already made keep working: each gets a number, the token hash stays
unique and is what accepting looks up.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("pk_staff_invite", "staff_invite", type_="primary")
        # SERIAL numbers the rows already there, as create_all would make the column.
        op.execute("ALTER TABLE staff_invite ADD COLUMN id SERIAL NOT NULL")
        op.create_primary_key("pk_staff_invite", "staff_invite", ["id"])
        op.create_unique_constraint("uq_staff_invite_token_hash", "staff_invite", ["token_hash"])
        return
    # SQLite cannot change a primary key: rebuild the table; INTEGER PRIMARY KEY numbers
    # the copied rows in the order they were made.
    op.create_table(
        "staff_invite_new",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_by", sa.BigInteger(), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_staff_invite"),
        sa.UniqueConstraint("token_hash", name="uq_staff_invite_token_hash"),
    )
    op.execute(
        "INSERT INTO staff_invite_new"
        " (token_hash, created_by, created_at, expires_at, used_by, used_at)"
        " SELECT token_hash, created_by, created_at, expires_at, used_by, used_at"
        " FROM staff_invite ORDER BY created_at"
    )
    op.drop_table("staff_invite")
    op.rename_table("staff_invite_new", "staff_invite")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("uq_staff_invite_token_hash", "staff_invite", type_="unique")
        op.drop_constraint("pk_staff_invite", "staff_invite", type_="primary")
        op.drop_column("staff_invite", "id")
        op.create_primary_key("pk_staff_invite", "staff_invite", ["token_hash"])
        return
    with op.batch_alter_table("staff_invite", recreate="always") as batch_op:
        batch_op.drop_constraint("uq_staff_invite_token_hash", type_="unique")
        batch_op.drop_constraint("pk_staff_invite", type_="primary")
        batch_op.drop_column("id")
        batch_op.create_primary_key("pk_staff_invite", ["token_hash"])
