"""The incident store: a small class around the stdlib `sqlite3`.

One SQLite file holds articles, the place mentions found in them, incidents, and
``incident_sources`` (which articles report which incident). The schema lives in versioned
migrations (`geodata/migrations/*.sql`, applied by `geodata.migrations.migrate`).

Dedup rule
----------
An article's id is `Article.content_hash`. Re-adding an article with the same hash, or with
the same non-empty URL, changes nothing (`add_article` returns False).

An incident's id is a content hash of ``(event_type, place, date_start, date_end)`` where
*place* is the gazetteer ``place_id``, else the coordinates rounded to 0.01 degree, else the
case-folded mention text (see `incident_id`). So the same event reported by two articles is
ONE incident: the second article adds a row to ``incident_sources``; ``n_sources`` counts
those rows, ``fatalities`` is the largest number any source reports, and title, url, source,
published and snippet are those of the earliest-published source (unknown dates last, ties
to the first ingested). Sub-event type and fatality counts are not part of the key: sources
often disagree on both.

Examples
--------
>>> from geodata.model import Article, Incident, Mention, Place
>>> homs = Place("169577", "Homs", "city", "SY", "Homs", 775404, 34.72682, 36.72339)
>>> m = Mention("Homs", 20, 24, place=homs, confidence=0.9, geo_precision=1)
>>> inc = Incident("Battles", "Armed clash", m, "Clashes near Homs killed 3.",
...                fatalities=3, date_precision="unknown")
>>> with IncidentStore(":memory:") as store:
...     store.add_article(Article("Clashes erupted near Homs killing 3.", url="u1"), [m], [inc])
...     store.add_article(Article("Clashes erupted near Homs killing 3.", url="u1"), [m], [inc])
...     store.counts()
True
False
{'articles': 1, 'mentions': 1, 'incidents': 1}
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geodata import migrations
from geodata.errors import StoreError
from geodata.export import EXPORT_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS
from geodata.filters import IncidentFilter, iso_date
from geodata.model import Article, Candidate, Incident, Mention

MENTION_COLUMNS = [
    "article_id", "start", "end", "text", "kind", "label", "place_id", "name", "feature_class",
    "country_code", "admin1", "lat", "lon", "radius_km", "geo_precision", "confidence",
    "candidates", "sentence",
]
ARTICLE_COLUMNS = ["id", "url", "title", "source", "published", "origin", "warnings", "ingested_at"]
# Everything an incidents row holds that add_incident_rows accepts.
INCIDENT_COLUMNS = EXPORT_COLUMNS + ["place_id", "date_text"]
DATE_COLUMNS = ("date_start", "date_end", "published")
# Columns distinct_values() will list: the dashboard's dropdowns. A whitelist, because a
# column name cannot travel as a SQL parameter.
DISTINCT_COLUMNS = ("event_type", "sub_event_type", "country", "admin1", "source",
                    "date_precision", "geo_precision", "feature_class")


def _q(column: str) -> str:
    return f'"{column}"'  # "end" is an SQL keyword; quote every name alike


def incident_id(incident: Incident) -> str:
    """The dedup key of an incident: 16 hex digits of sha256 over type, place and dates.

    Examples
    --------
    >>> from geodata.model import Incident, Mention, Place
    >>> p = Place("169577", "Homs", "city", "SY", "Homs", 775404, 34.72682, 36.72339)
    >>> a = Incident("Battles", "Armed clash", Mention("Homs", 0, 4, place=p), "one")
    >>> b = Incident("Battles", "", Mention("Homs city", 9, 18, place=p), "two", fatalities=5)
    >>> incident_id(a) == incident_id(b)
    True
    """
    place = incident.mention.place
    if place is not None and place.id:
        where = f"place:{place.id}"
    elif place is not None:
        where = f"point:{place.lat:.2f},{place.lon:.2f}"
    else:
        where = "text:" + " ".join(incident.mention.text.casefold().split())
    key = [incident.event_type, where, iso_date(incident.date_start), iso_date(incident.date_end)]
    return hashlib.sha256(json.dumps(key).encode("utf-8")).hexdigest()[:16]


def _incident_row(incident: Incident) -> dict[str, Any]:
    m, p = incident.mention, incident.mention.place
    return {
        "id": incident_id(incident),
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "date_start": iso_date(incident.date_start),
        "date_end": iso_date(incident.date_end),
        "date_precision": incident.date_precision,
        "date_text": incident.date_text,
        "place_id": p.id if p else None,
        "place": p.name if p else m.text,
        "country": p.country_code if p else None,
        "admin1": p.admin1 if p else None,
        "feature_class": p.feature_class if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "radius_km": p.radius_km if p else None,
        # Without a place there is no location to be precise about.
        "geo_precision": m.geo_precision if p else None,
        "confidence": m.confidence,
        "snippet": incident.snippet,
        "n_sources": 0,  # set from incident_sources right after
    }


_CANDIDATE_FIELDS = tuple(f.name for f in dataclasses.fields(Candidate))


def _mention_row(article_id: str, m: Mention) -> tuple[Any, ...]:
    p = m.place
    # A plain dict per candidate: dataclasses.asdict deep-copies every field and cost the
    # parent process half a second per 600 articles.
    candidates = json.dumps(
        [{name: getattr(c, name) for name in _CANDIDATE_FIELDS} for c in m.candidates], ensure_ascii=False
    )
    return (
        article_id, m.start, m.end, m.text, m.kind, m.label,
        p.id if p else None, p.name if p else None, p.feature_class if p else None,
        p.country_code if p else None, p.admin1 if p else None,
        p.lat if p else None, p.lon if p else None, p.radius_km if p else None,
        m.geo_precision if p else None, m.confidence, candidates, m.sentence,
    )


def _sql_scalar(value: Any) -> Any:
    """numpy scalars to Python, pandas NA/NaT to None: values sqlite3 can bind."""
    if value is pd.NA or value is pd.NaT:
        return None
    return value.item() if hasattr(value, "item") else value


# Recompute the source-dependent fields of one incident from incident_sources.
_REFRESH_SQL = """
UPDATE incidents SET
    n_sources = (SELECT COUNT(*) FROM incident_sources WHERE incident_id = :id),
    fatalities = (SELECT MAX(fatalities) FROM incident_sources WHERE incident_id = :id),
    (article_id, snippet, title, url, source, published) = (
        SELECT a.id, s.snippet, a.title, a.url, a.source, a.published
        FROM incident_sources s JOIN articles a ON a.id = s.article_id
        WHERE s.incident_id = :id
        ORDER BY a.published IS NULL, a.published, a.ingested_at, a.rowid
        LIMIT 1)
