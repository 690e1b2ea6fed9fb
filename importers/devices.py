"""Readable device names: "Garmin Forerunner 945", "Suunto 9 Baro", "Strava (Android)".

    fit_device_name(manufacturer, product, product_name) -> str | None
    clean_creator(text) -> str | None   (a GPX `creator` or a TCX <Creator><Name>)

FIT files name the maker and the product by numbers (FIT SDK profile, types `manufacturer`
and `garmin_product`). fitdecode's copy of that profile turns them into enum names ("garmin",
"fr945", "vivo_active_hr"); Suunto, COROS and others write a `product_name` string instead
("Suunto 9 Baro"). GPX and TCX files carry a free-text creator, often with a version and a URL
("GPSBabel - http://www.gpsbabel.org", "MyTrails 2.0.3 - http://www.frogsparks.com/mytrails").
"""

from __future__ import annotations

import re

MAX_NAME = 60

# FIT SDK profile, type `manufacturer`: the makers runners' files come from (number and the
# enum name fitdecode gives) and how they write their own name.
MANUFACTURERS = {
    1: "Garmin",
    15: "Garmin",  # dynastream: Garmin's ANT+ arm, in some older Garmin files
    23: "Suunto",
    32: "Wahoo",
    95: "Stryd",
    123: "Polar",
    260: "Zwift",
    265: "Strava",
    267: "Bryton",
    289: "Hammerhead",
    294: "COROS",
}
_MAKER_NAMES = {
    "garmin": "Garmin",
    "dynastream": "Garmin",
    "dynastream_oem": "Garmin",
    "suunto": "Suunto",
    "wahoo_fitness": "Wahoo",
    "stryd": "Stryd",
    "polar_electro": "Polar",
    "polar": "Polar",
    "zwift": "Zwift",
    "strava": "Strava",
    "bryton": "Bryton",
    "hammerhead": "Hammerhead",
    "coros": "COROS",
}
# Products by number for makers that write no product_name; the FIT SDK enumerates only
# Garmin's (fitdecode names those). Wahoo 28 is the ELEMNT (its own file names say so).
PRODUCTS = {("Wahoo", 28): "ELEMNT"}

# Garmin product families: the enum name's stem and how Garmin writes it.
GARMIN_FAMILIES = (
    ("fr", "Forerunner"),
    ("fenix", "Fenix"),
    ("epix_gen", "Epix Gen "),
    ("epix", "Epix"),
    ("enduro", "Enduro"),
    ("instinct", "Instinct"),
    ("vivo_active", "Vivoactive"),
    ("vivoactive", "Vivoactive"),
    ("vivo_smart", "Vivosmart"),
    ("vivosmart", "Vivosmart"),
    ("vivo_move", "Vivomove"),
    ("vivomove", "Vivomove"),
    ("vivo_fit", "Vivofit"),
    ("venusq", "Venu Sq"),
    ("venu", "Venu"),
    ("edge", "Edge"),
)
# Regional variants share the model's name (fr945_asia, fenix3_hr_jpn, fr620_russia...).
_REGION = re.compile(
    r"_(asia|apac|japan|jpn|china|chn|taiwan|twn|korea|kor|sea|russia|thai|emea|hebrew)$"
)
_LETTERS = {"hr": "HR", "lte": "LTE", "xt": "XT", "gps": "GPS"}


def _word(word: str) -> str:
    """ "920xt" -> "920XT", "hr" -> "HR", "plus" -> "Plus"."""
    if re.fullmatch(r"\d+[a-zA-Z]{0,2}", word):
        return word.upper()
    return _LETTERS.get(word.lower(), word.capitalize())


def garmin_product_name(enum_name: str) -> str:
    """The model of a Garmin enum name: "fr945" -> "Forerunner 945", "fenix6S" -> "Fenix 6S"."""
    stem = _REGION.sub("", enum_name)
    for prefix, family in GARMIN_FAMILIES:
        if stem.lower().startswith(prefix):
            rest = stem[len(prefix) :].strip("_")
            words = [_word(w) for w in rest.split("_") if w]
            return (family + " " + " ".join(words)).replace("  ", " ").strip()
    return " ".join(w.capitalize() for w in stem.split("_") if w)


_NOT_A_MAKER = {"development", "unknown", "invalid"}  # test and homemade files (255: development)


def _maker(manufacturer: object) -> str | None:
    if isinstance(manufacturer, int) and not isinstance(manufacturer, bool):
        return MANUFACTURERS.get(manufacturer)
    if isinstance(manufacturer, str) and manufacturer.lower() not in _NOT_A_MAKER:
        return _MAKER_NAMES.get(manufacturer.lower(), manufacturer.replace("_", " ").title())
    return None


def fit_device_name(
    manufacturer: object, product: object, product_name: object = None
) -> str | None:
    """The device of a FIT file_id message, as its maker writes it; None when nothing useful.

    `manufacturer`: the enum name or number; `product`: Garmin's enum name ("fr945") or a
    number; `product_name`: the device's own string when it wrote one.
    """
    maker = _maker(manufacturer)
    if isinstance(product_name, str) and product_name.strip():
        name = " ".join(product_name.split())[:MAX_NAME]
        if maker and not name.lower().startswith(maker.lower()):
            return f"{maker} {name}"
        return name
    if isinstance(product, str) and product.strip():
        model = garmin_product_name(product) if maker == "Garmin" else product
        return f"{maker} {model}" if maker else model
    if isinstance(product, int) and maker and (maker, product) in PRODUCTS:
        return f"{maker} {PRODUCTS[(maker, product)]}"
    return maker


_URL = re.compile(r"\s*(?:[-–(]\s*)?(?:https?://|www\.)\S*\)?", re.IGNORECASE)
_VERSION = re.compile(r"\s+v?\d+(?:\.\d+)+\w*\b")
_CREATORS = (  # what apps write, and what a runner calls them
    (re.compile(r"^StravaGPX\s+(Android|iPhone|iOS)$", re.I), r"Strava (\1)"),
    (re.compile(r"^StravaGPX$", re.I), "Strava"),
    (
        re.compile(
            r"^(Forerunner|fēnix|fenix|vívoactive|vivoactive|Edge|Epix|Enduro|Venu)\b", re.I
        ),
        r"Garmin \1",
    ),
)


def clean_creator(text: object) -> str | None:
    """A GPX/TCX creator string without its URL and version: "GPSBabel", "Strava (Android)"."""
    if not isinstance(text, str):
        return None
    name = " ".join(text.split())
    name = _URL.sub("", name)
    name = _VERSION.sub("", name)
    name = name.strip(" -–,;:()")
    for pattern, replacement in _CREATORS:
        name = pattern.sub(replacement, name)
    return name[:MAX_NAME] or None
