"""The table of a dated policy: one `versions` entry per version, calendars shared.

Each version is emitted like a whole policy; the table keeps the first version's
sections that cannot change on a date (facts, statuses, metrics, roles, services,
holidays) and, instead of `rules`, `versions`: the dates, the dated items in force
(`source`) and the version's rules. A calendar that is the same in every version
keeps its name; one that differs (a dated calendar, or a union of one) appears once per
content, as `name@FROM`, FROM the first day of the first version with that content,
and each version's rows name the entry they use (docs/table-format.md, "Versions").
"""

from __future__ import annotations


def merge_versions(emitted: list) -> dict:
    """The table from [(Version, Emitter)], in date order."""
    tables = [e.table() for _, e in emitted]
    names = _calendar_names(tables, [v.first.isoformat() for v, _ in emitted])
    out = {k: v for k, v in tables[0].items() if k != "rules"}
    # each version was compiled over its own dates: the policy's period is all of them
    out["policy"] = dict(out["policy"], effective={"from": tables[0]["policy"]["effective"]["from"],
                                                   "until": tables[-1]["policy"]["effective"]["until"]})
    out["calendars"] = {}
    out["versions"] = []
    for (version, emitter), table, rename in zip(emitted, tables, names):
        for name, entry in table["calendars"].items():
            out["calendars"].setdefault(rename.get(name, name), _renamed_entry(entry, rename))
        out["versions"].append({
            "from": version.first.isoformat(),
            "until": version.last.isoformat() if version.last else None,
            "source": emitter.sources_at(version.dated),
            "rules": _renamed_rules(table["rules"], rename),
        })
    out["calendars"] = dict(sorted(out["calendars"].items()))
    return out


def _calendar_names(tables: list[dict], starts: list[str]) -> list[dict]:
    """Per version, {name: table name} for the calendars whose entry differs across versions."""
    renames: list[dict] = [{} for _ in tables]
    every = sorted({name for t in tables for name in t["calendars"]})
    for name in every:
        entries = [t["calendars"].get(name) for t in tables]
        distinct = [e for i, e in enumerate(entries) if e is not None and e not in entries[:i]]
        if len(distinct) < 2:
            continue
        for i, e in enumerate(entries):
            if e is not None:
                renames[i][name] = f"{name}@{starts[entries.index(e)]}"
    return renames


def _renamed_entry(entry: dict, rename: dict) -> dict:
    if not rename or not entry.get("members"):
        return entry
    return dict(entry, members=[rename.get(m, m) for m in entry["members"]])


def _renamed_rules(rules: dict, rename: dict) -> dict:
    """The rows with each calendar named as in the table (targets, guarantees, billing)."""
    if not rename:
        return rules

    def target(row: dict) -> dict:
        row = dict(row, calendar=rename.get(row["calendar"], row["calendar"]))
        g = row["guarantee"]
        if isinstance(g, dict):
            row["guarantee"] = {"received_within": rename.get(g["received_within"], g["received_within"])}
        return row

    out = dict(rules)
    out["targets"] = {m: [target(r) for r in rows] for m, rows in rules["targets"].items()}
    out["billing"] = [dict(r, outside=rename.get(r["outside"], r["outside"])) for r in rules["billing"]]
    return out
