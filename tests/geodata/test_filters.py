"""IncidentFilter: validation, date-overlap semantics, and SQL agreeing with matches()."""

from __future__ import annotations

import random
from datetime import date

import pytest

from geodata.filters import IncidentFilter
from geodata.store import IncidentStore

D = date


@pytest.mark.parametrize(
    ("kwargs", "quoted"),
    [
        ({"start": D(2024, 3, 5), "end": D(2024, 3, 1)}, "2024-03-01"),
        ({"bbox": (40.0, 30.0, 35.0, 37.0)}, "(40.0, 30.0, 35.0, 37.0)"),
        ({"bbox": (35.0, 38.0, 40.0, 37.0)}, "(35.0, 38.0, 40.0, 37.0)"),
        ({"bbox": (35.0, 30.0, 40.0)}, "(35.0, 30.0, 40.0)"),
        ({"bbox": (-190.0, 30.0, 40.0, 37.0)}, "-190.0"),
        ({"countries": ("Syria",)}, "'SYRIA'"),
        ({"geo_precision": (4,)}, "4"),
        ({"date_precision": ("fortnight",)}, "'fortnight'"),
        ({"min_fatalities": -1}, "-1"),
        ({"start": "2024-03-01"}, "'2024-03-01'"),
    ],
)
def test_bad_values_are_rejected_and_quoted(kwargs, quoted):
    with pytest.raises(ValueError) as info:
        IncidentFilter(**kwargs)
    assert quoted in str(info.value)


def test_inputs_are_normalised():
    f = IncidentFilter(countries=["sy", " iq"], types="Battles", text="  ")
    assert (f.countries, f.types, f.text) == (("SY", "IQ"), ("Battles",), None)
    assert IncidentFilter().is_empty and not f.is_empty


# (date_start, date_end) of an incident against the window 2024-03-10 .. 2024-03-20.
OVERLAP_CASES = [
    ((D(2024, 3, 1), D(2024, 3, 9)), False),   # ends the day before
    ((D(2024, 3, 1), D(2024, 3, 10)), True),   # ends on the first day
    ((D(2024, 3, 1), D(2024, 3, 31)), True),   # spans the whole window
    ((D(2024, 3, 15), D(2024, 3, 15)), True),  # a day inside
    ((D(2024, 3, 20), D(2024, 4, 2)), True),   # starts on the last day
    ((D(2024, 3, 21), D(2024, 3, 21)), False),  # the day after
    ((D(2024, 3, 12), None), True),            # one known bound counts as that day
    ((None, D(2024, 3, 25)), False),
    ((None, None), False),                     # undated: only without a window
]


@pytest.mark.parametrize(("span", "expected"), OVERLAP_CASES)
def test_a_span_matches_a_window_it_overlaps(span, expected):
    row = {"date_start": span[0], "date_end": span[1]}
    assert IncidentFilter(start=D(2024, 3, 10), end=D(2024, 3, 20)).matches(row) is expected
    assert IncidentFilter().matches(row) is True


def test_open_ended_windows():
    month = {"date_start": "2024-03-01", "date_end": "2024-03-31"}
    assert IncidentFilter(start=D(2024, 3, 31)).matches(month)
    assert not IncidentFilter(start=D(2024, 4, 1)).matches(month)
    assert IncidentFilter(end=D(2024, 3, 1)).matches(month)
    assert not IncidentFilter(end=D(2024, 2, 29)).matches(month)
    assert not IncidentFilter(end=D(2030, 1, 1)).matches({"date_start": None, "date_end": float("nan")})


def test_values_travel_as_parameters_not_sql():
    hostile = "x' OR 1=1 --"
    where, params = IncidentFilter(types=(hostile,), text="50%_off").to_sql()
    assert hostile not in where and "50" not in where
    assert hostile in params
    with IncidentStore() as store:
        store.add_incident_rows([{"id": "a", "event_type": "Riots", "snippet": "5000 off"}])
        assert store.incidents_frame(IncidentFilter(types=(hostile,))).empty
        # % and _ are literal in a search, not wildcards.
        assert store.incidents_frame(IncidentFilter(text="50%_off")).empty
        assert len(store.incidents_frame(IncidentFilter(text="00 OFF"))) == 1


