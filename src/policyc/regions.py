"""Holiday region codes: a country (`GB`) or one of its subdivisions (`GB-ENG`), as the
`holidays` package names them, checked and made canonical for the table."""

from __future__ import annotations

import functools
import re
import warnings

from .ast import Name
from .diagnostics import Diagnostic, error, nearest

# A code the grammar can spell (its SUBDIVISION terminal): the package also lists names
# with spaces or accents ("Zone A", "Baden-Württemberg"), which no policy can write.
_WRITABLE = re.compile(r"[A-Za-z0-9_]+")


@functools.lru_cache(maxsize=1)
def countries() -> dict:
    """Every country code the package knows (alpha-2 and alpha-3), with its subdivisions."""
    import holidays

    return holidays.list_supported_countries()


@functools.lru_cache(maxsize=None)
def subdivisions(country: str) -> dict[str, str]:
    """A country's writable subdivision codes and aliases, each mapped to its package code."""
    import holidays

    with warnings.catch_warnings():  # a deprecation notice of the package is not the policy author's concern
        warnings.simplefilter("ignore")
        cal = holidays.country_holidays(country, years=[])
    codes = {s: s for s in cal.subdivisions}
    codes.update(getattr(cal, "subdivisions_aliases", {}))
    return {k: v for k, v in codes.items() if _WRITABLE.fullmatch(k)}


def resolve(code: Name) -> tuple[str, str | None] | Diagnostic:
    """`(country, subdivision or None)` in the package's own codes, or E209 at the code.

    An alias (`GB-England`) becomes its code (`ENG`) so that the table names each region
    one way; the help of an unknown code lists the nearest valid ones.
    """
    country, _, sub = code.value.partition("-")
    if country not in countries():
        return error("E209", f"no national holiday calendar for `{country}`", code.span,
                     nearest(country, countries()) or "use an ISO 3166 country code such as `RU`")
    if not sub:
        return country, None
    known = subdivisions(country)
    if sub in known:
        return country, known[sub]
    if not known:
        return error("E209", f"the `holidays` package knows no subdivisions of `{country}`", code.span,
                     f"write `national {country}` for the country's holidays")
    full = [f"{country}-{s}" for s in known]
    return error("E209", f"no holiday calendar for the subdivision `{code.value}`", code.span,
                 nearest(code.value, full, cutoff=0.0))


@functools.lru_cache(maxsize=1)
def all_codes() -> tuple[str, ...]:
    """Every region `regions all` admits: each alpha-2 country, then its subdivisions, by code.

    Only package codes (`GB-ENG`), never aliases (`GB-England`): one name per region."""
    out = []
    for country in sorted(c for c in countries() if len(c) == 2):
        out.append(country)
        subs = subdivisions(country)
        out.extend(f"{country}-{s}" for s in sorted(set(subs.values())) if s in subs)
    return tuple(out)
