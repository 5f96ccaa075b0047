"""The seed tables as schema_version 2, whatever generated/ holds.

Until the compiler emits schema_version 2, generated/*.json are version 1 tables; the
evaluator reads only version 2. `upgrade` rewrites a version 1 table the way the
compiler will (docs/table-format.md, "Tickets and metrics"): `rules.response` becomes
`rules.targets.first_response`, the implicit first-response metric and the default
statuses are added, and timed escalation steps name their metric. A version 2 table
is returned unchanged, so this helper does nothing once the compiler side lands.
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "generated"
SEEDS = ("irex", "hydra", "navixy")

FIRST_RESPONSE = {
    "label": {"en": "First response"},
    "start": [{"event": "created"}],
    "stop": [{"event": "agent_message"}],
    "restart": [], "after": None, "pause": [], "repeat_while": [],
    "on_facts_change": "keep", "source": None,
}
DEFAULT_STATUSES = {"values": ["open", "solved"], "initial": "open", "labels": {}, "source": None}


def _minutes(duration: str) -> int:
    h, m = re.fullmatch(r"PT(?:([0-9]+)H)?(?:([0-9]+)M)?", duration).groups()
    return int(h or 0) * 60 + int(m or 0)


def upgrade(data: dict) -> dict:
    """A version 2 copy of a version 1 table (a version 2 table as it is)."""
    if data.get("schema_version") != 1:
        return data
    data = copy.deepcopy(data)
    data["schema_version"] = 2
    data["statuses"] = copy.deepcopy(DEFAULT_STATUSES)
    data["metrics"] = {"first_response": copy.deepcopy(FIRST_RESPONSE)}
    data["metric_order"] = ["first_response"]
    rules = data["rules"]
    rules["targets"] = {"first_response": rules.pop("response")}
    for row in rules["escalation"]:
        for step in row["steps"]:
            if "after" in step:
                step["after_minutes"] = _minutes(step["after"])
            if "after" in step or "at_share" in step:
                step.setdefault("metric", "first_response")
    return data


def seed(name: str) -> dict:
    """generated/<name>.json as a version 2 table (a fresh copy)."""
    return upgrade(json.loads((GENERATED / f"{name}.json").read_text(encoding="utf-8")))


_FOLDER: list = []


def seed_path(name: str) -> Path:
    """A file holding generated/<name>.json as a version 2 table (for `policyc eval` runs)."""
    if not _FOLDER:
        _FOLDER.append(Path(tempfile.mkdtemp(prefix="policyc-v2-seeds-")))
    path = _FOLDER[0] / f"{name}.json"
    if not path.exists():
        path.write_text(json.dumps(seed(name), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


# What checking the seed policies reports as they stand: nothing. Since issue 9 item 5,
# W304 compares targets of every kind, across calendars, and finds that IREX Standard L3
# (16h, two business days) can fall due 3d 1h after Standard L4 (the end of the next
# business day): the regulation's own figures, which irex.policy keeps and marks
# `expect W304` with the reason. The tests that want the seeds clean read this list.
SEED_FINDINGS: list[tuple[str, str, int]] = []
_FINDING = re.compile(r"^(\S+?):(\d+):\d+: (?:error|warning)\[(\w+)\]", re.MULTILINE)


def seed_findings(result) -> list[tuple[str, str, int]]:
    """(code, file name, line) of each finding of a compile (policyc.compiler.Result)."""
    return [(d.code, Path(d.span.path).name, result.sources[d.span.path].line_col(d.span.start)[0])
            for d in result.diagnostics]


def printed_findings(text: str) -> list[tuple[str, str, int]]:
    """(code, file name, line) of each finding `policyc check` printed."""
    return [(code, Path(path).name, int(line)) for path, line, code in _FINDING.findall(text)]
