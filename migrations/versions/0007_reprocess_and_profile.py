"""users.mass_kg and threshold_pace_s_per_km; week_plans (a done week's plan); reprocess_runs

Revision ID: 0007_reprocess
Revises: 0006_activity_edits
Create Date: 2026-11-30 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_reprocess"
down_revision = "0006_activity_edits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mass_kg", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("threshold_pace_s_per_km", sa.Float(), nullable=True))
    op.create_table(
        "week_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "week"),
    )
    op.create_index("ix_week_plans_user_id", "week_plans", ["user_id"])
    op.create_table(
        "reprocess_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("reprocess_runs")
    op.drop_index("ix_week_plans_user_id", table_name="week_plans")
    op.drop_table("week_plans")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("threshold_pace_s_per_km")
        batch_op.drop_column("mass_kg")
