"""instructor accounts: active flag and session generation for revocable logins

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 02:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instructors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("instructors", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
        batch_op.drop_column("active")
