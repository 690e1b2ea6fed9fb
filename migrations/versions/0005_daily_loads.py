"""daily_loads (per runner, local day and muscle); users.loads_basis, loads_stale_from, loads_carry

Derived data: created empty; webapp.daily_loads fills a runner's days on their next upload or
week view (loads_basis is NULL, so everything is built once).

Revision ID: 0005_daily_loads
Revises: 0004
Create Date: 2026-11-30 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_daily_loads"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_loads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("muscle", sa.String(length=24), nullable=False),
        sa.Column("anchor", sa.Float(), nullable=False),
        sa.Column("last_end", sa.Float(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("load", sa.Float(), nullable=False),
        sa.Column("damage", sa.Float(), nullable=False),
        sa.Column("fatigue_sum", sa.Float(), nullable=False),
        sa.Column("dose_sum", sa.Float(), nullable=False),
        sa.Column("dose_time_sum", sa.Float(), nullable=False),
        sa.Column("protection_sum", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "day", "muscle"),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("loads_basis", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("loads_stale_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("loads_carry", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("loads_carry")
        batch_op.drop_column("loads_stale_from")
        batch_op.drop_column("loads_basis")
    op.drop_table("daily_loads")
