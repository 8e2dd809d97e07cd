"""Plain-dict views of mentions and incidents for JSON output (parse --json, evaluate)."""

from __future__ import annotations

from typing import Any

from geodata.model import Incident, Mention


def mention_to_dict(m: Mention) -> dict[str, Any]:
    place = m.place
    return {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "kind": m.kind,
        "label": m.label,
        "place": place.name if place else None,
        "place_id": place.id if place else None,
        "feature_class": place.feature_class if place else None,
        "country": place.country_code if place else None,
        "admin1": place.admin1 if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "geo_precision": m.geo_precision,
        "confidence": round(m.confidence, 3),
        "candidates": [
            {"place_id": c.place_id, "name": c.name, "country": c.country_code, "score": round(c.score, 3)}
            for c in m.candidates
        ],
    }


def incident_to_dict(i: Incident) -> dict[str, Any]:
    place = i.mention.place
    return {
        "event_type": i.event_type,
        "sub_event_type": i.sub_event_type,
        "date_start": i.date_start.isoformat() if i.date_start else None,
        "date_end": i.date_end.isoformat() if i.date_end else None,
        "date_precision": i.date_precision,
        "date_text": i.date_text,
        "fatalities": i.fatalities,
        "place": place.name if place else i.mention.text,
        "country": place.country_code if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "geo_precision": i.mention.geo_precision,
        "confidence": round(i.mention.confidence, 3),
        "snippet": i.snippet,
        "notes": list(i.notes),
    }
