"""Every form the pages post, as WTForms classes (Flask-WTF adds the CSRF token).

Each form validates one POST and gives a message per wrong field, in the words the pages show
beside that field. Choices that several views need (weekdays, focuses, equipment, units) live
here too. Errors: a form never raises; `validate_on_submit()` is False and `form.errors` says why.
"""

from __future__ import annotations

import functools
import re
import zoneinfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Form,
    IntegerField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    AnyOf,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from engine.plan.profile import GOAL_LABELS
from webapp.bounds import check_day

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
SHORT_PASSWORD = f"Please choose a password of at least {MIN_PASSWORD} characters."
NO_CURRENT = "Please type your current password."

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FOCUSES = (
    ("endurance", "Endurance (marathon, ultra)"),
    ("speed", "Speed and power (5k, 10k, track)"),
    ("general", "General strength"),
)
EQUIPMENT = (
    ("none", "Bodyweight only"),
    ("band", "Resistance band"),
    ("dumbbells", "Dumbbells"),
    ("kettlebell", "Kettlebell"),
    ("gym", "A gym (barbell, machines)"),
)
UNITS = (("km", "Kilometres"), ("mi", "Miles"))
# The sports a runner can give an activity (importers' names); the first three are runs.
SPORTS = (
    ("running", "Run"),
    ("trail_running", "Trail run"),
    ("treadmill_running", "Treadmill run"),
    ("walking", "Walk"),
    ("hiking", "Hike"),
    ("cycling", "Ride"),
    ("swimming", "Swim"),
    ("other", "Something else"),
)


def sport_name(sport: str) -> str:
    """ "trail_running" -> "Trail running"."""
    return sport.replace("_", " ").capitalize()


GOAL_CHOICES = tuple(GOAL_LABELS.items())
EXPERIENCE_CHOICES = (
    ("new", "New to it"),
    ("some", "Some (now and then)"),
    ("regular", "Regular (most weeks)"),
)
SORENESS_CHOICES = (("fresh", "Fresh"), ("a_bit_sore", "A bit sore"), ("very_sore", "Very sore"))


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


@functools.cache
def timezones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


# --- accounts -------------------------------------------------------------------------------


class LoginForm(FlaskForm):
    email = StringField("Email", filters=[normalise_email])
    password = PasswordField("Password")


class RegisterForm(FlaskForm):
    email = StringField(
        "Email",
        filters=[normalise_email],
        validators=[Regexp(EMAIL_RE, message="Please enter a valid email address.")],
    )
    password = PasswordField(
        "Password", validators=[Length(min=MIN_PASSWORD, message=SHORT_PASSWORD)]
    )


class ForgotPasswordForm(FlaskForm):
    email = StringField("Email", filters=[normalise_email])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password", validators=[Length(min=MIN_PASSWORD, message=SHORT_PASSWORD)]
    )
    confirm = PasswordField(
        "The same password again",
        validators=[
            EqualTo("password", "The two passwords differ. Please type the same one twice.")
        ],
    )


class ButtonForm(FlaskForm):
    """A form that is only a button (log out other devices, turn the weekly email on): the
    CSRF token is all it carries."""


class ChangePasswordForm(ResetPasswordForm):
    """A new password while logged in: the current one first (a borrowed phone is not enough)."""

    current = PasswordField("Current password", validators=[InputRequired(NO_CURRENT)])


class ChangeEmailForm(FlaskForm):
    """A new address while logged in; it changes once the link sent to it is opened."""

    email = StringField(
        "New email",
        filters=[normalise_email],
        validators=[Regexp(EMAIL_RE, message="Please enter a valid email address.")],
    )
    current = PasswordField("Current password", validators=[InputRequired(NO_CURRENT)])


class TokenForm(FlaskForm):
    """A new API token; the name is optional (webapp.tokens gives a default and trims it)."""

    name = StringField("What is it for?")


class DeleteAccountForm(FlaskForm):
    confirm = PasswordField("Type your email or password to confirm")


