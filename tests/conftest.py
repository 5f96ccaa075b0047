"""Puts tests/ on sys.path (pytest's rootdir-relative imports), so that every test
folder can import the shared helpers here, e.g. `from seed_tables import seed`."""
