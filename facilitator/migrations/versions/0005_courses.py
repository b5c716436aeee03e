"""courses: workshops of one course (hold) share their participants across days

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 03:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["instructors.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("course_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_workshops_course_id", ["course_id"])
        batch_op.create_foreign_key(
            "fk_workshops_course_id", "courses", ["course_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_participants_person", ["person"])


def downgrade() -> None:
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_person")
        batch_op.drop_column("person")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_constraint("fk_workshops_course_id", type_="foreignkey")
        batch_op.drop_index("ix_workshops_course_id")
        batch_op.drop_column("course_id")
    op.drop_table("courses")
