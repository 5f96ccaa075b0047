"""policyc: compile technical-support regulations into checked decision tables.

Kept small on purpose: importing `policyc` loads nothing heavy, so `policyc.evaluator`
stays cheap to import for other tools.
"""

__version__ = "0.1.0"
SCHEMA_VERSION = 2
