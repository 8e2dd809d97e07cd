"""Read-only access to the offline gazetteer (a SQLite file built by `gazetteer_build`).

The file holds one `place` row per record and a `name` table keyed by the normalised
name, so a lookup is one indexed query; an LRU cache in front of it makes repeated
names (the usual case in news) cost a dictionary hit.

Examples
--------
>>> from geodata.gazetteer import Gazetteer, normalize_name
>>> normalize_name("the  Ḩalab-Governorate")
'halab governorate'
>>> gaz = Gazetteer()                                    # doctest: +SKIP
>>> gaz.lookup("Aleppo", country="SY")[0].feature_class  # doctest: +SKIP
'admin1'
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from geodata import settings
from geodata.errors import GazetteerMissing
from geodata.model import FEATURE_CLASSES, Place

log = logging.getLogger(__name__)

# Tie-break after population: a country outranks a province of the same size, and so on.
CLASS_RANK = {"country": 0, "admin1": 1, "region": 2, "water": 3, "landform": 4, "city": 5, "admin2": 6, "site": 7}
assert set(CLASS_RANK) == set(FEATURE_CLASSES)

# Letters NFKD does not decompose, and marks that are dropped rather than spaced:
# "U.S." and "us" must meet, and so must "Ma'arrat" and "Maarrat".
_FOLD = str.maketrans({
    "ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ħ": "h",
    "'": None, "’": None, "‘": None, "ʻ": None, "ʼ": None, "`": None, "´": None, ".": None,
})
_NON_WORD = re.compile(r"[\W_]+")
_PLACE_COLUMNS = "p.id, p.name, p.feature_class, p.country_code, p.admin1, p.population, p.lat, p.lon, p.radius_km"
_CACHE_SIZE = 50_000


def normalize_name(s: str) -> str:
    """The key every name is stored and looked up under.

    Casefolds, strips diacritics and punctuation, drops a leading "the " and collapses
    spaces, so "The Hague", "the  hague" and "Hague" meet.

    Examples
    --------
    >>> normalize_name("São Paulo")
    'sao paulo'
    >>> normalize_name("the U.S.")
    'us'
    >>> normalize_name("Ma'arrat al-Nu'man")
    'maarrat al numan'
    """
    s = s.casefold()
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = _NON_WORD.sub(" ", s.translate(_FOLD)).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


_SKELETON_DROPS = re.compile(r"[aeiouyw\s'-]+")


def name_skeleton(norm: str) -> str:
    """A normalised name without vowels, "y", "w" and spaces, and "q" read as "k":
    transliterations of one name mostly differ only there ("Deir ez-Zor" and "Dayr az Zawr",
    "Kharkiv" and "Kharkov", "Kiryat Shmona" and "Qiryat Shmona").

    Examples
    --------
    >>> name_skeleton("khan younis") == name_skeleton("khan yunis")
    True
    """
    return _SKELETON_DROPS.sub("", norm.replace("q", "k"))  # "Qiryat" is "Kiryat"


def same_transliteration(name: str, other: str) -> bool:
    """Whether `other` is `name` written another way (both normalised; see `name_skeleton`).
    An `other` under five letters is too short to tell ("come" is not "como").

    >>> same_transliteration("khan yunis", "khan younis"), same_transliteration("como", "come")
    (True, False)
    """
    return len(other) >= 5 and name_skeleton(name) == name_skeleton(other)


# The Arabic article GeoNames writes and English-language news drops ("Al Qamishli" and
# "Qamishli", "Ar Raqqah" and "Raqqa"), before a space, a hyphen or an ayn sign.
_ARABIC_ARTICLE = re.compile(r"^(?:Al|El|Ar|As|Ash|Ad|An|Az|At|Ath)[ ‘’'ʿ-]+(?=\w)", re.IGNORECASE)


def without_arabic_article(name: str) -> str | None:
    """The name without a leading Arabic article, or None when it has none (or too little
    would be left). Works on names as written and on normalised ones.

    >>> without_arabic_article("Al Qamishli"), without_arabic_article("ar raqqah"), without_arabic_article("Al Ain")
    ('Qamishli', 'raqqah', None)
    """
    bare = _ARABIC_ARTICLE.sub("", name, count=1)
    return bare if bare != name and len(bare) >= 4 else None


def _place(row: tuple) -> Place:
    return Place(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8])


class Gazetteer:
    """The built gazetteer, opened read-only.

    The connection opens lazily, once per process and thread, so a `Gazetteer` can be
    created in the parent and used in worker processes (it pickles without its connection).

    Parameters
    ----------
    path : str or Path, optional
        The SQLite file; None means `settings.gazetteer_path()`.

    Raises
    ------
    GazetteerMissing
        If the file does not exist yet.

    Examples
    --------
    >>> gaz = Gazetteer()                       # doctest: +SKIP
    >>> gaz.country("SY").name                  # doctest: +SKIP
    'Syria'
    >>> gaz.demonym("Iranians").country_code    # doctest: +SKIP
    'IR'
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path).expanduser() if path is not None else settings.gazetteer_path()
        if not self.path.is_file():
            raise GazetteerMissing(
                f"gazetteer {self.path} does not exist; run `incident-atlas gazetteer build` first"
            )
        self._local = threading.local()
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._words: frozenset[str] | None = None

    # -- connection -------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        local = self._local
        conn = getattr(local, "conn", None)
        # A connection inherited through fork must not be used in the child.
        if conn is None or local.pid != os.getpid():
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            local.conn, local.pid = conn, os.getpid()
        return conn

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._local = threading.local()
        self._cache = OrderedDict()
        self._cache_lock = threading.Lock()
        self._words = None

    def clear_cache(self) -> None:
        """Forget cached lookups (for timing the SQL path, or after an import into the file)."""
        with self._cache_lock:
            self._cache.clear()

    def close(self) -> None:
        """Close this thread's connection (it reopens on the next call)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r})"

    # -- lookups ----------------------------------------------------------------------------

    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        feature_classes: Iterable[str] | None = None,
        limit: int = 25,
    ) -> list[Place]:
        """Places whose normalised name or alias equals `name`'s, best-known first.

        Parameters
        ----------
        name : str
            A place name as written ("Aleppo", "the United States", "Cook County").
        country : str, optional
            ISO alpha-2 code; keeps places in that country (and regions that touch it).
        feature_classes : iterable of str, optional
            Keep only these classes, e.g. ``{"city", "admin1"}``.
        limit : int
            At most this many places.

        Returns
        -------
        list of Place
            Ordered by population, then feature class (country first).

        Examples
        --------
        >>> [p.country_code for p in Gazetteer().lookup("Tripoli", limit=2)]  # doctest: +SKIP
        ['LY', 'LB']
        """
        classes = None
        if feature_classes is not None:
            classes = tuple(sorted(set(feature_classes)))
            unknown = [c for c in classes if c not in CLASS_RANK]
            if unknown:
                raise ValueError(f"feature_classes {unknown!r}: not among {FEATURE_CLASSES}")
        key = (normalize_name(name), country.upper() if country else None, classes, limit)
        return list(self._cached(key, self._query_names))

    def _cached(self, key: tuple, query: Any) -> Any:
        """`query(*key)` through the LRU cache (hits are the common case in news)."""
        cache = self._cache
        hit = cache.get(key)
        if hit is not None:
            try:
                cache.move_to_end(key)
            except KeyError:  # evicted by another thread meanwhile; the value is still good
                pass
        else:
            hit = query(*key)
            with self._cache_lock:
                cache[key] = hit
                if len(cache) > _CACHE_SIZE:
                    cache.popitem(last=False)
        return hit

    def _query_names(
        self, norm: str, country: str | None, classes: tuple[str, ...] | None, limit: int
    ) -> tuple[Place, ...]:
        if not norm:
            return ()
        sql = [f"SELECT {_PLACE_COLUMNS} FROM name n JOIN place p ON p.rowid = n.place WHERE n.norm = ?"]
        args: list[Any] = [norm]
        if country:
            # Regions store every country they touch as "|IR|OM|".
            sql.append("AND (p.country_code = ? OR instr(p.countries, ?) > 0)")
            args += [country, f"|{country}|"]
        if classes is not None:
            sql.append(f"AND p.feature_class IN ({','.join('?' * len(classes))})")
            args += classes
        sql.append("ORDER BY p.prominence DESC, p.class_rank, p.rowid LIMIT ?")
        args.append(limit)
        return tuple(_place(r) for r in self._conn().execute(" ".join(sql), args))

    def written_names(self, name: str) -> dict[str, str]:
        """Place id -> the name as the gazetteer writes it, for the places `name` matches
        ("BiH" -> {"3277605": "BiH"}): how a name is capitalised tells an acronym ("MoD")
        from a place's own spelling.

        Examples
        --------
        >>> Gazetteer().written_names("SoCal")  # doctest: +SKIP
        {'atlas:southern-california': 'SoCal'}
        """
        norm = normalize_name(name)
        if not norm:
            return {}
        rows = self._conn().execute(
            "SELECT p.id, n.surface FROM name n JOIN place p ON p.rowid = n.place WHERE n.norm = ?", (norm,))
        return dict(rows)

    def get(self, place_id: str) -> Place | None:
        """The place with this id ("163843", "atlas:golan-heights"), or None.

        Examples
        --------
        >>> Gazetteer().get("163843").name  # doctest: +SKIP
        'Syria'
        """
        row = self._conn().execute(f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.id = ?", (str(place_id),)).fetchone()
        return _place(row) if row else None

    def _by_code(self, code: str, feature_class: str) -> Place | None:
        return self._cached(("#code", code.upper(), feature_class), self._query_code)

    def _query_code(self, _tag: str, code: str, feature_class: str) -> Place | None:
        row = self._conn().execute(
            f"SELECT {_PLACE_COLUMNS} FROM code c JOIN place p ON p.rowid = c.place "
            "WHERE c.code = ? AND p.feature_class = ? ORDER BY p.population DESC LIMIT 1",
            (code, feature_class),
        ).fetchone()
        return _place(row) if row else None

    def country(self, code: str) -> Place | None:
        """The country with this ISO alpha-2 code (alpha-3 works too), or None.

        Examples
        --------
        >>> Gazetteer().country("ir").name  # doctest: +SKIP
        'Iran'
        """
        return self._by_code(code.strip(), "country") if code and code.strip() else None

    def admin1(self, country_code: str, name_or_code: str) -> Place | None:
        """A first-level division of a country, by name, alias or code.

        Codes may be ISO 3166-2 ("SY-HL" or "HL") or GeoNames admin1 codes ("SY.09" or "09").

        Examples
        --------
        >>> Gazetteer().admin1("UA", "Crimea").id  # doctest: +SKIP
        '703883'
        >>> Gazetteer().admin1("US", "IL").name    # doctest: +SKIP
        'Illinois'
        """
        cc, value = country_code.strip().upper(), name_or_code.strip()
        if not cc or not value:
            return None
        for code in (value, f"{cc}-{value}", f"{cc}.{value}"):
            place = self._by_code(code, "admin1")
            if place is not None and place.country_code == cc:
                return place
        found = self.lookup(value, country=cc, feature_classes=("admin1",), limit=1)
        return found[0] if found else None

    def demonym(self, word: str) -> Place | None:
        """The country a demonym names: "Iranian" and "Iranians" give Iran.

        Examples
        --------
        >>> Gazetteer().demonym("Syrian").name  # doctest: +SKIP
        'Syria'
        """
        norm = normalize_name(word)
        conn = self._conn()
        for key in (norm, norm[:-1] if norm.endswith("s") else None):
            if not key:
                continue
            row = conn.execute("SELECT country_code FROM demonym WHERE norm = ?", (key,)).fetchone()
            if row and (key == norm or not self._names_a_country_or_region(norm)):
                return self.country(row[0])
        return None

    def english_words(self) -> frozenset[str]:
        """Normalised one-word place names that are also common English words ("bell",
        "superior"); built from the `english-words` package's Webster's Second list."""
        if self._words is None:
            try:
                self._words = frozenset(n for (n,) in self._conn().execute("SELECT norm FROM word"))
            except sqlite3.OperationalError:  # built before the table existed: work on without it
                log.warning("gazetteer %s has no word table; run `incident-atlas gazetteer build`", self.path)
                self._words = frozenset()
        return self._words

    def _names_a_country_or_region(self, norm: str) -> bool:
        # "Philippines" and "Laos" are the demonyms "Philippine" and "Lao" plus an s, and
        # the countries' own names: the place wins, or "in the Philippines" is no place.
        return bool(self.lookup(norm, feature_classes=("country", "admin1"), limit=1))

    def iter_names(self, *, min_population: int = 0, with_main_name: bool = False) -> Iterator[tuple]:
        """Every (surface name, feature_class, population), for building an entity ruler.

        With `with_main_name`, each row ends with the place's own name, so that a caller can
        tell a place's name from the alternate names GeoNames collects in other languages
        ("Rest" for Rasht, "Come" for Como).

        Examples
        --------
        >>> next(Gazetteer().iter_names(min_population=1_000_000))  # doctest: +SKIP
        ('Afghanistan', 'country', 37172386)
        """
        main = ", p.name" if with_main_name else ""
        rows = self._conn().execute(
            f"SELECT n.surface, p.feature_class, p.population{main} FROM name n JOIN place p ON p.rowid = n.place "
            "WHERE p.population >= ? OR p.feature_class NOT IN ('city', 'admin2') ORDER BY p.rowid",
            (min_population,),
        )
        yield from rows

    def iter_demonyms(self) -> Iterator[tuple[str, str]]:
        """Every (demonym as written, country code): "Iranians", "IR".

        Examples
        --------
        >>> ("Iranian", "IR") in set(Gazetteer().iter_demonyms())  # doctest: +SKIP
        True
        """
        yield from self._conn().execute("SELECT surface, country_code FROM demonym ORDER BY surface")

    def info(self) -> dict[str, Any]:
        """What is in the file: counts per feature class, names, size, build date and sources.

        Examples
        --------
        >>> Gazetteer().info()["counts"]["country"]  # doctest: +SKIP
        252
        """
        conn = self._conn()
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        counts = dict(conn.execute("SELECT feature_class, count(*) FROM place GROUP BY feature_class ORDER BY 1"))
        return {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size,
            "built": meta.get("built", ""),
            "build_seconds": float(meta.get("build_seconds", "nan")),
            "counts": counts,
            "places": sum(counts.values()),
            "names": conn.execute("SELECT count(*) FROM name").fetchone()[0],
            "demonyms": conn.execute("SELECT count(*) FROM demonym").fetchone()[0],
            "sources": json.loads(meta.get("sources", "[]")),
            "imports": json.loads(meta.get("imports", "[]")),
            "warnings": json.loads(meta.get("warnings", "[]")),
        }
