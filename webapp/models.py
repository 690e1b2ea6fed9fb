"""Tables. Typed SQLAlchemy 2.0 models; the engine's dataclasses are converted in webapp.ingest."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Stored in the login session; bumping it logs every device out (see webapp.auth).
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # Settings (see the settings page); defaults suit a new runner.
    units: Mapped[str] = mapped_column(String(2), default="km")  # "km" | "mi"
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    week_start: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday ... 6 = Sunday
    focus: Mapped[str] = mapped_column(String(16), default="general")  # endurance|speed|general
    equipment: Mapped[list] = mapped_column(JSON, default=lambda: ["none"])
    available_days: Mapped[list] = mapped_column(JSON, default=lambda: [1, 3])  # weekday numbers
    long_run_day: Mapped[int | None] = mapped_column(Integer, default=6)
    race_date: Mapped[date | None] = mapped_column(Date)
    hr_max: Mapped[int | None] = mapped_column(Integer)
    hr_rest: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(8))  # "male" | "female" (TRIMP weighting)
    # An opt-in: off for a new account (offered after the first import, see webapp.offers).
    weekly_email: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The load model's athlete (engine.athlete): body mass and threshold pace, when set.
    mass_kg: Mapped[float | None] = mapped_column(Float)
    threshold_pace_s_per_km: Mapped[float | None] = mapped_column(Float)
    email_weekday: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday
    email_hour: Mapped[int] = mapped_column(Integer, default=7)
    # What the stored daily_loads were built from (zone, heart-rate settings, activities), and
    # the first local day to rebuild (set by an upload or a delete); see webapp.daily_loads.
    loads_basis: Mapped[str | None] = mapped_column(String(255))
    loads_stale_from: Mapped[date | None] = mapped_column(Date)
    # {"day": ISO date, "carry": engine.days.Carry.to_dict() or None}: the state the days before
    # that day carry into it, so that a week reads only the days after it.
    loads_carry: Mapped[dict | None] = mapped_column(JSON)

    activities: Mapped[list[Activity]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"User(id={self.id!r}, email={self.email!r})"


class OriginalFile(Base):
    """The bytes a runner uploaded, kept so the whole history can be re-processed."""

    __tablename__ = "original_files"
    __table_args__ = (UniqueConstraint("user_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("user_id", "fingerprint"),
        Index("ix_activities_user_start", "user_id", "start_time"),
        # the week's cache key asks for max(edited_at) on every view (webapp.weeks._data_key)
        Index("ix_activities_user_edited", "user_id", "edited_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    original_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("original_files.id", ondelete="SET NULL"), index=True
    )
    index_in_file: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    name: Mapped[str | None] = mapped_column(String(255))
    source_format: Mapped[str] = mapped_column(String(8))
    sport: Mapped[str] = mapped_column(String(32))
    sub_sport: Mapped[str | None] = mapped_column(String(32))
    is_run: Mapped[bool] = mapped_column(Boolean)
    start_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    elapsed_time_s: Mapped[float] = mapped_column(Float)
    moving_time_s: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    elevation_loss_m: Mapped[float | None] = mapped_column(Float)
    elevation_source: Mapped[str] = mapped_column(String(16), default="none")
    avg_pace_s_per_km: Mapped[float | None] = mapped_column(Float)
    gap_s_per_km: Mapped[float | None] = mapped_column(Float)
    avg_heart_rate: Mapped[float | None] = mapped_column(Float)
    max_heart_rate: Mapped[float | None] = mapped_column(Float)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The runner's corrections (webapp.edits): a race feeds the plan's race rules; an excluded
    # activity counts in no load, state or week total.
    is_race: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    excluded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Splits, device totals, warnings; a decimated series for charts; the engine's output.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    chart_series: Mapped[dict] = mapped_column(JSON, default=dict)
    stimulus: Mapped[dict] = mapped_column(JSON, default=dict)
    systemic_load: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship(back_populates="activities")

    def __repr__(self) -> str:
        return f"Activity(id={self.id!r}, sport={self.sport!r}, start={self.start_time!r})"


class DailyLoad(Base):
    """One runner's runs of one local day summed per muscle (engine.days.DayLoad, FIELDS).

    The row of muscle "systemic" holds the day's systemic load in `load`. Derived data: rebuilt
    from the activities by webapp.daily_loads whenever they or the runner's zone change.
    """

    __tablename__ = "daily_loads"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the runner's local date
    muscle: Mapped[str] = mapped_column(String(24), primary_key=True)
    anchor: Mapped[float] = mapped_column(Float)  # local midnight, days since the epoch
    last_end: Mapped[float] = mapped_column(Float)  # the day's last run ended, days since epoch
    runs: Mapped[int] = mapped_column(Integer)
    load: Mapped[float] = mapped_column(Float)
    damage: Mapped[float] = mapped_column(Float, default=0.0)
    fatigue_sum: Mapped[float] = mapped_column(Float, default=0.0)
    dose_sum: Mapped[float] = mapped_column(Float, default=0.0)
    dose_time_sum: Mapped[float] = mapped_column(Float, default=0.0)
    protection_sum: Mapped[float] = mapped_column(Float, default=0.0)


class ImportJob(Base):
    """An upload processed in the background; the upload page polls it.

    The upload's bytes live apart, in ImportUpload (so a progress commit rewrites a small
    row), and each finished file appends one ImportJobFile: `done` counts files, `total`
    is the upload's file count. `attempts` counts starts; `heartbeat_at` is refreshed while
    a process works on it (webapp.jobs reaps a running job whose heartbeat went stale).
    """

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued|running|done|failed
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    files: Mapped[list[ImportJobFile]] = relationship(
        order_by="ImportJobFile.position", cascade="all, delete-orphan", passive_deletes=True
    )
    upload: Mapped[ImportUpload | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def results(self) -> list[dict]:
        """Every file's results so far, in the upload's order (IngestResult.to_dict shapes)."""
        return [result for file in self.files for result in file.results]


class ImportUpload(Base):
    """The bytes of an ImportJob's upload, kept until the job is done (for "Try again")."""

    __tablename__ = "import_uploads"

    job_id: Mapped[int] = mapped_column(
        ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class ImportJobFile(Base):
    """One finished file of an ImportJob: its position in the upload and its results."""

    __tablename__ = "import_job_files"
    __table_args__ = (UniqueConstraint("job_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("import_jobs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    results: Mapped[list] = mapped_column(JSON, default=list)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StrengthLog(Base):
    """A strength session the runner marked done (or skipped), with the exercises done."""

    __tablename__ = "strength_logs"
    __table_args__ = (UniqueConstraint("user_id", "week", "session_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))  # ISO week "YYYY-Www"
    session_index: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8))  # done | skipped
    exercises: Mapped[list] = mapped_column(JSON, default=list)
    # What was done per exercise when the runner said so: {name: {"sets", "reps" | "seconds",
    # "load_kg"}} (each optional); an exercise absent here was done as prescribed.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RunnerProfile(Base):
    """The runner's answers to the training profile (engine.plan.Profile's fields).

    One row per user, written by the first-run form and Settings; a NULL field was not given
    and is inferred from the runs each time (engine.plan.infer_profile). Equipment and body
    mass live on User (equipment, mass_kg), where Settings and the load model read them.
    """

    __tablename__ = "runner_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    profile_goal: Mapped[str | None] = mapped_column(String(16))
    profile_experience: Mapped[str | None] = mapped_column(String(8))
    profile_minutes: Mapped[int | None] = mapped_column(Integer)
    profile_sessions_per_week: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def given(self) -> dict:
        """The stored answers as infer_profile's `given` (None = infer it)."""
        return {
            "goal": self.profile_goal,
            "experience": self.profile_experience,
            "minutes": self.profile_minutes,
            "sessions_per_week": self.profile_sessions_per_week,
        }


class SorenessCheckIn(Base):
    """ "Legs today: fresh / a bit sore / very sore", as the runner said it on `day`.

    Every check-in is kept (calibration data for the damage model); the latest of a day counts.
    """

    __tablename__ = "soreness_checkins"
    __table_args__ = (Index("ix_soreness_user_day", "user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(10))  # fresh | a_bit_sore | very_sore
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WeekPlan(Base):
    """The plan of a week as it was when a session of it was first marked done (Plan.to_dict()
    before the runner's swaps): that week shows it from then on, whatever reprocessing does."""

    __tablename__ = "week_plans"
    __table_args__ = (UniqueConstraint("user_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    plan: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReprocessRun(Base):
    """One recomputation of stored activities, claimed once by its key (see webapp.reprocess):
    "version:<model version>" for everyone, "user:<id>:..." for one runner."""

    __tablename__ = "reprocess_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(8), default="queued")  # queued|running|done|failed
    activities: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)


class PlanAdjustment(Base):
    """The runner's changes to a week's plan (swapped exercises), keyed by week."""

    __tablename__ = "plan_adjustments"
    __table_args__ = (UniqueConstraint("user_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class EmailSend(Base):
    """One weekly email per user and week: the record that makes sending idempotent."""

    __tablename__ = "email_sends"
    __table_args__ = (UniqueConstraint("user_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    # sending (claimed, in the SMTP conversation) -> sent | failed; see webapp/weekly/send.py
    # for what a run does with each after a crash.
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[str | None] = mapped_column(String(255))


class PendingShare(Base):
    """A file shared into the app while logged out, kept until this browser logs in.

    The browser holds a random token in a cookie; only its SHA-256 is stored here.
    """

    __tablename__ = "pending_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
