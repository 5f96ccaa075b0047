"""Emitters: decision tables as JSON (later docs and pictures)."""
