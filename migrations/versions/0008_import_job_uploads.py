"""jobs: the upload apart from the job row, results per file, heartbeat and attempts

The upload's bytes move from import_jobs.payload to import_uploads (one row per job, written
once), and the results JSON that was rewritten after every file becomes one import_job_files
row per finished file; import_jobs gains `attempts` and `heartbeat_at` for the reaper.
Rows are carried over both ways (old results land as one row at position -1).

Revision ID: 0008_import_job_uploads
Revises: 0007_reprocess
Create Date: 2026-11-30 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_import_job_uploads"
down_revision = "0007_reprocess"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_uploads",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["import_jobs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id"),
    )
    op.create_table(
        "import_job_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["import_jobs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job_id", "position"),
    )
    op.execute(
        "INSERT INTO import_uploads (job_id, size, content) "
        "SELECT id, length(payload), payload FROM import_jobs WHERE payload IS NOT NULL"
    )
    op.execute(
        "INSERT INTO import_job_files (job_id, position, results) "
        "SELECT id, -1, results FROM import_jobs"
    )
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column("payload")
        batch_op.drop_column("results")
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.alter_column("attempts", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payload", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("results", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("attempts")
    op.execute(
        "UPDATE import_jobs SET payload = "
        "(SELECT content FROM import_uploads WHERE import_uploads.job_id = import_jobs.id)"
    )
    _results_back_into_jobs()
    op.drop_table("import_job_files")
    op.drop_table("import_uploads")


def _results_back_into_jobs() -> None:
    """Each job's per-file results joined, in file order, into its one results list (done in
    Python: SQLite and PostgreSQL aggregate JSON differently)."""
    files = sa.table(
        "import_job_files",
        sa.column("job_id", sa.Integer()),
        sa.column("position", sa.Integer()),
        sa.column("results", sa.JSON()),
    )
    jobs = sa.table("import_jobs", sa.column("id", sa.Integer()), sa.column("results", sa.JSON()))
    conn = op.get_bind()
    joined: dict[int, list] = {}
    rows = conn.execute(sa.select(files).order_by(files.c.job_id, files.c.position))
    for job_id, _position, results in rows:
        joined.setdefault(job_id, []).extend(results or [])
    for job_id, results in joined.items():
        conn.execute(sa.update(jobs).where(jobs.c.id == job_id).values(results=results))
