"""A duplicate fingerprint that is the same for the FIT, GPX and TCX of one activity.

The parts are coarse on purpose, so that the small differences between formats (a GPX export
drops the device's distance, a FIT session starts a second earlier) do not change them: the
start time to the minute (UTC), the elapsed time in 10-minute steps and the distance in whole
kilometres. Two different runs almost never share a start minute, so coarse duration and
distance cost nothing in false matches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importers.activity import Activity

DURATION_STEP_S = 600.0
DISTANCE_STEP_M = 1000.0


def fingerprint(activity: Activity) -> str:
    start = activity.start_time.strftime("%Y%m%dT%H%MZ")
    duration = round(activity.elapsed_time_s / DURATION_STEP_S)
    distance = round(activity.distance_m / DISTANCE_STEP_M)
    return f"{start}/{duration}/{distance}"
