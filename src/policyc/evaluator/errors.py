"""The evaluator's exceptions: one base class, one clear message each."""


class PolicyError(Exception):
    """Anything the evaluator refuses to answer; `str()` is the message for the user."""


class TableError(PolicyError):
    """The table cannot be read, is not JSON, has another schema_version or a broken shape.

    `beyond_schema` is true when the table passes the published JSON Schema and fails a
    check the schema cannot express (docs/table-format.md, "Cross-references").
    """

    def __init__(self, message: str, beyond_schema: bool = False):
        super().__init__(message)
        self.beyond_schema = beyond_schema


class FactError(PolicyError):
    """A ticket's facts: unknown name or value, missing fact, timestamp without offset."""


class CoverageError(PolicyError):
    """An instant outside what the table covers: the policy's effective dates, the dates
    for which it has holiday data, or the supported years."""


class TicketError(FactError):
    """A ticket's events or `now`: out of order, no `created`, unknown type or status.
    Messages name the event by its index in `events` (from 0) and its type."""
