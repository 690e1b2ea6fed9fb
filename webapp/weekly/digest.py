"""What the weekly email says: a week's runs, muscles and trend, and next week's sessions.

In: a database session, a user and a week label. Out: `build_digest` -> WeeklyDigest (every
field already text in the runner's units), or None for a runner who never uploaded. The
numbers come from webapp.weeks.weekly_context, the same as the week page's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from webapp.load_words import FLOOR_LOAD, change_words
from webapp.models import Activity, User
from webapp.units import format_day, format_distance, format_duration, format_elevation
from webapp.weekly.schedule import parse_week
from webapp.weekly.unsubscribe import unsubscribe_token
from webapp.weeks import WeekView, weekly_context

BLOCK_TITLES = {
    "heavy": "Heavy legs",
    "moderate": "Moderate legs",
    "isometric": "Legs: holds only",
    "none": "No leg block",
}


@dataclass(frozen=True)
class RunLine:
    day: str
    name: str
    distance: str
    moving_time: str
    elevation: str


@dataclass(frozen=True)
class MuscleLine:
    """One leg muscle: last week's load against the usual (chronic) weekly load."""

    key: str
    label: str
    load: float
    usual: float
    status: str  # hot | neglected | steady | new (webapp.load_words.change_words)
    change: str  # "+35 %", "3 × usual", "new", "level", "light"
    bar_pct: int  # bar widths, relative to the largest number in the table
    usual_pct: int
    note: str = ""  # "some damage: likely sore"


@dataclass(frozen=True)
class ExerciseLine:
    name: str
    dose: str  # "3 × 8", "3 × 30 s"
    load: str
    why: str


@dataclass(frozen=True)
class SessionLine:
    day: str
    title: str
    note: str
    exercises: list[ExerciseLine]
    same_as: str = ""  # "Tuesday": the same exercises as that day's session


@dataclass(frozen=True)
class WeeklyDigest:
    """Everything the templates show, as text in the runner's units."""

    to: str
    week: str
    period: str
    kind: str  # "report" (runs last week) | "nudge" (none)
    run_count: int
    distance: str
    moving_time: str
    elevation: str
    runs: list[RunLine]
    muscles: list[MuscleLine]
    trend: str
    sessions: list[SessionLine]
    plan_note: str
    app_url: str
    settings_url: str
    unsubscribe_url: str
    hot: list[str] = field(default_factory=list)
    neglected: list[str] = field(default_factory=list)

    @property
    def more_line(self) -> str:
        """The muscles that did more than usual, in one line ("" for none)."""
        if not self.hot:
            return ""
        if len(self.hot) == len(self.muscles) and len(self.hot) > 2:
            return "Every leg muscle did more than in your usual week."
        return "More than usual: " + ", ".join(self.hot)

    @property
    def less_line(self) -> str:
        """The muscles that did less than usual, in one line ("" for none)."""
        return "Less than usual: " + ", ".join(self.neglected) if self.neglected else ""

    @property
    def week_number(self) -> int:
        return parse_week(self.week)[1]

    @property
    def subject(self) -> str:
        if self.kind == "nudge":
            what = (
                "is next week's session" if len(self.sessions) <= 1 else "are next week's sessions"
            )
            return f"Week {self.week_number}: no runs logged, here {what}"
        runs = "1 run" if self.run_count == 1 else f"{self.run_count} runs"
        return (
            f"Your legs, week {self.week_number}: {runs}, {self.distance}, "
            f"{self.moving_time}, {self.elevation} up"
        )


def muscle_picture(muscles: list[dict]) -> list[MuscleLine]:
    """weekly_context's per-muscle dicts as table lines, biggest load first.

    "Usual" is the chronic load as a weekly figure (the engine's 42-day average), so the
    change is the week against the runner's own normal: a trend, not a risk score.
    """
    top = max([m["week_load"] for m in muscles] + [m["chronic"] for m in muscles] + [0.0])
    top = top or 1.0
    lines = []
    for m in muscles:
        load, usual = float(m["week_load"]), float(m["chronic"])
        if load <= 0 and usual <= 0:
            continue
        change = change_words(load, usual)
        lines.append(
            MuscleLine(
                key=m["key"],
                label=m["label"],
                load=load,
                usual=usual,
                status="steady" if change.status == "none" else change.status,
                change=change.short,
                bar_pct=round(100 * load / top),
                usual_pct=round(100 * usual / top),
                note=m.get("damage_words") or "",
            )
        )
    return sorted(lines, key=lambda line: (-line.load, line.key))


