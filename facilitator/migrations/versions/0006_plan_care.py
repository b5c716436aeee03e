"""plan care: iCal uid, contact e-mail, closing, effect of a row, reminders sent

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 05:40:00
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
    # Existing plans get their random calendar id now, so their feeds stay stable from here on.
    plans = sa.table("action_plans", sa.column("id", sa.Integer), sa.column("uid", sa.String))
    conn = op.get_bind()
    for (plan_id,) in conn.execute(sa.select(plans.c.id)).all():
        conn.execute(plans.update().where(plans.c.id == plan_id).values(uid=str(uuid.uuid4())))
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint("uq_action_plans_uid", ["uid"])
    for table in ("action_items", "status_changes"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("effect", sa.String(length=10), nullable=True))
            batch_op.add_column(
                sa.Column("learned", sa.String(length=2000), nullable=False, server_default="")
            )
    op.create_table(
        "plan_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=120), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["action_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "event", name="uq_plan_reminders_event"),
    )


def downgrade() -> None:
    op.drop_table("plan_reminders")
    for table in ("status_changes", "action_items"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("learned")
            batch_op.drop_column("effect")
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.drop_constraint("uq_action_plans_uid", type_="unique")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("uid")
