"""Serialise tables byte-stably, validate them against the schema, write atomically or check."""

from __future__ import annotations

import functools
import json
import os
import tempfile
from importlib import resources
from pathlib import Path

SCHEMA_NAME = "policy-table.schema.json"


@functools.lru_cache(maxsize=1)
def schema_bytes() -> bytes:
    return resources.files("policyc").joinpath("schema", SCHEMA_NAME).read_bytes()


@functools.lru_cache(maxsize=1)
def _schema() -> dict:
    import jsonschema

    schema = json.loads(schema_bytes())
    jsonschema.Draft7Validator.check_schema(schema)  # the published schema is itself valid
    return schema


@functools.lru_cache(maxsize=1)
def _fast_check():
    # fastjsonschema compiles the schema to Python once; it checks a 10,000-row table
    # about 3x faster than jsonschema, which is kept to list every error on a failure.
    import fastjsonschema

    return fastjsonschema.compile(_schema())


def schema_errors(table: dict) -> list[str]:
    """Where a table breaks the published schema (empty when it conforms)."""
    import fastjsonschema

    try:
        _fast_check()(table)
        return []
    except fastjsonschema.JsonSchemaException as exc:
        import jsonschema

        errors = sorted(jsonschema.Draft7Validator(_schema()).iter_errors(table),
                        key=lambda e: list(e.absolute_path))
        found = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]
        return found or [exc.message]


def dumps(table: dict) -> bytes:
    """Sorted keys, two-space indent, trailing newline: the same bytes on every run."""
    return (json.dumps(table, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder and rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a table is an ordinary file
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _ours(path: Path) -> bool:
    """A JSON file this tool wrote (so it may be removed when its policy is gone)."""
    try:
        return json.loads(path.read_bytes()).get("generator") == "policyc"
    except (OSError, ValueError, AttributeError):
        return False


def stale(out_dir: Path, outputs: dict[str, bytes]) -> list[str]:
    """What `--check` reports: missing, differing and leftover outputs."""
    problems = []
    for name, data in sorted(outputs.items()):
        path = out_dir / name
        if not path.exists():
            problems.append(f"{path}: missing")
        elif path.read_bytes() != data:
            problems.append(f"{path}: out of date")
    for path in sorted(out_dir.glob("*.json")) if out_dir.is_dir() else []:
        if path.name not in outputs and _ours(path):
            problems.append(f"{path}: no policy produces it any more")
    return problems


def write_all(out_dir: Path, outputs: dict[str, bytes]) -> list[str]:
    """Write what changed, remove tables of policies that are gone; returns what was done."""
    done = []
    for name, data in sorted(outputs.items()):
        path = out_dir / name
        if path.exists() and path.read_bytes() == data:
            continue
        write_atomic(path, data)
        done.append(f"wrote {path}")
    for path in sorted(out_dir.glob("*.json")):
        if path.name not in outputs and _ours(path):
            path.unlink()
            done.append(f"removed {path}")
    return done
