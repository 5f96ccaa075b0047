"""Test-wide set-up. Being here puts tests/ on sys.path (pytest's rootdir-relative
imports), so every test folder can import the shared helpers, e.g. `from seed_tables import seed`.

Hypothesis in CI: the same examples on every run (`CI` set), so a red CI names a bug
that reproduces; runs elsewhere, and longer ones with POLICYC_FUZZ_EXAMPLES, draw fresh
examples and keep exploring."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