WHERE id = :id
"""


class IncidentStore:
    """Articles, mentions and de-duplicated incidents in one SQLite database.

    Parameters
    ----------
    target : str, Path or sqlite3.Connection
        A file path (created unless ``create=False``), ``":memory:"``, or an open
        connection. A given connection is switched to autocommit
        (``isolation_level=None``, which commits anything pending) because the store
        manages its transactions explicitly; it is not closed by `close`.
    create : bool
        If False, a missing file raises StoreError instead of creating an empty store.

    Notes
    -----
    Files use WAL journaling, so the dashboard can read while an ingest writes. A
    connection belongs to the thread that opened it: open one store per thread.

    Examples
    --------
    >>> with IncidentStore(":memory:") as store:
    ...     store.counts()
    {'articles': 0, 'mentions': 0, 'incidents': 0}
    """

    #: Rows per fetch in `incident_arrays` (bounds the Python objects alive at once).
    READ_CHUNK = 65_536

    def __init__(self, target: str | Path | sqlite3.Connection = ":memory:", *, create: bool = True):
        if isinstance(target, sqlite3.Connection):
            self._owns = False
            conn = target
            conn.isolation_level = None
            try:  # name the file in error messages, as for a path
                self.path = conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
            except sqlite3.Error as err:
                raise StoreError(f"cannot use the given connection: {err}") from err
        else:
            self.path = str(target)
            self._owns = True
            if self.path != ":memory:" and not create and not Path(self.path).exists():
                raise StoreError(f"{self.path}: no incident store there; ingest articles first "
                                 "(incident-atlas ingest ... --db FILE) or check --db / INCIDENT_ATLAS_DB")
            try:
                # timeout: wait for a concurrent writer instead of failing at once.
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            except sqlite3.Error as err:
                raise StoreError(f"{self.path}: cannot open the incident store ({err}); "
                                 "check that the folder exists and is writable") from err
        self._conn = conn
        with self._errors("opening the store"):
            conn.execute("PRAGMA foreign_keys = ON")
            # 64 MiB page cache (default 2 MiB): the map reads a million-row table repeatedly.
            conn.execute("PRAGMA cache_size = -65536")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                # Safe with WAL (no corruption); at worst a power cut loses the last commits.
                conn.execute("PRAGMA synchronous = NORMAL")
            migrations.migrate(conn)

    # -- plumbing ---------------------------------------------------------------------

    def __enter__(self) -> IncidentStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection if the store opened it."""
        if self._owns:
            self._conn.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection (autocommit), for read-only ad-hoc queries."""
        return self._conn

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: {action} failed: {err}") from err

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")  # take the write lock now, not halfway through
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def applied_migrations(self) -> list[str]:
        """Names of the schema migrations recorded in this database, oldest first."""
        with self._errors("reading schema_migrations"):
            return migrations.applied(self._conn)

    # -- writing ----------------------------------------------------------------------

    def add_article(self, article: Article, mentions: Iterable[Mention] = (),
                    incidents: Iterable[Incident] = ()) -> bool:
        """Store one article with its mentions and incidents, all or nothing.

        Returns False, changing nothing, if an article with the same content hash or the
        same non-empty URL is already stored. Incidents are merged with earlier reports of
        the same event (see the module's dedup rule).

        Raises
        ------
        StoreError
            On any database error (for example a value breaking a CHECK constraint); the
            article is then not stored at all and the store stays usable.

        Examples
        --------
        >>> from geodata.model import Article
        >>> with IncidentStore() as store:
        ...     store.add_article(Article("Quiet day.", url="https://example.org/a"))
        ...     store.add_article(Article("Quiet  day."))  # same text after normalising
        True
        False
        """
        aid = article.content_hash
        mentions, incidents = list(mentions), list(incidents)
        label = article.url or article.origin or aid[:12]
        with self._errors(f"adding article {label!r}"), self._transaction():
            c = self._conn
            if self._is_stored(article):
                return False
            c.execute(
                f"INSERT INTO articles ({', '.join(map(_q, ARTICLE_COLUMNS))}, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (aid, article.url, article.title, article.source, iso_date(article.published),
                 article.origin, json.dumps(list(article.warnings), ensure_ascii=False),
                 datetime.now(timezone.utc).isoformat(timespec="microseconds"), article.text),
            )
            c.executemany(
                f"INSERT INTO mentions ({', '.join(map(_q, MENTION_COLUMNS))}) "
                f"VALUES ({', '.join('?' * len(MENTION_COLUMNS))})",
                [_mention_row(aid, m) for m in mentions],
            )
            # One article may report the same event twice (two sentences): one source row,
            # its largest fatality count, its first snippet.
            merged: dict[str, tuple[dict[str, Any], int | None]] = {}
            for incident in incidents:
                row = _incident_row(incident)
                prev = merged.get(row["id"])
                fat = incident.fatalities
                if prev is not None:
                    row = prev[0]
                    fat = max((f for f in (prev[1], fat) if f is not None), default=None)
                merged[row["id"]] = (row, fat)
            for iid, (row, fat) in merged.items():
                cols = list(row)
                c.execute(
                    f"INSERT INTO incidents ({', '.join(map(_q, cols))}) "
                    f"VALUES ({', '.join(':' + k for k in cols)}) ON CONFLICT(id) DO NOTHING",
                    row,
                )
                c.execute(
                    "INSERT INTO incident_sources (incident_id, article_id, snippet, fatalities) "
                    "VALUES (?, ?, ?, ?)",
                    (iid, aid, row["snippet"], fat),
                )
                c.execute(_REFRESH_SQL, {"id": iid})
        return True

    def has_article(self, article: Article) -> bool:
        """True if the article (same content hash, or same non-empty URL) is already stored.

        The pipeline asks before parsing, so a re-run costs a lookup, not a spaCy pass.
        """
        with self._errors("looking up an article"):
            return self._is_stored(article)

    def _is_stored(self, article: Article) -> bool:
        c = self._conn
        if c.execute("SELECT 1 FROM articles WHERE id = ?", (article.content_hash,)).fetchone():
            return True
        return bool(article.url) and c.execute(
            "SELECT 1 FROM articles WHERE url = ?", (article.url,)).fetchone() is not None

    def add_incident_rows(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Bulk-insert incident rows (export column names) in one transaction; return the count.

        Meant for benchmarks and imports that have no articles: rows carry their own
        title/url/source/published and ``n_sources`` (default 1). A missing ``id`` is
        made from the row's type, place and dates. Dates may be `date` objects or
        ``YYYY-MM-DD`` strings; NaN and None are both "unknown".

        Examples
        --------
        >>> with IncidentStore() as store:
        ...     store.add_incident_rows([{"id": "x1", "event_type": "Protests", "lat": 1.0, "lon": 2.0}])
        ...     store.counts()["incidents"]
        1
        1
        """
        # Defaults are applied in SQL (COALESCE) so the per-row Python work stays small:
        # this path loads a million rows. SQLite stores a NaN float as NULL by itself.
        defaults = {"sub_event_type": "''", "date_precision": "'unknown'", "date_text": "''",
                    "snippet": "''", "n_sources": "1"}
        placeholders = ", ".join(f"COALESCE(?, {defaults[c]})" if c in defaults else "?" for c in INCIDENT_COLUMNS)
        plain = (str, int, float, type(None))

        def values() -> Iterator[list[Any]]:
            for row in rows:
                get = row.get
                out = [get(c) for c in INCIDENT_COLUMNS]
                for i, v in enumerate(out):
                    if type(v) not in plain:  # date, numpy scalar, pandas NA: rare, so checked here
                        out[i] = iso_date(v) if INCIDENT_COLUMNS[i] in DATE_COLUMNS else _sql_scalar(v)
                if out[0] is None:
                    where = get("place_id") or f"{get('lat')},{get('lon')}"
                    key = [get("event_type"), where, iso_date(get("date_start")), iso_date(get("date_end"))]
                    out[0] = hashlib.sha256(json.dumps(key, default=str).encode()).hexdigest()[:16]
                yield out

        with self._errors("bulk-adding incidents"), self._transaction():
            before = self._conn.total_changes
            self._conn.executemany(
                f"INSERT INTO incidents ({', '.join(map(_q, INCIDENT_COLUMNS))}) VALUES ({placeholders})",
                values(),
            )
            return self._conn.total_changes - before

    # -- reading ----------------------------------------------------------------------

    def _select(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[tuple[Any, ...]]:
        with self._errors("reading"):
            return self._conn.execute(sql, params).fetchall()

    def counts(self) -> dict[str, int]:
        """Row counts: articles, mentions, incidents.

        Examples
        --------
        >>> IncidentStore().counts()
        {'articles': 0, 'mentions': 0, 'incidents': 0}
        """
        return {t: self._select(f"SELECT COUNT(*) FROM {t}")[0][0] for t in ("articles", "mentions", "incidents")}

    def incidents_frame(self, flt: IncidentFilter | None = None) -> pd.DataFrame:
        """Incidents passing `flt` (filtered in SQL), with exactly EXPORT_COLUMNS, in order.

        Sorted by start date (undated last), then id. ``fatalities``, ``geo_precision`` and
        ``n_sources`` are nullable Int64; confidence, lat, lon, radius_km are floats.

        Examples
        --------
        >>> list(IncidentStore().incidents_frame().columns) == EXPORT_COLUMNS
        True
        """
        where, params = (flt or IncidentFilter()).to_sql()
        rows = self._select(
            f"SELECT {', '.join(map(_q, EXPORT_COLUMNS))} FROM incidents WHERE {where} "
            "ORDER BY date_start IS NULL, date_start, id",
            params,
        )
        frame = pd.DataFrame.from_records(rows, columns=EXPORT_COLUMNS)
        return frame.astype({**{c: "Int64" for c in INT_COLUMNS}, **{c: "float64" for c in FLOAT_COLUMNS}})

    def incident_arrays(self, columns: Sequence[str], flt: IncidentFilter | None = None) -> dict[str, np.ndarray]:
        """Selected incident columns as NumPy arrays, read with one SELECT (the map's fast path).

        Dates become ``datetime64[D]`` (NaT when unknown); confidence, lat, lon, radius_km,
        fatalities and geo_precision become float64 (NaN when unknown); n_sources int64;
        text columns object arrays. Rows are in the same order as `incidents_frame`.

        Examples
        --------
        >>> with IncidentStore() as store:
        ...     _ = store.add_incident_rows([{"id": "a", "event_type": "Riots", "lat": 1.5, "lon": 2.5,
        ...                                   "date_start": "2024-05-01"}])
        ...     arrays = store.incident_arrays(["lon", "date_start"])
        >>> arrays["lon"], arrays["date_start"]
        (array([2.5]), array(['2024-05-01'], dtype='datetime64[D]'))
        """
        columns = list(columns)
        unknown = [c for c in columns if c not in EXPORT_COLUMNS]
        if unknown:
            raise ValueError(f"incident_arrays: unknown columns {unknown}; choose from {EXPORT_COLUMNS}")
        where, params = (flt or IncidentFilter()).to_sql()
        with self._errors("reading"):
            n = self._conn.execute(f"SELECT COUNT(*) FROM incidents WHERE {where}", params).fetchone()[0]
            out: dict[str, np.ndarray] = {}
            for name in columns:
                if name in DATE_COLUMNS:
                    out[name] = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
                elif name == "n_sources":
                    out[name] = np.zeros(n, dtype=np.int64)
                elif name in FLOAT_COLUMNS or name in INT_COLUMNS:
                    out[name] = np.full(n, np.nan, dtype=np.float64)
                else:
                    out[name] = np.empty(n, dtype=object)
            cursor = self._conn.execute(
                f"SELECT {', '.join(map(_q, columns))} FROM incidents WHERE {where} "
                "ORDER BY date_start IS NULL, date_start, id",
                params,
            )
            # Chunks, not fetchall(): a million rows as tuples of Python objects cost over a
            # gigabyte and long garbage-collector passes; a chunk's objects die young.
            at = 0
            while True:
                rows = cursor.fetchmany(self.READ_CHUNK)
                if not rows:
                    break
                end = min(n, at + len(rows))  # a concurrent writer may have added rows since COUNT
                for name, values in zip(columns, zip(*rows)):
                    target = out[name]
                    if target.dtype == object:
                        target[at:end] = values[:end - at]
                    else:
                        target[at:end] = np.array(values[:end - at], dtype=target.dtype)  # None -> NaN/NaT
                at = end
                if at >= n:
                    break
        if at < n:  # rows deleted since COUNT
            out = {k: v[:at] for k, v in out.items()}
        return out

    def incidents_by_id(self, ids: Iterable[str], columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The incidents with these ids, as dicts of `columns` (default EXPORT_COLUMNS).

        In the order of `ids`; ids not in the store are skipped. Values are as stored:
        ISO date strings, None for unknown. Reads in chunks of 500 ids (SQLite's parameter
        limit), so any number of ids is fine.

        Examples
        --------
        >>> with IncidentStore() as store:
        ...     _ = store.add_incident_rows([{"id": "a", "event_type": "Riots", "title": "T"},
        ...                                  {"id": "b", "event_type": "Protests"}])
        ...     store.incidents_by_id(["b", "zz", "a"], ["id", "event_type", "title"])
        [{'id': 'b', 'event_type': 'Protests', 'title': None}, {'id': 'a', 'event_type': 'Riots', 'title': 'T'}]
        """
        columns = list(columns or EXPORT_COLUMNS)
        unknown = [c for c in columns if c not in INCIDENT_COLUMNS]
        if unknown:
            raise ValueError(f"incidents_by_id: unknown columns {unknown}; choose from {INCIDENT_COLUMNS}")
        wanted = [str(i) for i in ids]
        select = ["id"] + [c for c in columns if c != "id"]
        found: dict[str, dict[str, Any]] = {}
        with self._errors("reading incidents by id"):
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                sql = (f"SELECT {', '.join(map(_q, select))} FROM incidents "
                       f"WHERE id IN ({', '.join('?' * len(chunk))})")
                for values in self._conn.execute(sql, chunk):
                    rec = dict(zip(select, values))
                    found[values[0]] = {c: rec[c] for c in columns}
        return [found[i] for i in wanted if i in found]

    def incident_sources(self, incident_id: str) -> list[dict[str, Any]]:
        """The articles that report one incident: source, url, title, published.

        Earliest published first (unknown dates last, ties to the first ingested). Empty
        for an unknown id and for rows added without articles (`add_incident_rows`), which
        carry their one source in the incident row itself.

        Examples
        --------
        >>> from geodata.model import Article, Incident, Mention
        >>> m = Mention("Homs", 0, 4)
        >>> with IncidentStore() as store:
        ...     _ = store.add_article(Article("Clashes in Homs.", url="https://a.test/1", title="Clashes", source="Wire"), [m],
        ...                           [Incident("Battles", "", m, "Clashes in Homs.")])
        ...     [iid] = store.incident_arrays(["id"])["id"]
        ...     store.incident_sources(iid)
        [{'source': 'Wire', 'url': 'https://a.test/1', 'title': 'Clashes', 'published': None}]
        """
        rows = self._select(
            "SELECT a.source, a.url, a.title, a.published FROM incident_sources s "
            "JOIN articles a ON a.id = s.article_id WHERE s.incident_id = ? "
            "ORDER BY a.published IS NULL, a.published, a.ingested_at, a.rowid",
            (str(incident_id),),
        )
        return [{"source": s, "url": u, "title": t, "published": p} for s, u, t, p in rows]

    def mentions_frame(self, article_id: str | None = None) -> pd.DataFrame:
        """Place mentions, of one article or of all, ordered by article then offset.

        ``candidates`` is the JSON text of the scored candidates the resolver kept.
        """
        where, params = ("WHERE article_id = ?", [article_id]) if article_id else ("", [])
        rows = self._select(
            f"SELECT {', '.join(map(_q, MENTION_COLUMNS))} FROM mentions {where} ORDER BY article_id, start, id",
            params,
        )
        return pd.DataFrame.from_records(rows, columns=MENTION_COLUMNS).astype(
            {"geo_precision": "Int64", "lat": "float64", "lon": "float64", "radius_km": "float64"})

    def articles_frame(self, *, include_text: bool = False) -> pd.DataFrame:
        """Stored articles with how many mentions and incidents each contributed, oldest first.

        ``warnings`` is decoded into a list. The full text is left out unless asked for.
        """
        cols = ARTICLE_COLUMNS + (["text"] if include_text else [])
        rows = self._select(
            f"SELECT {', '.join('a.' + _q(c) for c in cols)}, "
            "(SELECT COUNT(*) FROM mentions m WHERE m.article_id = a.id), "
            "(SELECT COUNT(*) FROM incident_sources s WHERE s.article_id = a.id) "
            "FROM articles a ORDER BY a.ingested_at, a.rowid"
        )
        frame = pd.DataFrame.from_records(rows, columns=cols + ["n_mentions", "n_incidents"])
        frame["warnings"] = [json.loads(w) for w in frame["warnings"]]
        return frame

    def date_range(self) -> tuple[date | None, date | None]:
        """The earliest start and latest end over all dated incidents, (None, None) if none.

        Examples
        --------
        >>> IncidentStore().date_range()
        (None, None)
        """
        lo, hi = self._select(
            "SELECT MIN(COALESCE(date_start, date_end)), MAX(COALESCE(date_end, date_start)) FROM incidents"
        )[0]
        return (date.fromisoformat(lo) if lo else None, date.fromisoformat(hi) if hi else None)

    def distinct_values(self, column: str) -> list[Any]:
        """Sorted distinct non-empty values of one incident column, for filter dropdowns.

        Examples
        --------
        >>> IncidentStore().distinct_values("event_type")
        []
        """
        if column not in DISTINCT_COLUMNS:
            raise ValueError(f"distinct_values: column {column!r} is not one of {DISTINCT_COLUMNS}")
        rows = self._select(
            f"SELECT DISTINCT {_q(column)} FROM incidents WHERE {_q(column)} IS NOT NULL "
            f"AND {_q(column)} <> '' ORDER BY 1"
        )
        return [r[0] for r in rows]
