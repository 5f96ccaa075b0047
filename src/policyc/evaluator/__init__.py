"""Load a compiled decision table and decide for a ticket.

Standard library only (plus `tzdata` where the system has no zone database), and
nothing from the rest of policyc: other tools may vendor this package as it is.

    from policyc.evaluator import load
    decision = load("generated/irex.json").decide({"received_at": "...", ...})
"""

from .errors import CoverageError, FactError, PolicyError, TableError
from .table import SCHEMA_VERSION, Table, load

__all__ = ["load", "Table", "PolicyError", "TableError", "FactError", "CoverageError", "SCHEMA_VERSION"]