def _varied_rows(n: int = 300) -> list[dict]:
    """Incidents covering every filtered column, with gaps (None) in each."""
    rnd = random.Random(1234)
    texts = ["Shelling of Idlib", "ÉTAT islamique attack", "état d'urgence", "100% destroyed", "under_score",
             "Protest in Baghdad", "", None]
    rows = []
    for i in range(n):
        start = None if i % 9 == 0 else D(2024, 1, 1).fromordinal(D(2024, 1, 1).toordinal() + rnd.randrange(90))
        end = start if start is None or i % 4 else start.fromordinal(start.toordinal() + rnd.randrange(40))
        if i % 13 == 0 and start:
            start, end = (None, end) if i % 2 else (start, None)
        located = i % 7 != 0
        rows.append({
            "id": f"r{i:03d}",
            "event_type": rnd.choice(["Battles", "Protests", "Riots", "Explosions/Remote violence"]),
            "date_start": start, "date_end": end,
            "date_precision": rnd.choice(["day", "week", "month", "unknown"]),
            "country": rnd.choice(["SY", "IQ", "UA", None]),
            "source": rnd.choice(["Wire", "Agency", "Blog", None]),
            "lat": rnd.uniform(-40, 60) if located else None,
            "lon": rnd.uniform(-20, 60) if located else None,
            "geo_precision": rnd.choice([1, 2, 3, None]),
            "fatalities": rnd.choice([None, 0, 1, 2, 5, 30]),
            "snippet": rnd.choice(texts), "title": rnd.choice(texts), "place": rnd.choice(["Idlib", "Kyiv", None]),
        })
    return rows


FILTERS = [
    IncidentFilter(),
    IncidentFilter(start=D(2024, 2, 1), end=D(2024, 2, 15)),
    IncidentFilter(start=D(2024, 3, 1)),
    IncidentFilter(end=D(2024, 1, 10)),
    IncidentFilter(types=("Battles", "Riots"), countries=("SY",)),
    IncidentFilter(sources=("Agency",), min_fatalities=2),
    IncidentFilter(bbox=(0.0, 0.0, 40.0, 45.0)),
    IncidentFilter(bbox=(10.0, 10.0, 10.0, 10.0)),
    IncidentFilter(geo_precision=(1, 2), date_precision=("day",)),
    IncidentFilter(min_fatalities=0),
    IncidentFilter(text="idlib"),
    IncidentFilter(text="état"),   # ASCII-only folding: matches "état", not "ÉTAT"
    IncidentFilter(text="100%"),
    IncidentFilter(text="r_s"),
    IncidentFilter(start=D(2024, 1, 20), end=D(2024, 3, 1), countries=("IQ", "UA"), bbox=(-20.0, -40.0, 60.0, 60.0),
                   min_fatalities=1, text="a"),
]


def test_sql_and_python_agree_on_a_varied_store(tmp_path):
    rows = _varied_rows()
    with IncidentStore(tmp_path / "varied.db") as store:
        store.add_incident_rows(rows)
        frame = store.incidents_frame()
        seen = []
        for flt in FILTERS:
            sql_ids = store.incidents_frame(flt)["id"].tolist()
            # Python on the frame's rows (NaN for gaps) and on the original dicts (None, date objects).
            py_ids = sorted(r["id"] for r in frame.to_dict("records") if flt.matches(r))
            raw_ids = sorted(r["id"] for r in rows if flt.matches(r))
            assert sorted(sql_ids) == py_ids == raw_ids, flt
            seen.append(len(sql_ids))
    # The fixture is only useful if the filters actually split it.
    assert seen[0] == len(rows) and all(0 < n < len(rows) for n in seen[1:7] + seen[8:])
    assert len(set(seen)) > 8


def test_ascii_only_case_folding_is_the_documented_rule():
    f = IncidentFilter(text="état")
    assert f.matches({"snippet": "ÉTAT"}) is False
    assert f.matches({"title": "Un ÉtAT"}) is False
    assert f.matches({"place": "L'éTAT"}) is True


@pytest.mark.parametrize("flt", FILTERS[1:], ids=lambda f: ",".join(
    k for k, v in f.__dict__.items() if v not in (None, ())))
def test_every_filter_rejects_a_row_with_nothing_known(flt):
    empty = dict.fromkeys(["date_start", "date_end", "event_type", "country", "source", "lat", "lon",
                           "geo_precision", "date_precision", "fatalities", "snippet", "title", "place"])
    assert flt.matches(empty) is False


def test_filters_are_hashable_values():
    # Frozen: the dashboard can cache results per filter.
    a, b = IncidentFilter(countries=["SY"]), IncidentFilter(countries=("sy",))
    assert a == b and len({a, b}) == 1
