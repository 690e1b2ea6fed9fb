"""Device names a runner reads, and multisport legs named by their own sport."""

from __future__ import annotations

import pytest

import importers
from importers.devices import clean_creator, fit_device_name, garmin_product_name


@pytest.mark.parametrize(
    ("enum_name", "expected"),
    [
        ("fr945", "Forerunner 945"),
        ("fr920xt", "Forerunner 920XT"),
        ("fr945_asia", "Forerunner 945"),
        ("vivo_active_hr", "Vivoactive HR"),
        ("fenix6S_sport", "Fenix 6S Sport"),
        ("edge520", "Edge 520"),
        ("epix_gen2", "Epix Gen 2"),
    ],
)
def test_garmin_products(enum_name, expected):
    assert garmin_product_name(enum_name) == expected


@pytest.mark.parametrize(
    ("maker", "product", "product_name", "expected"),
    [
        ("suunto", 5, "Suunto 9 Baro", "Suunto 9 Baro"),  # not "suunto Suunto 9 Baro"
        ("garmin", "fr945", None, "Garmin Forerunner 945"),
        (1, "fr255", None, "Garmin Forerunner 255"),
        ("coros", 1, "COROS APEX Pro", "COROS APEX Pro"),
        ("wahoo_fitness", 28, None, "Wahoo ELEMNT"),
        ("polar_electro", 999, "V800", "Polar V800"),
        (294, None, None, "COROS"),
        ("strava", 1161, None, "Strava"),
        (None, None, None, None),
        ("development", 0, None, None),  # a file written by a test or a homemade tool
    ],
)
def test_fit_device_names(maker, product, product_name, expected):
    assert fit_device_name(maker, product, product_name) == expected


@pytest.mark.parametrize(
    ("creator", "expected"),
    [
        ("GPSBabel - http://www.gpsbabel.org", "GPSBabel"),
        ("MyTrails 2.0.3 - http://www.frogsparks.com/mytrails", "MyTrails"),
        ("StravaGPX Android", "Strava (Android)"),
        ("StravaGPX", "Strava"),
        ("Forerunner 945", "Garmin Forerunner 945"),
        ("Garmin Connect", "Garmin Connect"),
        ("https://example.org/app", None),
        ("   ", None),
        (None, None),
    ],
)
def test_creator_strings(creator, expected):
    assert clean_creator(creator) == expected


@pytest.mark.shared
@pytest.mark.parametrize(
    ("rel", "device"),
    [
        ("fit/suunto9baro_trail-run_1817m-ascent__6910052863.fit", "Suunto 9 Baro"),
        ("fit/garmin-fr945_run_14km__6782987395.fit", "Garmin Forerunner 945"),
        ("gpx/mytrails_mountain-trail_41km_3384m-up_2-segments__6909258631.gpx", "MyTrails"),
        ("tcx/garmin-fr945_treadmill_no-position__6860622783.tcx", "Garmin Forerunner 945"),
    ],
)
def test_real_device_names(shared_activities, rel, device):
    path = shared_activities / rel
    acts = importers.load(path.read_bytes(), path.name)
    assert {a.device for a in acts} == {device}


@pytest.mark.shared
def test_triathlon_legs_are_not_all_called_run(shared_activities):
    path = (
        shared_activities
        / "fit/garmin-fr255_triathlon_multisport_summary-first__triathlon_summary_first.fit"
    )
    legs = importers.load(path.read_bytes(), path.name)
    assert [a.sport for a in legs] == ["swimming", "transition", "cycling", "transition", "running"]
    for leg in legs:
        if leg.sport != "running":
            assert leg.name != "Run", leg.sport
