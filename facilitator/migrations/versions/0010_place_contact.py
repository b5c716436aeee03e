"""org: a place's contact e-mail, and the reminders mailed to places without a plan before a
round's deadline

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_places", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))

    op.create_table(
        "org_round_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=120), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["place_id"], ["org_places.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_id"], ["org_rounds.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "place_id", "event", name="uq_org_round_reminders_event"),
    )
    with op.batch_alter_table("org_round_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_org_round_reminders_place_id"), ["place_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("org_round_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_round_reminders_place_id"))
    op.drop_table("org_round_reminders")
    with op.batch_alter_table("org_places", schema=None) as batch_op:
        batch_op.drop_column("contact_email")
