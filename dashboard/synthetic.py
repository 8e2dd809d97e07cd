"""Synthetic incident stores for the dashboard's tests and benchmarks (never for users).

Incidents are scattered around a few dozen hubs on land-ish coordinates, over a date
range, with every event type, spans for some, all three geo precisions and a mix of date
precisions, so filters and the timeline have something to do.

Examples
--------
>>> rows = make_rows(5, seed=1)
>>> len(rows), sorted(rows[0])[:3]
(5, ['admin1', 'confidence', 'country'])
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from geodata.store import IncidentStore

TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
         "Strategic developments")
HUBS = (  # (lat, lon, country)
    (36.2, 37.15, "SY"), (33.51, 36.29, "SY"), (33.31, 44.36, "IQ"), (15.35, 44.2, "YE"),
    (31.52, 34.45, "PS"), (50.45, 30.52, "UA"), (48.0, 37.8, "UA"), (9.03, 38.74, "ET"),
    (2.04, 45.34, "SO"), (15.5, 32.56, "SD"), (12.65, -8.0, "ML"), (9.07, 7.4, "NG"),
    (-4.32, 15.31, "CD"), (34.53, 69.17, "AF"), (16.87, 96.2, "MM"), (4.71, -74.07, "CO"),
    (19.43, -99.13, "MX"), (-23.55, -46.63, "BR"), (33.89, 35.5, "LB"), (32.89, 13.19, "LY"),
)
SOURCES = ("Reuters", "AP", "AFP", "Al Jazeera", "BBC", "Kyiv Independent")
DATE_PRECISION_CHOICES = ("day", "day", "day", "week", "month")


def make_rows(n: int, *, seed: int = 0, start: date = date(2024, 1, 1), days: int = 365,
              title: str | None = None) -> list[dict[str, Any]]:
    """`n` incident rows (export column names) for `IncidentStore.add_incident_rows`."""
    rng = np.random.default_rng(seed)
    hub = rng.integers(0, len(HUBS), n)
    lat = np.array([HUBS[h][0] for h in hub]) + rng.normal(0, 0.8, n)
    lon = np.array([HUBS[h][1] for h in hub]) + rng.normal(0, 0.8, n)
    t = rng.integers(0, len(TYPES), n)
    day = rng.integers(0, days, n)
    span = np.where(rng.random(n) < 0.1, rng.integers(1, 10, n), 0)
    prec = rng.choice([1, 1, 1, 2, 3], n)
    fat = np.where(rng.random(n) < 0.3, -1, rng.poisson(2, n) * (rng.random(n) < 0.5))
    dprec = rng.integers(0, len(DATE_PRECISION_CHOICES), n)
    src = rng.integers(0, len(SOURCES), n)
    rows = []
    for i in range(n):
        d0 = start + timedelta(days=int(day[i]))
        d1 = d0 + timedelta(days=int(span[i]))
        p = int(prec[i])
        rows.append({
            "id": f"syn{seed}-{i:07d}",
            "event_type": TYPES[t[i]],
            "sub_event_type": "",
            "date_start": d0.isoformat(),
            "date_end": d1.isoformat(),
            "date_precision": DATE_PRECISION_CHOICES[dprec[i]] if span[i] == 0 else "week",
            "fatalities": None if fat[i] < 0 else int(fat[i]),
            "place": f"Place {hub[i]}-{i % 97}",
            "country": HUBS[hub[i]][2],
            "admin1": f"Province {hub[i]}",
            "feature_class": "city" if p < 3 else "admin1",
            "geo_precision": p,
            "confidence": 0.8,
            "snippet": f"Synthetic report {i}: {TYPES[t[i]].lower()} near place {hub[i]}.",
            "title": title if title is not None else f"Synthetic incident {i}",
            "url": f"https://news.example.org/{seed}/{i}",
            "source": SOURCES[src[i]],
            "published": d1.isoformat(),
            "n_sources": 1,
            "lat": float(np.clip(lat[i], -89, 89)) if p < 3 else float(HUBS[hub[i]][0]),
            "lon": float(np.clip(lon[i], -179, 179)) if p < 3 else float(HUBS[hub[i]][1]),
            "radius_km": 0.0 if p == 1 else 5.0 if p == 2 else 150.0,
        })
    return rows


def build_store(path: str | Path, n: int, *, seed: int = 0, batch: int = 100_000, **kwargs: Any) -> Path:
    """Write a new store of `n` synthetic incidents at `path`."""
    path = Path(path)
    with IncidentStore(path) as store:
        for lo in range(0, n, batch):
            store.add_incident_rows(make_rows(min(batch, n - lo), seed=seed * 1000 + lo // batch, **kwargs))
    return path
