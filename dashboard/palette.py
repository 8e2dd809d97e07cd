"""Colours of event types, shared by the map, its legend and the timeline.

ACLED's six event types get fixed colours (colour-blind friendly, from the Okabe-Ito and
Tableau palettes) so a type keeps its colour whatever the filters; other types take the
next free colour in a stable order.

Examples
--------
>>> colors_for(["Battles", "Protests"])
['#d62728', '#1f77b4']
"""

from __future__ import annotations

from collections.abc import Sequence

ACLED_COLORS: dict[str, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#1f77b4",
    "Riots": "#e377c2",
    "Strategic developments": "#2ca02c",
}
_EXTRA = ("#8c564b", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39")


def colors_for(types: Sequence[str]) -> list[str]:
    """One colour per type, in the order given."""
    out: list[str] = []
    extra = 0
    for name in types:
        if name in ACLED_COLORS:
            out.append(ACLED_COLORS[name])
        else:
            out.append(_EXTRA[extra % len(_EXTRA)])
            extra += 1
    return out