def _trend(lines: list[MuscleLine]) -> str:
    load, usual = sum(m.load for m in lines), sum(m.usual for m in lines)
    if usual <= 1e-9:
        return "This is your first week on record, so there is no trend yet."
    floor = FLOOR_LOAD * max(len(lines), 1)
    words = change_words(load, usual, "your usual week (the six-week average)", floor).words
    return f"All leg muscles together: {words[0].lower()}{words[1:]}"


def _period(start: date, last: date) -> str:
    if start.month == last.month:
        return f"{start.day}–{last.day} {last:%B %Y}"
    return f"{start.day} {start:%B} – {last.day} {last:%B %Y}"


def _dose(exercise: dict) -> str:
    if exercise.get("seconds"):
        return f"{exercise['sets']} × {exercise['seconds']} s"
    return f"{exercise['sets']} × {exercise.get('reps', '')}"


def sessions_of(view: WeekView) -> list[SessionLine]:
    """The week's strength sessions from its plan (with the runner's swaps).

    A session that repeats an earlier one says so instead of listing it all again.
    """
    lines: list[SessionLine] = []
    for s in view.plan.get("sessions", []):
        day = date.fromisoformat(s["day"])
        exercises = [
            ExerciseLine(e["name"], _dose(e), e.get("load") or "", e.get("why") or "")
            for e in s["exercises"]
        ]
        title = BLOCK_TITLES.get(s["leg_block"], s["leg_block"])
        twin = next((x for x in lines if x.exercises == exercises and x.title == title), None)
        lines.append(
            SessionLine(
                day=f"{day:%A} {day.day} {day:%B}",
                title=title,
                note=s.get("note") or "",
                exercises=exercises,
                same_as=twin.day.split()[0] if twin else "",
            )
        )
    return lines


def has_uploaded(db: Session, user_id: int) -> bool:
    return bool(db.scalar(select(exists().where(Activity.user_id == user_id))))


def build_digest(
    db: Session,
    user: User,
    week: str,
    base_url: str,
    secret_key: str,
    now: datetime | None = None,
) -> WeeklyDigest | None:
    """The email's content for `user` and `week`; None for a runner who never uploaded.

    The week's runs, totals and muscles come from webapp.weeks.weekly_context (the same
    numbers as the week page); the sessions from the plan of the week after it.
    """
    if not has_uploaded(db, user.id):
        return None
    view = weekly_context(db, user, week, now=now)
    following = weekly_context(db, user, view.start + timedelta(days=7), now=now)
    units = user.units or "km"
    totals = view.totals
    muscles = muscle_picture(view.muscles) if view.runs else []
    base = base_url.rstrip("/")
    return WeeklyDigest(
        to=user.email,
        week=view.week,
        period=_period(view.start, view.end),
        kind="report" if view.runs else "nudge",
        run_count=len(view.runs),
        distance=format_distance(totals["distance_m"], units, 1),
        moving_time=format_duration(totals["moving_time_s"]),
        elevation=format_elevation(totals["elevation_gain_m"], units),
        runs=[
            RunLine(
                day=format_day(run.local_day),
                name=run.name or "Run",
                distance=format_distance(run.distance_m, units, 1),
                moving_time=format_duration(run.moving_time_s),
                elevation=format_elevation(run.elevation_gain_m or 0, units),
            )
            for run in view.runs
        ],
        muscles=muscles,
        hot=[line.label for line in muscles if line.status == "hot"],
        neglected=[line.label for line in muscles if line.status == "neglected"],
        trend=_trend(muscles),
        sessions=sessions_of(following),
        plan_note=" ".join(following.plan.get("notes", [])),
        app_url=f"{base}/week",
        settings_url=f"{base}/settings",
        unsubscribe_url=f"{base}/unsubscribe/{unsubscribe_token(secret_key, user.id)}",
    )
