"""runner_profiles, soreness_checkins, strength_logs.details: the plan for this runner (issue 15)

Revision ID: 0009_runner_profile
Revises: 0008_import_job_uploads
Create Date: 2026-11-30 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_runner_profile"
down_revision = "0008_import_job_uploads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runner_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("profile_goal", sa.String(length=16), nullable=True),
        sa.Column("profile_experience", sa.String(length=8), nullable=True),
        sa.Column("profile_body_mass_kg", sa.Float(), nullable=True),
        sa.Column("profile_minutes", sa.Integer(), nullable=True),
        sa.Column("profile_sessions_per_week", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "soreness_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_soreness_user_day", "soreness_checkins", ["user_id", "day"])
    with op.batch_alter_table("strength_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("strength_logs", schema=None) as batch_op:
        batch_op.drop_column("details")
    op.drop_index("ix_soreness_user_day", table_name="soreness_checkins")
    op.drop_table("soreness_checkins")
    op.drop_table("runner_profiles")
