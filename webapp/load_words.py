"""Changes in load said in plain words, with a floor: the one rule for the week page and email.

`change_words(load, usual)` compares a recent load (a muscle's last 7 days or last week, in
Legday units per week) with the usual week (the chronic, 6-week average per week) and returns a
Change: `status` ("new" | "hot" | "neglected" | "steady" | "none"), `short` (a table cell:
"+25 %", "3 × usual", "new") and `words` (a sentence). No percentage on a tiny base: under
FLOOR_LOAD a usual week is too small to divide by ("first load in 6 weeks", not "+438 %"), and
from twice the usual up the change reads as "about N times" your usual week.
`quiet_words(weeks)` says "Your first run in 5 weeks." after a quiet spell.
"""

from __future__ import annotations

from typing import NamedTuple

# Legday units per week for one muscle (100 = all eight leg muscles for 1 km on the flat at
# 3 m/s, so about 12 per muscle and km): a usual week under this is about 3 km of running, too
# small a base for a percentage. Sums over n muscles use n times the floor.
FLOOR_LOAD = 40.0
HOT, NEGLECTED = 1.3, 0.8  # acute:chronic bounds of the usual "sweet spot" (shown as a trend)
LEVEL_BAND = 0.1  # within 10 % of the usual week reads as "about your usual week"
TIMES_FROM = 2.0  # from twice the usual week, "about N times" instead of a percentage


class Change(NamedTuple):
    status: str  # none | new | hot | neglected | steady
    short: str  # for a table cell
    words: str  # a sentence


def change_words(
    load: float, usual: float, usual_name: str = "your usual week", floor: float = FLOOR_LOAD
) -> Change:
    """`load` against `usual` (both per week, >= 0) in plain words; see the module docstring."""
    load, usual = max(float(load or 0), 0.0), max(float(usual or 0), 0.0)
    if load < 1 and usual < 1:
        return Change("none", "—", "No recent load.")
    if usual < floor:
        if load < floor:
            return Change("steady", "light", f"Light, like {usual_name}.")
        return Change("new", "new", f"New load: {usual_name} was too light to compare with.")
    ratio = load / usual
    status = "hot" if ratio >= HOT else "neglected" if ratio <= NEGLECTED else "steady"
    if abs(ratio - 1) < LEVEL_BAND:
        return Change(status, "level", f"About the same as {usual_name}.")
    if ratio >= TIMES_FROM:
        times = round(ratio)
        return Change(status, f"{times} × usual", f"About {times} times {usual_name}.")
    pct = round((ratio - 1) * 100)
    more = "more" if pct > 0 else "less"
    return Change(status, f"{pct:+d} %", f"{abs(pct)} % {more} than {usual_name}.")


def quiet_words(weeks: int | None) -> str:
    """ "Your first run in 5 weeks." after two or more weeks without a run; "" otherwise."""
    if weeks is None or weeks < 2:
        return ""
    return f"Your first run in {weeks} weeks."
