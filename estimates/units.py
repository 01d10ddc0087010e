"""The project's one pint registry, with the project's units loaded from ``units.txt``.

Import ``ureg`` (or ``Q_``) from here; never build another registry. The registry is set as
pint's application registry, so quantities made anywhere in a notebook can be combined.

Notes on loose English:
- pint's ``ton`` is the US short ton (907 kg); write ``tonne`` (1000 kg).
- pint's ``month`` is a twelfth of a Julian year, 30.4375 days.

>>> (2 * ureg.container + 1 * ureg.TEU).to("container")
<Quantity(3, 'container')>
>>> f"{(1_000_000 * ureg.round / (30 * ureg.day)):,.0f~P}"
'33,333 rnd/day'
"""
from __future__ import annotations

import sys
from pathlib import Path

import pint
from pint.delegates.formatter.plain import PrettyFormatter

from estimates.paths import UNIT_DEFINITIONS


def _cache_folder() -> Path | None:
    """Where pint may cache its parsed definitions: inside the Python environment, beside the pint
    that wrote it (so an upgrade never reads a stale cache); None where that is not writable."""
    folder = Path(sys.prefix) / "var" / "cache" / "estimate-checker-pint"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if folder.is_dir() and _writable(folder) else None


def _writable(folder: Path) -> bool:
    import os
    return os.access(folder, os.W_OK)


ureg = pint.UnitRegistry(on_redefinition="raise", cache_folder=_cache_folder())
ureg.load_definitions(str(UNIT_DEFINITIONS))
pint.set_application_registry(ureg)

#: Time units print as words in the short pretty format (``~P``), where pint's symbols are easy to misread
#: in copy about weeks and months ("a" for a year, "d" for a day): "roughly 2 year", "16,427 rnd/day".
TIME_WORDS = {"a": "year", "d": "day", "h": "hour", "wk": "week"}


class _TimeInWords(PrettyFormatter):
    """pint's pretty formatter, with :data:`TIME_WORDS` for the time units' symbols (pinned pint: a test
    holds the output, so an upgrade that changes the formatter's hooks fails loudly)."""

    def format_unit(self, unit, uspec: str = "", sort_func=None, **babel_kwds):
        if "~" in uspec:
            items = unit._units.items() if hasattr(unit, "_units") else unit
            words = [(TIME_WORDS.get(s, s), e) for s, e in ((self._registry.get_symbol(n), e) for n, e in items)]
            if not words:
                return ""
            unit, uspec = words, uspec.replace("~", "")
        return super().format_unit(unit, uspec, sort_func, **babel_kwds)


ureg.formatter._formatters["P"] = _TimeInWords(ureg)

Q_ = ureg.Quantity
DimensionalityError = pint.DimensionalityError
UndefinedUnitError = pint.UndefinedUnitError


class UnitError(ValueError):
    """A unit string that the project's registry cannot parse, or of the wrong dimension."""


_DECLARED: dict[str, str] = {}


#: What an expression handed to pint may hold: no power operator (``9**9**9`` would run for minutes)
#: and no number longer than this many digits.
MAX_DIGITS = 20


def safe_expression(text: str) -> str:
    """``text`` if pint may evaluate it quickly, else a ValueError that says why: no power operator
    (``**`` or ``^``: an exponent tower runs for minutes) and no number of more than MAX_DIGITS digits.

    >>> safe_expression("51 degree + 45 arcminute")
    '51 degree + 45 arcminute'
    """
    import re
    if "**" in text or "^" in text:
        raise ValueError(f"{text!r} has a power operator (** or ^); write the unit or number out, without powers")
    long = re.search(r"\d{%d,}" % (MAX_DIGITS + 1), text)
    if long:
        raise ValueError(f"{text!r} has a number of {len(long.group(0))} digits; at most {MAX_DIGITS}")
    return text


def declare_unit(name: str, definition: str) -> None:
    """Define a counted unit a case's register declares (``name = definition``, pint's grammar, for
    example ``satellite = [satellite]``). Declaring it again with the same definition is a no-op; a
    name that pint or another register already defines otherwise is a ValueError."""
    if _DECLARED.get(name) == definition:
        return
    safe_expression(definition)
    if name in _DECLARED or name in ureg:
        raise ValueError(f"unit {name!r} is already defined"
                         + (f" as {_DECLARED[name]!r}" if name in _DECLARED else " by pint or estimates/units.txt")
                         + "; use it, or choose another name")
    try:
        ureg.define(f"{name} = {definition}")
    except Exception as exc:  # pint raises several kinds for a bad definition
        raise ValueError(f"cannot define unit {name!r} as {definition!r}: {exc}") from None
    _DECLARED[name] = definition


def parse_unit(text: str, *, where: str = "") -> pint.Unit:
    """Parse ``text`` as a unit of the project's registry, or raise :class:`UnitError`.

    ``where`` names the file, record and field, for the message.

    >>> parse_unit("round / day")
    <Unit('round / day')>
    """
    prefix = f"{where}: " if where else ""
    if not isinstance(text, str) or not text.strip():
        raise UnitError(f"{prefix}a unit must be a non-empty string, got {text!r}")
    try:
        return ureg.parse_units(text)
    except Exception as exc:  # pint raises many kinds (ZeroDivisionError for "meter/0", ...): all say where
        raise UnitError(
            f"{prefix}unknown unit {text!r} ({exc}); valid units are pint's or the project's "
            f"(round, container, TEU, transfer, round_trip; see estimates/units.txt)"
        ) from None


def require_dimension(unit: str | pint.Unit, expected: str, *, where: str = "") -> pint.Unit:
    """Check that ``unit`` has the dimensionality of ``expected`` (a unit string).

    >>> require_dimension("shell / hour", "round / day")
    <Unit('round / hour')>
    """
    parsed = parse_unit(unit, where=where) if isinstance(unit, str) else unit
    target = parse_unit(expected)
    if parsed.dimensionality != target.dimensionality:
        prefix = f"{where}: " if where else ""
        raise UnitError(
            f"{prefix}unit {str(parsed)!r} has dimension {parsed.dimensionality}, "
            f"but this check needs a unit like {expected!r} ({target.dimensionality})"
        )
    return parsed


def number_text(v) -> str:
    """A number as it is stored, with thousands separators (records are rounded once, where they are
    made): the one way the package writes a number it does not round; "" for None.

    >>> number_text(1_000_000.0), number_text(0.0125), number_text(None)
    ('1,000,000', '0.0125', '')
    """
    return "" if v is None else f"{v:,.10g}"


def fmt(q: pint.Quantity, spec: str = ",.3g") -> str:
    """Format a scalar quantity with an explicit number format and short unit symbols.

    >>> fmt(Q_(201.168, "km"), ",.1f")
    '201.2 km'
    """
    return f"{q.magnitude:{spec}} {q.units:~P}".rstrip()
