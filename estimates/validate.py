"""Reading TOML record files and checking their fields, with errors that say where and what.

Shared by the claims register and the reference sources: every error names the file, the
record id and the field that is wrong, and says what would be valid.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from estimates.units import UnitError, parse_unit

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: The largest magnitude a record may state: far above any real figure here (rounds, tonnes, days),
#: far below what would overflow when a model squares, sums or samples it.
MAX_MAGNITUDE = 1e15
#: The smallest magnitude other than zero a record may state: far below any real figure here, far
#: above where a model's arithmetic underflows (1e-300 squared is zero).
MIN_MAGNITUDE = 1e-9


class RecordError(ValueError):
    """A record file, record or field that is not valid. ``str()`` is the whole message."""

    def __init__(self, path: Path | str, record_id: str | None, field: str | None, problem: str):
        self.path, self.record_id, self.field, self.problem = str(path), record_id, field, problem
        where = [self.path]
        if record_id is not None:
            where.append(f"record {record_id!r}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


def read_text(path: Path) -> str:
    """A UTF-8 text file, or a :class:`RecordError` that says why it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise RecordError(path, None, None, "file not found")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(path, None, None, f"not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8") from None


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error names the file and the line."""
    return parse_toml(path, read_text(path))


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    """Parse ``text``, read from the TOML file ``path``; a syntax error names the file and the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RecordError(path, None, None, f"malformed TOML: {exc}") from None


class Fields:
    """Typed access to one record's fields, raising :class:`RecordError` with file, id and field."""

    def __init__(self, path: Path, record: dict[str, Any], index: int, allowed: set[str]):
        self.path, self.record = path, record
        rid = record.get("id")
        self.id = rid if isinstance(rid, str) and rid else f"#{index + 1}"
        unknown = sorted(set(record) - allowed)
        if unknown:
            self.fail(unknown[0], f"unknown field; valid fields are {', '.join(sorted(allowed))}")

    def fail(self, field: str | None, problem: str):
        raise RecordError(self.path, self.id, field, problem)

    def has(self, field: str) -> bool:
        return field in self.record

    def text(self, field: str, *, required: bool = True, default: str = "") -> str:
        if field not in self.record:
            if required:
                self.fail(field, "missing required field (a non-empty string)")
            return default
        value = self.record[field]
        if not isinstance(value, str) or not value.strip():
            self.fail(field, f"must be a non-empty string, got {value!r}")
        return value

    def url(self, field: str, *, required: bool = True) -> str:
        """An address a reader can follow: ``http://`` or ``https://`` and a host, nothing else."""
        value = self.text(field, required=required)
        if value and not re.match(r"^https?://[^\s/]+\.[^\s]*$", value):
            self.fail(field, f"{value!r} is not an http(s) address")
        return value

    def ident(self) -> str:
        value = self.text("id")
        if not KEBAB.match(value):
            self.fail("id", f"{value!r} is not kebab-case (lower-case letters, digits and single hyphens)")
        return value

    def number(self, field: str, *, required: bool = True) -> float | None:
        if field not in self.record:
            if required:
                self.fail(field, "missing required field (a number)")
            return None
        value = self.record[field]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(field, f"must be a number, got {value!r} ({type(value).__name__})")
        try:
            number = float(value)
        except OverflowError:
            number = float("inf")
        if number != number or number in (float("inf"), float("-inf")):
            self.fail(field, f"must be a finite number, got {str(value)[:40]!r}")
        if abs(number) > MAX_MAGNITUDE:
            self.fail(field, f"{number:g} is beyond what a model can carry; give a magnitude of at most {MAX_MAGNITUDE:g}")
        if number and abs(number) < MIN_MAGNITUDE:
            self.fail(field, f"{number:g} is below what a model can carry; give a magnitude of at least {MIN_MAGNITUDE:g} "
                             f"(or a larger unit)")
        return number

    def positive(self, *fields: str) -> None:
        """Each of ``fields`` that is present must be a positive number (a count, a rate, a mass)."""
        for field in fields:
            if field in self.record and not float(self.record[field]) > 0:
                self.fail(field, f"must be a positive number for this unit, got {self.record[field]!r}")

    def date(self, field: str, *, required: bool = True) -> dt.date | None:
        if field not in self.record:
            if required:
                self.fail(field, "missing required field (a TOML date such as 2023-11-01)")
            return None
        value = self.record[field]
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(field, f"{value!r} is not a date; write a TOML date such as 2023-11-01 (YYYY-MM-DD)")

    def choice(self, field: str, options, *, required: bool = True, default: str = "") -> str:
        value = self.text(field, required=required, default=default)
        if value and value not in options:
            self.fail(field, f"{value!r} is not one of: {', '.join(options)}")
        return value

    def unit(self, field: str = "unit") -> str:
        value = self.text(field)
        try:
            parse_unit(value)
        except UnitError as exc:
            self.fail(field, str(exc))
        return value

    def strings(self, field: str) -> tuple[str, ...]:
        value = self.record.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(field, f"must be a list of non-empty strings, got {value!r}")
        return tuple(value)

    def range_or_value(self, kind: str = "number"):
        """(value, low, high): either ``value`` alone, or both ``low`` and ``high`` with low <= high."""
        get = self.number if kind == "number" else self.date
        has_value, has_low, has_high = (self.has(f) for f in ("value", "low", "high"))
        if has_value and (has_low or has_high):
            self.fail("value", "give either value, or low and high, not both")
        if has_value:
            return get("value"), None, None
        if has_low or has_high:
            low, high = get("low"), get("high")
            if low > high:
                self.fail("low", f"low ({low}) is above high ({high}); give low <= high")
            return None, low, high
        return None, None, None


def published_text(date: dt.date, precision: str = "day") -> str:
    """A publication date at the precision it is known: the day, the month, the year, or undated
    (on or before the cut-off the record holds).

    >>> published_text(dt.date(2024, 2, 29), "month"), published_text(dt.date(2023, 11, 1), "undated")
    ('February 2024', 'undated, on or before 2023-11-01')
    """
    return {"day": f"{date}", "month": f"{date:%B %Y}", "year": f"{date:%Y}",
            "undated": f"undated, on or before {date}"}[precision]


def records(path: Path, data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    """The array of tables ``[[table]]`` of a parsed file."""
    items = data.get(table)
    if not isinstance(items, list) or not items or not all(isinstance(r, dict) for r in items):
        raise RecordError(path, None, table, f"expected an array of tables [[{table}]] with at least one record")
    return items


def no_duplicate_ids(path: Path, ids: list[str]):
    seen: set[str] = set()
    for rid in ids:
        if rid in seen:
            raise RecordError(path, rid, "id", "duplicate id; every record needs its own id")
        seen.add(rid)
