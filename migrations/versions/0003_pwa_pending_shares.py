"""pwa: files shared into the app while logged out

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 22:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pending_shares", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_shares_token_hash"), ["token_hash"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_shares_token_hash"))
    op.drop_table("pending_shares")
