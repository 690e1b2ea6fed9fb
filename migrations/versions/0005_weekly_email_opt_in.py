"""users.weekly_email: an opt-in (off for accounts made from now on)

The model's default becomes False and so does the column's server default. No existing row is
touched: a runner who had the email keeps it, one who turned it off keeps it off.

Revision ID: 0005_email_opt_in
Revises: 0005_daily_loads
Create Date: 2026-11-30 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_email_opt_in"
down_revision = "0005_daily_loads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("weekly_email", existing_type=sa.Boolean(), server_default=sa.false())


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("weekly_email", existing_type=sa.Boolean(), server_default=None)