class UploadForm(FlaskForm):
    """Running files for /upload; the importers judge each file's bytes."""

    files = MultipleFileField("Files")

    def uploads(self) -> list:
        return [f for f in self.files.data or [] if f and f.filename]


class SessionDoneForm(FlaskForm):
    """The exercises ticked when a strength session is marked done (any subset of the plan's)."""

    exercises = SelectMultipleField("Exercises", validate_choice=False)
    version = StringField("Version")  # "short": the session's 15-minute version was done

    def chosen(self, names: list[str]) -> list[str]:
        """The plan's exercise names that were ticked, in the plan's order."""
        ticked = set(self.exercises.data or [])
        return [name for name in names if name in ticked]


class ExerciseLogForm(Form):
    """What was done of one exercise (all optional; empty = done as prescribed).

    Rendered and read with the prefix "log-<i>-" (i = the exercise's place in the session)."""

    sets = IntegerField("Sets", validators=[Optional(), NumberRange(1, 20, "Sets: give 1-20.")])
    reps = IntegerField(
        "Reps or seconds", validators=[Optional(), NumberRange(1, 600, "Reps: give 1-600.")]
    )
    load_kg = DecimalField(
        "Extra kg",
        places=None,
        validators=[Optional(), NumberRange(0, 500, "Load: give 0-500 kg.")],
    )

    def detail(self, dose: str) -> dict:
        """{"sets", "reps" | "seconds" (by the exercise's `dose`), "load_kg"}: only what was
        given."""
        out: dict = {}
        if self.sets.data is not None:
            out["sets"] = self.sets.data
        if self.reps.data is not None:
            out[dose] = self.reps.data
        if self.load_kg.data is not None:
            out["load_kg"] = float(self.load_kg.data)
        return out


def exercise_logs(formdata, exercises: list[dict]) -> tuple[dict[str, dict], list[str]]:
    """({name: detail} for the exercises with something logged, [plain error messages]).

    `exercises` are the plan's exercise dicts (name, "seconds" for a timed one, and
    "load_per_hand" when its weight is asked per hand)."""
    details, errors = {}, []
    for i, ex in enumerate(exercises):
        form = ExerciseLogForm(formdata, prefix=f"log-{i}-")
        if not form.validate():
            errors += [f"{ex['name']}: {m[0]}" for m in form.errors.values()]
            continue
        detail = form.detail("seconds" if "seconds" in ex else "reps")
        if ex.get("load_per_hand") and "load_kg" in detail:
            detail["load_kg"] *= 2  # asked per hand; the log and the plan keep the pair's total
        if detail:
            details[ex["name"]] = detail
    return details, errors


class SorenessForm(FlaskForm):
    """The week page's check-in: how the legs feel today."""

    level = RadioField(
        "Legs today",
        choices=_choices(SORENESS_CHOICES),
        validators=[InputRequired("Pick how your legs feel today.")],
    )


class SwapForm(FlaskForm):
    """Swap one planned exercise (named as planned) for one of its alternatives."""

    exercise = StringField("Exercise")
    to = StringField("Instead")


class ActivityEditForm(FlaskForm):
    """The runner's corrections of one activity (webapp.edits applies them)."""

    sport = SelectField("Sport", choices=_choices(SPORTS))
    is_race = BooleanField("This was a race")
    excluded = BooleanField("Leave this out of my load")

    def offer_sport(self, sport: str) -> None:
        """Keep an activity's own sport among the choices when it is not one of SPORTS."""
        if sport and sport not in dict(SPORTS):
            self.sport.choices = [*self.sport.choices, SelectChoice(sport, sport_name(sport))]


# --- settings -------------------------------------------------------------------------------


