"""The errors of business time and the supported instants (limits.MIN_YEAR..MAX_YEAR).

Shared by business_time.py and business_days.py: instants asked about and instants
returned lie within the supported years, anything else is refused with
OutOfRangeError before a zone is consulted, so the zone tables stay within them too.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .limits import MAX_YEAR, MIN_YEAR
from .zones import US, from_us, to_us

RUN_INTO = "the search would run into local date"
# the supported instants [U_LO, U_HI): the UTC years MIN_YEAR..MAX_YEAR
U_LO = to_us(datetime(MIN_YEAR, 1, 1, tzinfo=timezone.utc))
U_HI = to_us(datetime(MAX_YEAR + 1, 1, 1, tzinfo=timezone.utc))
SUPPORTED = (f"the supported years {MIN_YEAR}..{MAX_YEAR} (instants from "
             f"{MIN_YEAR}-01-01T00:00:00Z, before {MAX_YEAR + 1}-01-01T00:00:00Z)")


class CoverageError(ValueError):
    """An instant or local date outside the calendar's `valid` range."""


class NeverOpenError(ValueError):
    """Business time asked of a calendar that is never open (again)."""


class OutOfRangeError(CoverageError):
    """An instant asked about, or a result, outside the supported years (limits.py)."""


def check_instant(t: datetime) -> int:
    """t as microseconds since EPOCH; OutOfRangeError outside the supported years."""
    u = to_us(t)
    if not U_LO <= u < U_HI:
        raise OutOfRangeError(f"instant {t.isoformat()} is outside {SUPPORTED}")
    return u


def beyond_range(name: str, what: str) -> OutOfRangeError:
    return OutOfRangeError(f"calendar {name!r}: {what} would be after {MAX_YEAR}-12-31 "
                           f"(UTC), outside {SUPPORTED}")


def result(u: int, what: str, name: str) -> datetime:
    """Instant u as a UTC datetime, if it is supported (else OutOfRangeError)."""
    if u >= U_HI:
        raise beyond_range(name, what)
    return from_us(u)


def duration_us(duration: timedelta) -> int:
    """A business duration in whole microseconds (TypeError, ValueError if negative)."""
    if not isinstance(duration, timedelta):
        raise TypeError("duration must be a datetime.timedelta")
    rem = (duration.days * 86_400 + duration.seconds) * US + duration.microseconds
    if rem < 0:
        raise ValueError(f"negative business duration {duration}")
    return rem
