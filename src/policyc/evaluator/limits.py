"""Bounds on what a table and a ticket may hold (docs/table-format.md, "Limits").

The compiler refuses a policy beyond them and the evaluator refuses a table or a
ticket beyond them, so both read the numbers from here: a table that compiles always
loads, and a hostile table cannot make the evaluator work without bound.
"""

MIN_YEAR = 1900  # instants, effective periods, holiday years and calendar dates
MAX_YEAR = 2199
MAX_TARGET_MINUTES = 10 * 366 * 24 * 60  # a target, a delay or a period: ten years
MAX_BUSINESS_DAYS = 10 * 52 * 5  # a target in business days: ten years of weekdays (2,600)
MAX_MULTIPLIER = 1000  # a billing rate multiplier: finite, above zero, at most this
MAX_TABLE_BYTES = 64 * 1024 * 1024  # a table file
MAX_CALENDAR_DATES = 100_000  # `dates` overrides in one calendar (about 270 years of days)
MAX_CALENDAR_WINDOWS = 10_000  # `windows` across zones in one calendar (each costs ~53 lookups a year)
MAX_VERSIONS = 100  # versions of a dated policy (each holds all its rules and is compiled whole)
MAX_CALENDAR_PARTS = 1_000  # `parts` of one calendar across zones (one per zone)
