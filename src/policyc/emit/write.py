"""Serialise tables byte-stably, validate them against the schema, write atomically or check."""

from __future__ import annotations

import functools
import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..evaluator.limits import MAX_TABLE_BYTES
from ..source import ReadRefused, TooLarge, file_kind, printable, read_limited

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


class OutputError(Exception):
    """The output folder cannot take the tables; the message says what is in the way."""


def dumps(table: dict) -> bytes:
    """Sorted keys, two-space indent, trailing newline: the same bytes on every run.

    NaN and infinity are not JSON (RFC 8259); a table holding one is refused here
    rather than written as `Infinity` for other parsers to choke on.
    """
    try:
        text = json.dumps(table, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise ValueError("it holds a number JSON cannot carry (NaN or infinity)") from None
    return (text + "\n").encode("utf-8")


@dataclass(frozen=True)
class Scope:
    """The tables a compile answers for: those whose policy came from a path it was given.

    Compiling `policies/acme.policy` must not remove `hydra.json`: an old table may be
    removed (or called stale) only when its recorded `policy.source.file` lies among
    the files or under the folders compiled.
    """

    base: Path  # what a table's `source.file` is relative to: the policy root's parent
    files: frozenset = frozenset()
    folders: tuple = ()

    def covers(self, source_file) -> bool:
        if not isinstance(source_file, str) or not source_file:
            return False
        path = Path(os.path.realpath(self.base / source_file))
        return path in self.files or any(path == f or f in path.parents for f in self.folders)


def _shown(path: Path) -> str:
    return printable(str(path))


def _existing(path: Path) -> bytes | None:
    """An output's current bytes (None when absent); OutputError when a folder, pipe or
    device holds its name. Only a regular file is opened, and read with a size limit."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot read `{_shown(path)}`: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise OutputError(f"`{_shown(path)}` is {file_kind(mode)}, not a regular file; "
                          "remove it or choose another `--out`")
    try:
        return read_limited(path, MAX_TABLE_BYTES)
    except TooLarge:
        return b""  # larger than any table: certainly not the bytes we would write
    except ReadRefused as exc:
        raise OutputError(f"`{_shown(path)}`: {exc}") from None


def _ours(path: Path) -> dict | None:
    """A table this tool wrote (so it may be removed when its policy is gone), else None."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        table = json.loads(read_limited(path, MAX_TABLE_BYTES))
    except (OSError, ReadRefused, ValueError, RecursionError):
        return None
    return table if isinstance(table, dict) and table.get("generator") == "policyc" else None


def _retired(out_dir: Path, outputs: dict[str, bytes], scope: Scope) -> list[Path]:
    """Tables in the folder that this compile answers for and no longer produces."""
    found = []
    for path in sorted(out_dir.glob("*.json")):
        if path.name in outputs or (table := _ours(path)) is None:
            continue
        policy = table.get("policy")
        if isinstance(policy, dict) and isinstance(policy.get("source"), dict) \
                and scope.covers(policy["source"].get("file")):
            found.append(path)
    return found


_TEMP = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")  # what write_all's mkstemp names look like


def _leftovers(out_dir: Path, names) -> list[Path]:
    """Temporary files a killed compile left behind, for the given output names only."""
    found = []
    for path in sorted(out_dir.glob(".*.tmp")):
        m = _TEMP.match(path.name)
        try:
            if m and m.group("name") in names and stat.S_ISREG(os.lstat(path).st_mode):
                found.append(path)
        except OSError:  # gone meanwhile
            continue
    return found


def _folder(out_dir: Path, create: bool) -> bool:
    """Whether the output folder exists; OutputError when its name holds something else."""
    try:
        mode = os.stat(out_dir).st_mode
    except FileNotFoundError:
        if create:
            try:
                out_dir.mkdir(parents=True)
            except OSError as exc:
                raise OutputError(f"cannot create `{_shown(out_dir)}`: {exc.strerror or exc}") from None
        return create
    except OSError as exc:
        raise OutputError(f"cannot use `{_shown(out_dir)}`: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(mode):
        raise OutputError(f"`--out {_shown(out_dir)}` is {file_kind(mode) if not stat.S_ISREG(mode) else 'a file'}, "
                          "not a folder; choose another `--out`")
    return True


def stale(out_dir: Path, outputs: dict[str, bytes], scope: Scope) -> list[str]:
    """What `--check` reports: missing, differing and leftover outputs of this compile."""
    if not _folder(out_dir, create=False):
        return [f"{_shown(out_dir / name)}: missing" for name in sorted(outputs)]
    problems = []
    for name, data in sorted(outputs.items()):
        old = _existing(out_dir / name)
        if old is None:
            problems.append(f"{_shown(out_dir / name)}: missing")
        elif old != data:
            problems.append(f"{_shown(out_dir / name)}: out of date")
    retired = _retired(out_dir, outputs, scope)
    problems.extend(f"{_shown(p)}: no policy produces it any more" for p in retired)
    problems.extend(f"{_shown(p)}: left by an interrupted compile"
                    for p in _leftovers(out_dir, {*outputs, *(p.name for p in retired)}))
    return problems


def write_all(out_dir: Path, outputs: dict[str, bytes], scope: Scope) -> list[str]:
    """Write what changed, remove this compile's retired tables; returns what was done.

    Every changed table is first written to a temporary file, then all are renamed in
    one go: a kill while writing changes no table. Each rename is atomic, the set is
    not: a kill between two renames leaves tables of two compiles, which `--check`
    reports and the next compile repairs (and it removes the temporary files a killed
    compile left behind).
    """
    _folder(out_dir, create=True)
    changed = {name: data for name, data in sorted(outputs.items()) if _existing(out_dir / name) != data}
    retired = _retired(out_dir, outputs, scope)
    done = []
    for path in _leftovers(out_dir, {*outputs, *(p.name for p in retired)}):
        path.unlink(missing_ok=True)
        done.append(f"removed {_shown(path)} (left by an interrupted compile)")
    temps: dict[str, str] = {}
    try:
        for name, data in changed.items():
            temps[name] = _write_temp(out_dir / name, data)
        for name, tmp in temps.items():
            os.replace(tmp, out_dir / name)
            done.append(f"wrote {_shown(out_dir / name)}")
        for path in retired:
            path.unlink(missing_ok=True)
            done.append(f"removed {_shown(path)}")
    except OSError as exc:
        raise OutputError(f"cannot write in `{_shown(out_dir)}`: {exc.strerror or exc}") from None
    finally:
        for tmp in temps.values():
            Path(tmp).unlink(missing_ok=True)  # the renamed ones are gone already
    return done


def _write_temp(path: Path, data: bytes) -> str:
    """Write through a temporary file next to `path`, synced; returns its name."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(f.fileno(), 0o666 & ~umask)  # mkstemp makes 0600; a table is an ordinary file
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp
