"""activities.is_race and activities.excluded: the runner's corrections of an activity

`is_race` feeds the plan's race rules (the days after a race); `excluded` leaves the activity
out of the load, the state and the week's totals. Both false for every existing row.
`edited_at` (the last correction) is part of the week views' cache key, so every web process
sees an edit at once.

Revision ID: 0006_activity_edits
Revises: 0005_email_opt_in
Create Date: 2026-11-30 12:41:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_activity_edits"
down_revision = "0005_email_opt_in"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_race", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("excluded", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_column("edited_at")
        batch_op.drop_column("excluded")
        batch_op.drop_column("is_race")
