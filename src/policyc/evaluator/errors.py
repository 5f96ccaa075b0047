"""The evaluator's exceptions: one base class, one clear message each."""


class PolicyError(Exception):
    """Anything the evaluator refuses to answer; `str()` is the message for the user."""


class TableError(PolicyError):
    """The table cannot be read, is not JSON, has another schema_version or a broken shape."""


class FactError(PolicyError):
    """A ticket's facts: unknown name or value, missing fact, timestamp without offset."""


class CoverageError(PolicyError):
    """An instant outside the dates for which the table has holiday data."""
