"""One body mass: users.mass_kg; runner_profiles.profile_body_mass_kg goes

Revision ID: 0011_one_body_mass
Revises: 0010_activity_edited_index
Create Date: 2026-11-30 18:30:00

The profile form's body mass was stored twice, on the profile row and on the user (which the
load model reads), kept equal on save. A profile answer is carried to users.mass_kg where the
user has none, then the profile's copy is dropped; a downgrade copies the user's back.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_one_body_mass"
down_revision = "0010_activity_edited_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE users SET mass_kg = (SELECT p.profile_body_mass_kg FROM runner_profiles p "
        "WHERE p.user_id = users.id) WHERE mass_kg IS NULL AND EXISTS (SELECT 1 FROM "
        "runner_profiles p WHERE p.user_id = users.id AND p.profile_body_mass_kg IS NOT NULL)"
    )
    with op.batch_alter_table("runner_profiles") as batch:
        batch.drop_column("profile_body_mass_kg")


def downgrade() -> None:
    with op.batch_alter_table("runner_profiles") as batch:
        batch.add_column(sa.Column("profile_body_mass_kg", sa.Float(), nullable=True))
    op.execute(
        "UPDATE runner_profiles SET profile_body_mass_kg = (SELECT u.mass_kg FROM users u "
        "WHERE u.id = runner_profiles.user_id)"
    )
