"""day clock: a step's planned minutes and clock time, and when it was first shown

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("plan_kl", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.drop_column("started_at")
        batch_op.drop_column("plan_kl")
        batch_op.drop_column("plan_minutes")
