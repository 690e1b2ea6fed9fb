"""email sends: claim time and Message-ID

The weekly email claims its row (status "sending") before it talks to the SMTP server;
`claimed_at` tells a claim left by a run that stopped (older than a live send could be) from one
in progress, and `message_id` lets an operator match it against the mail server's log.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("email_sends", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("email_sends", schema=None) as batch_op:
        batch_op.drop_column("message_id")
        batch_op.drop_column("claimed_at")
