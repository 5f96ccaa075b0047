"""What a table schema cannot say (docs/table-format.md, "Cross-references" and "Limits"):
one part of a table compared with another. `check` raises `Inconsistent(path, message)`."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from .limits import MAX_TARGET_MINUTES, MAX_YEAR, MIN_YEAR


class Inconsistent(Exception):
    def __init__(self, path: str, msg: str):
        super().__init__(path, msg)
        self.path, self.msg = path, msg


def _day(text: str, path: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Inconsistent(path, f"`{text}` is not a calendar date") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise Inconsistent(path, f"`{text}` is outside the supported years {MIN_YEAR}..{MAX_YEAR}")
    return day


def _period(obj: dict, path: str) -> None:
    lo = _day(obj["from"], path + "/from")
    if obj["until"] is not None and _day(obj["until"], path + "/until") < lo:
        raise Inconsistent(path, "`from` is after `until`")


_HOURS_MINUTES = re.compile(r"PT(?:([0-9]+)H)?(?:([0-9]+)M)?")


def _minutes(duration: str) -> int:
    """Minutes of a duration that matched DURATION (above the limit when its digits are many)."""
    if len(duration) > 20:
        return MAX_TARGET_MINUTES + 1
    h, m = _HOURS_MINUTES.match(duration).groups()  # a final newline may follow (re.search's `$`)
    return int(h or 0) * 60 + int(m or 0)


def _wall(cal: dict, where: str) -> None:
    """The dates and intervals of one wall calendar (an entry, or a part of one)."""
    _hours(cal["week"], cal["dates"], where)
    if cal["valid"] is not None:
        _period(cal["valid"], f"{where}/valid")


def check(data: dict) -> None:
    """Raise Inconsistent at the first part of `data` that disagrees with another."""
    facts, calendars, roles = data["facts"], data["calendars"], data["roles"]
    _period(data["policy"]["effective"], "policy/effective")
    if "values" not in facts["severity"]:
        raise Inconsistent("facts/severity", "the severity is a fact with values, not a time zone")
    for name, fact in facts.items():
        if "default" in fact and fact["default"] not in fact["values"]:
            raise Inconsistent(f"facts/{name}/default", f"`{fact['default']}` is not a value of fact `{name}`")
        for value, when in fact.get("only", {}).items():
            if value not in fact["values"]:
                raise Inconsistent(f"facts/{name}/only/{value}", f"`{value}` is not a value of fact `{name}`")
            if name in when or "severity" in when:
                raise Inconsistent(f"facts/{name}/only/{value}", "a restriction tests other facts than the severity")
            _when(when, facts, f"facts/{name}/only/{value}")
        if fact.get("default") in fact.get("only", {}):
            raise Inconsistent(f"facts/{name}/default", "the default is a restricted value")
    for name, entry in calendars.items():
        walls = ([(f"calendars/{name}/parts/{i}", p) for i, p in enumerate(entry["parts"])]
                 if "parts" in entry else [(f"calendars/{name}", entry)])
        for where, cal in walls:
            _wall(cal, where)
        if "parts" not in entry:  # only a wall calendar may follow the customer
            _follows_facts(entry, facts, f"calendars/{name}")
    severities = facts["severity"]["values"]
    _metrics(data)
    if "versions" in data:
        _versions(data["versions"], data["policy"]["effective"])
    sets = ([(f"versions/{i}/rules", v["rules"]) for i, v in enumerate(data["versions"])] if "versions" in data
            else [("rules", data["rules"])])
    for at, rules in sets:
        lists = [(aspect, f"{at}/{aspect}", rows) for aspect, rows in rules.items() if aspect != "targets"]
        lists += [("targets", f"{at}/targets/{metric}", rows) for metric, rows in rules["targets"].items()]
        for metric in rules["targets"]:
            if metric not in data["metrics"]:
                raise Inconsistent(f"{at}/targets/{metric}", f"metric `{metric}` is not in `metrics`")
        for aspect, where, rows in lists:
            for i, row in enumerate(rows):
                path = f"{where}/{i}"
                _when(row["when"], facts, path)
                _check_row(aspect, row, path, calendars, severities, roles, data["metrics"])


def _versions(versions: list, effective: dict) -> None:
    """The versions follow each other day after day over exactly the effective period."""
    expected = _day(effective["from"], "policy/effective/from")
    for i, v in enumerate(versions):
        if _day(v["from"], f"versions/{i}/from") != expected:
            raise Inconsistent(f"versions/{i}/from", f"must be {expected}: versions cover the effective period "
                               "in order, each starting the day after the one before ends")
        if i == len(versions) - 1:
            if v["until"] != effective["until"]:
                raise Inconsistent(f"versions/{i}/until", "the last version ends when the policy does")
        elif v["until"] is None or _day(v["until"], f"versions/{i}/until") < expected:
            raise Inconsistent(f"versions/{i}/until", "a version before the last ends on or after its first day")
        else:
            expected = _day(v["until"], "") + timedelta(days=1)


def _hours(week: list, dates: dict, path: str) -> None:
    """Date keys that are dates; each day's intervals sorted and disjoint."""
    for key in dates:
        _day(key, f"{path}/dates/{key}")
    for day, ivs in [*enumerate(week), *dates.items()]:
        if any(b <= a or a < p for (a, b), (_, p) in zip(ivs, [(0, -1)] + ivs)):
            raise Inconsistent(f"{path}/{day}", "intervals must be sorted, disjoint, start before end")


