"""`python -m policyc`: the same command as `policyc`."""

import sys

from .cli import main

sys.exit(main())
