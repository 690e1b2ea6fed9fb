"""State over a history: damage time course, repeated-bout effect, EWMAs (2.4, cases 6-8, 11)."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from engine import state
from engine.state import LoadRecord, compute_state, daily_series
from engine.stimulus import compute_stimulus, steady_stimulus
from tests.engine.activities import steady_run

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def reference_record(start=T0):
    """The reference descent (30 min at -10 %, 3 m/s), recorded and run through the model."""
    stim = compute_stimulus(steady_run(3.0, -0.10, km=5.4, start_time=start))
    return LoadRecord.from_stimulus(start, stim.moving_time_s, stim.to_dict())


def quad_d2_over(records, start, hours):
    return np.array(
        [
            compute_state(records, start + timedelta(hours=float(h))).muscles["quadriceps"].damage
            for h in hours
        ]
    )


def test_case_6_damage_peaks_between_24_and_48_h_and_fades_by_day_7():
    rec = reference_record()
    hours = np.arange(0, 24 * 8 + 1)
    d2 = quad_d2_over([rec], rec.end_time, hours)
    peak_h = hours[np.argmax(d2)]
    assert 24 <= peak_h <= 48
    assert d2[24 * 7] < 0.2 * d2.max()
    assert d2[96] / d2.max() == pytest.approx(0.49, abs=0.03)


def test_case_8_engine_part_quads_dn_the_day_after_the_reference_run():
    rec = reference_record()
    dn = compute_state([rec], rec.end_time + timedelta(hours=24)).muscles["quadriceps"]
    assert dn.damage_normalised >= 0.6
    peak = compute_state([rec], rec.end_time + timedelta(days=1.5)).muscles["quadriceps"]
    assert peak.damage_normalised == pytest.approx(1.0, abs=0.02)
    # the recommender's shortcut gives the same record
    ref = state.reference_record(T0)
    assert ref.muscles["quadriceps"] == pytest.approx(rec.muscles["quadriceps"], rel=0.01)


def test_case_7_repeated_bout_three_weeks_later_does_about_half_the_damage():
    first = reference_record()
    second = reference_record(T0 + timedelta(weeks=3))
    hours = np.arange(0, 24 * 5)
    peak1 = quad_d2_over([first], first.end_time, hours).max()
    peak2 = quad_d2_over([first, second], second.end_time, hours).max()
    assert 0.4 <= peak2 / peak1 <= 0.7


@pytest.mark.parametrize(("weeks", "novelty"), [(3, 0.50), (6, 0.69), (9, 0.83)])
def test_repeated_bout_protection_fades_as_byrnes_found(weeks, novelty):
    first = reference_record()
    second = reference_record(T0 + timedelta(weeks=weeks))
    after = second.end_time + timedelta(days=1.5)
    alone = compute_state([second], after).muscles["quadriceps"].damage
    both = compute_state([first, second], after).muscles["quadriceps"].damage
    assert both / alone == pytest.approx(novelty, abs=0.02)


def test_case_11_ewma_constants():
    assert state.williams_lambda(7) == 0.25
    assert state.banister_lambda(42) == pytest.approx(1 / 42)


def test_flat_running_builds_load_but_no_damage():
    records = [
        LoadRecord.from_stimulus(T0 + timedelta(days=d), 3000, steady_stimulus(3.0, 0.0, 3000))
        for d in range(0, 28, 2)
    ]
    st = compute_state(records, T0 + timedelta(days=28))
    quads = st.muscles["quadriceps"]
    assert quads.damage_normalised < 0.01
    assert quads.chronic > 0 and quads.acute > 0
    assert st.fitness > 0 and st.form == pytest.approx(st.fitness - st.fatigue)


def test_ewma_closed_form_equals_day_by_day_recursion():
    rng = np.random.default_rng(4)
    days = sorted(rng.choice(120, size=50, replace=False))
    records = [
        LoadRecord(T0 + timedelta(days=int(d)), 3600, {"calves": (float(x), 0.0)}, float(x))
        for d, x in zip(days, rng.uniform(10, 200, size=50), strict=True)
    ]
    as_of = T0 + timedelta(days=130)
    st = compute_state(records, as_of)
    daily = np.zeros(131)
    for r in records:
        daily[(r.start_time - T0).days] += r.muscles["calves"][0]
    acute = chronic = fitness = fatigue = 0.0
    for x in daily:
        acute += 0.25 * (x - acute)
        chronic += 2 / 43 * (x - chronic)
        fitness += (x - fitness) / 42
        fatigue += (x - fatigue) / 7
    assert st.muscles["calves"].acute == pytest.approx(acute)
    assert st.muscles["calves"].chronic == pytest.approx(chronic)
    assert st.fitness == pytest.approx(fitness)
    assert st.fatigue == pytest.approx(fatigue)


def test_records_after_as_of_are_ignored_and_order_does_not_matter():
    a, b = reference_record(), reference_record(T0 + timedelta(days=10))
    as_of = T0 + timedelta(days=5)
    assert compute_state([a, b], as_of) == compute_state([a], as_of)
    later = T0 + timedelta(days=12)
    assert compute_state([b, a], later) == compute_state([a, b], later)
    empty = compute_state([], as_of)
    assert empty.muscles["quadriceps"].damage == 0 and empty.fitness == 0


@pytest.mark.parametrize("first_day", [1, 12])  # before all the runs, and after two of them
def test_daily_series_agrees_with_compute_state_at_day_ends(first_day):
    records = [reference_record(T0 + timedelta(days=d)) for d in (0, 9, 20)]
    series = daily_series(records, date(2026, 3, first_day), date(2026, 3, 31))
    assert len(series.days) == 32 - first_day
    for i in (1, 5, 10, 17):
        day_end = datetime.combine(series.days[i] + timedelta(days=1), datetime.min.time(), UTC)
        st = compute_state(records, day_end - timedelta(microseconds=1))
        q = st.muscles["quadriceps"]
        assert series.acute["quadriceps"][i] == pytest.approx(q.acute)
        assert series.chronic["quadriceps"][i] == pytest.approx(q.chronic)
        assert series.damage_normalised["quadriceps"][i] == pytest.approx(
            q.damage_normalised, abs=1e-4
        )
        assert series.fitness[i] == pytest.approx(st.fitness)
    assert set(series.to_dict()) >= {"days", "acute", "chronic", "fitness", "fatigue", "form"}


def test_state_to_dict_is_json_safe():
    import json

    st = compute_state([reference_record()], T0 + timedelta(days=2))
    data = json.loads(json.dumps(st.to_dict()))
    assert data["muscles"]["quadriceps"]["damage_normalised"] > 0.5
    assert {"fitness", "fatigue", "form", "as_of"} <= set(data)


def test_records_of_other_sessions_can_load_core_and_upper_body():
    lift = LoadRecord(T0, 3600, {"core": (50.0, 0.0), "upper_pull": (30.0, 5.0)}, 0.0)
    st = compute_state([lift, reference_record()], T0 + timedelta(days=1))
    assert st.muscles["core"].acute == pytest.approx(0.25 * 50.0 * 0.75)
    assert st.muscles["upper_pull"].damage > 0
    assert st.muscles["quadriceps"].damage_normalised > 0.5


def test_daily_series_refuses_an_end_before_its_start():
    with pytest.raises(ValueError, match="end on or after"):
        daily_series([], date(2026, 3, 2), date(2026, 3, 1))
    empty = daily_series([], date(2026, 3, 1), date(2026, 3, 3))
    assert list(empty.acute["calves"]) == [0.0, 0.0, 0.0]