def _when(when: dict, facts: dict, path: str) -> None:
    """A condition tests facts with values (never a zone fact), with values of theirs."""
    for fact, values in when.items():
        if fact not in facts:
            raise Inconsistent(f"{path}/when/{fact}", "names a fact the table does not declare")
        if "values" not in facts[fact]:
            raise Inconsistent(f"{path}/when/{fact}", f"fact `{fact}` is a time zone, which no condition tests")
        for v in values:
            if v not in facts[fact]["values"]:
                raise Inconsistent(f"{path}/when/{fact}", f"`{v}` is not a value of fact `{fact}`")


def _follows_facts(cal: dict, facts: dict, path: str) -> None:
    """A calendar that follows the customer reads facts of the right kind, and holds the
    holiday dates of exactly the regions its region fact admits."""
    zone = cal["zone"]
    if isinstance(zone, dict) and facts.get(zone["fact"], {}).get("kind") != "zone":
        raise Inconsistent(f"{path}/zone/fact", f"`{zone['fact']}` is not a zone fact of the table")
    for i, case in enumerate(cal.get("cases", ())):
        _when(case["when"], facts, f"{path}/cases/{i}")
        _hours(case.get("week", cal["week"]), case.get("dates", {}), f"{path}/cases/{i}")
    holidays = cal.get("holidays")
    if holidays is None:
        return
    fact = facts.get(holidays["fact"], {})
    if fact.get("kind") != "regions":
        raise Inconsistent(f"{path}/holidays/fact", f"`{holidays['fact']}` is not a region fact of the table")
    regions = holidays["regions"]
    if sorted(regions) != sorted(fact["values"]):
        raise Inconsistent(f"{path}/holidays/regions", f"must hold each value of fact `{holidays['fact']}` once")
    for code, entry in regions.items():
        where = f"{path}/holidays/regions/{code}"
        if "of" in entry and "of" in regions.get(entry["of"], {"of": None}):
            raise Inconsistent(where + "/of", f"`{entry['of']}` is not a region of this calendar stored in full")
        for d in [*entry["closed"], *entry.get("open", ()), *entry.get("working", {})]:
            _day(d, where)


def _metrics(data: dict) -> None:
    """Statuses, metric names and the order that puts a metric after the one it waits for."""
    statuses, metrics, order = data["statuses"], data["metrics"], data["metric_order"]
    known = set(statuses["values"])
    if statuses["initial"] not in known:
        raise Inconsistent("statuses/initial", f"`{statuses['initial']}` is not in `statuses.values`")
    for name in statuses["labels"]:
        if name not in known:
            raise Inconsistent(f"statuses/labels/{name}", f"`{name}` is not in `statuses.values`")
    if sorted(order) != sorted(metrics):
        raise Inconsistent("metric_order", "must list each metric of `metrics` once")
    for name, m in metrics.items():
        path = f"metrics/{name}"
        if m["after"] is not None and (m["after"] not in metrics or order.index(m["after"]) >= order.index(name)):
            raise Inconsistent(path + "/after", f"`{m['after']}` is not a metric listed before `{name}` in `metric_order`")
        named = [(key, s) for key in ("pause", "repeat_while") for s in m[key]]
        named += [(f"{key}/{i}", s) for key in ("start", "stop", "restart") for i, e in enumerate(m[key])
                  for s in (*e.get("to", ()), *e.get("from", ()))]
        for key, s in named:
            if s not in known:
                raise Inconsistent(f"{path}/{key}", f"status `{s}` is not in `statuses.values`")


def _check_row(aspect: str, row: dict, path: str, calendars: dict, severities: list, roles: dict,
               metrics: dict) -> None:
    for key in ("calendar", "outside"):
        if key in row and row[key] not in calendars:
            raise Inconsistent(f"{path}/{key}", f"calendar `{row[key]}` is not in `calendars`")
    if aspect == "severity" and row["becomes"] not in severities:
        raise Inconsistent(path + "/becomes", f"`{row['becomes']}` is not a severity of the table")
    elif aspect == "targets":
        g, t = row["guarantee"], row["target"]
        if t["kind"] == "period" and t["period"] != f"P{t['days']}D":
            raise Inconsistent(path + "/target", f"`period` {t['period']} is not {t['days']} days")
        if isinstance(g, dict) and g["received_within"] not in calendars:
            raise Inconsistent(path + "/guarantee/received_within", f"calendar `{g['received_within']}` is not in `calendars`")
        if t["kind"] == "duration" and _minutes(t["duration"]) != t["minutes"]:
            raise Inconsistent(path + "/target", f"`duration` {t['duration']} is not {t['minutes']} minutes")
    elif aspect == "billing" and not math.isfinite(row["multiplier"]):
        raise Inconsistent(path + "/multiplier", "must be a finite number")
    elif aspect == "escalation":
        for j, step in enumerate(row["steps"]):
            if "after" in step and _minutes(step["after"]) != step["after_minutes"]:
                raise Inconsistent(f"{path}/steps/{j}/after", f"`after` {step['after']} is not {step['after_minutes']} minutes")
            if "metric" in step and step["metric"] not in metrics:
                raise Inconsistent(f"{path}/steps/{j}/metric", f"metric `{step['metric']}` is not in `metrics`")
            for role in (*step["to"], *step["cc"]):
                if role not in roles:
                    raise Inconsistent(f"{path}/steps/{j}", f"role `{role}` is not in `roles`")