class WholeNumber(IntegerField):
    """An integer field whose parse error names the field, as the settings page words it."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"{self.label.text}: please enter a whole number.") from None


class PickedDate(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(
                f"{self.label.text}: please use the date picker (YYYY-MM-DD)."
            ) from None


def _whole(label: str, low: int, high: int, optional: bool = False) -> WholeNumber:
    first = Optional() if optional else InputRequired(f"{label}: please enter a whole number.")
    return WholeNumber(
        label,
        validators=[first, NumberRange(low, high, f"{label} must be between {low} and {high}.")],
    )


class SettingsForm(FlaskForm):
    units = RadioField("Units", choices=_choices(UNITS), default="km")
    timezone = SelectField(
        "Time zone",
        default="UTC",
        validate_choice=False,
        validators=[AnyOf(timezones(), message="Please pick a time zone from the list.")],
    )
    week_start = _whole("Week start", 0, 6)
    # The goal ("focus") and the equipment are asked once, in the profile form (ProfileForm).
    available_days = SelectMultipleField(
        "Days",
        coerce=int,
        choices=_choices(enumerate(WEEKDAYS)),
        validators=[InputRequired("Pick at least one day you could do a strength session.")],
    )
    long_run_day = _whole("Long-run day", 0, 6, optional=True)
    race_date = PickedDate("Race date", validators=[Optional()])
    hr_max = _whole("Maximum heart rate", 120, 230, optional=True)
    hr_rest = _whole("Resting heart rate", 25, 110, optional=True)
    sex = SelectField(
        "Sex", choices=_choices((("", "Average"), ("female", "Female"), ("male", "Male")))
    )
    weekly_email = BooleanField("Weekly email")
    email_weekday = _whole("Email day", 0, 6)
    email_hour = _whole("Email hour", 0, 23)

    def validate_race_date(self, field):
        problem = field.data and check_day(field.data)
        if problem:
            raise ValidationError(f"Race date: {problem}")

    def validate_hr_rest(self, field):
        if field.data and self.hr_max.data and field.data >= self.hr_max.data:
            raise ValidationError("Resting heart rate must be below your maximum.")

    def values(self) -> dict:
        """The validated settings as User column values."""
        values = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        values["available_days"] = sorted(set(values["available_days"]))
        values["sex"] = values["sex"] or None
        return values

    def shown(self) -> dict:
        """What the page shows: the text as typed for numbers and dates, else the value."""
        shown = {}
        for name, field in self._fields.items():
            if isinstance(field, SelectMultipleField):
                shown[name] = list(field.data or [])  # a refused choice leaves None
                continue
            value = field._value() if isinstance(field, IntegerField | DateField) else field.data
            if value is None:  # a field the POST left out (an empty POST leaves out all)
                value = [] if isinstance(field, SelectMultipleField) else ""
            shown[name] = value
        return shown


class ProfileForm(FlaskForm):
    """The runner profile (first-run form and Settings' "Your training"); each field's empty
    value is refused except body mass (then loads are relative to body weight)."""

    goal = RadioField("What do you want to be strong for?", choices=_choices(GOAL_CHOICES))
    experience = RadioField("Strength training so far", choices=_choices(EXPERIENCE_CHOICES))
    body_mass_kg = DecimalField(
        "Body mass (kg)",
        places=None,
        validators=[
            Optional(),
            NumberRange(30, 250, "Body mass: give 30-250 kg, or leave it empty."),
        ],
    )
    minutes = _whole("Minutes per session", 15, 90)
    sessions_per_week = _whole("Sessions per week", 1, 3)
    equipment = SelectMultipleField("Equipment", choices=_choices(EQUIPMENT))

    def answers(self) -> dict:
        """The validated answers as RunnerProfile columns (and equipment and body_mass_kg, which
        live on User)."""
        mass = self.body_mass_kg.data
        return {
            "profile_goal": self.goal.data,
            "profile_experience": self.experience.data,
            "body_mass_kg": None if mass is None else round(float(mass), 1),
            "profile_minutes": self.minutes.data,
            "profile_sessions_per_week": self.sessions_per_week.data,
            # "Bodyweight only" ticked beside dumbbells means the dumbbells
            "equipment": [q for q in self.equipment.data or [] if q != "none"] or ["none"],
        }

    def shown(self) -> dict:
        """What the page shows: the text as typed for numbers, else the value."""
        return {
            name: (field._value() if isinstance(field, IntegerField | DecimalField) else field.data)
            for name, field in self._fields.items()
            if name != "csrf_token"
        }
