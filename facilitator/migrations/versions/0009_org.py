"""org: the MED tree (places), follow-up rounds with milestones, read links; plans and groups
belong to places

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 05:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "org_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("level", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["instructors.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["parent_id"], ["org_places.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("org_places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_places_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_places_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "org_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("plans_from", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["place_id"], ["org_places.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("org_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_rounds_place_id"), ["place_id"], unique=False)

    op.create_table(
        "org_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["org_rounds.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("org_milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_milestones_round_id"), ["round_id"], unique=False)

    op.create_table(
        "org_read_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["place_id"], ["org_places.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("org_read_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_read_links_place_id"), ["place_id"], unique=False)

    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_action_plans_place_id"), ["place_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_action_plans_place_id", "org_places", ["place_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_groups_place_id", "org_places", ["place_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_constraint("fk_groups_place_id", type_="foreignkey")
        batch_op.drop_column("place_id")
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.drop_constraint("fk_action_plans_place_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_action_plans_place_id"))
        batch_op.drop_column("place_id")
    with op.batch_alter_table("org_read_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_read_links_place_id"))
    op.drop_table("org_read_links")
    with op.batch_alter_table("org_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_milestones_round_id"))
    op.drop_table("org_milestones")
    with op.batch_alter_table("org_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_rounds_place_id"))
    op.drop_table("org_rounds")
    with op.batch_alter_table("org_places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_places_parent_id"))
        batch_op.drop_index(batch_op.f("ix_org_places_owner_id"))
    op.drop_table("org_places")
