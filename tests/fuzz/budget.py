"""How long the fuzz targets run: bounded in CI, longer on request.

`POLICYC_FUZZ_EXAMPLES=20000 make test` runs every fuzz target with that many examples
instead of its CI default.
"""

import os


def examples(default: int) -> int:
    """The number of examples a fuzz target runs: its default, or the environment's."""
    value = os.environ.get("POLICYC_FUZZ_EXAMPLES", "")
    return int(value) if value.isdigit() and int(value) > 0 else default
