"""The decision table of one policy, as JSON-ready data (see docs/table-format.md)."""

from __future__ import annotations

from .. import SCHEMA_VERSION
from ..calendars import CalendarIR
from ..zoned import table_entry
from ..decisions import SUPPORT, TARGET_ATTRS, TARGET_REQUIRED, targets
from ..graph import WEEKDAYS, defined
from ..passes import Context
from ..source import Span
from ..factcal import zone_facts
from .metrics import MetricsEmitter
from .values import iso_duration, text


class Emitter(MetricsEmitter):
    def __init__(self, ctx: Context, sources: dict, root_parent):
        self.ctx = ctx
        self.m = ctx.model
        self.d = ctx.decisions
        self.sources = sources
        self.root_parent = root_parent
        self.langs = [n.value for n in self.m.policy.languages] or ["en"]
        self.calendars_used: set[str] = set()
        self.shown_files: dict[str, str] = {}  # resolving a path is a system call: once per file
        self.index = [{v: i for i, v in enumerate(vals)} for vals in self.d.values]

    def where(self, span: Span) -> dict:
        src = self.sources.get(span.path)
        line = src.line_col(span.start)[0] if src else 1
        return {"file": self.shown_file(span.path), "line": line}

    def shown_file(self, display: str) -> str:
        from pathlib import Path

        if display not in self.shown_files:
            path = Path(display).resolve()
            try:
                self.shown_files[display] = path.relative_to(self.root_parent).as_posix()
            except ValueError:
                self.shown_files[display] = path.name
        return self.shown_files[display]

    def sources_of(self, assignments) -> list[dict]:
        return self.sources_at(a.span for a in assignments)

    def sources_at(self, spans) -> list[dict]:
        """The places of some spans as a table's `source`: each line once, in file order."""
        seen = {(w["file"], w["line"]): w for w in map(self.where, spans)}
        return [seen[k] for k in sorted(seen)]

    def when(self, cube) -> dict:
        """A cube of values as `when`, each dimension's values in declaration order."""
        return {name: sorted(c, key=ix.__getitem__)
                for name, ix, c in zip(self.d.names, self.index, cube) if c is not None}

    def row_key(self, row: dict):
        return [[-1] if name not in row["when"] else [self.index[i][v] for v in row["when"][name]]
                for i, name in enumerate(self.d.names)]

    # ---- sections -------------------------------------------------------------------
    def table(self) -> dict:
        p = self.m.policy
        rules = {
            "severity": self.rows("severity", ("becomes",), lambda w: {"becomes": w["becomes"].value}),
            # Rows also cover tickets whose severity is always lowered, when a rule decides
            # them completely: the evaluator never asks, and the rows stay as simple as the
            # policy. A part decided only in half (a target, no calendar) is left out.
            "targets": {name: self.rows(targets(name), TARGET_ATTRS, self.response, TARGET_REQUIRED)
                        for name in self.m.metric_order},
            "escalation": self.rows("escalation", ("steps",), lambda w: {"steps": [self.step(s) for s in
                                                                                 w["steps"].value]}),
            "billing": self.rows("billing", ("outside",), self.billing),
        }
        if SUPPORT in self.d.assignments:  # only then: a table without it reads as "every ticket supported"
            # a ticket no row matches is supported: `supported` rules leave no row of their own
            rules[SUPPORT] = self.rows(SUPPORT, ("supported",), self.no_support)
        return {
            "schema_version": SCHEMA_VERSION,
            "generator": "policyc",
            "policy": {
                "id": p.id.value,
                "title": text(p.title, self.langs),
                "version": p.version,
                "effective": {"from": p.effective[0].isoformat(),
                              "until": p.effective[1].isoformat() if p.effective[1] else None},
                "languages": self.langs,
                "support_languages": [n.value for n in p.support_languages],
                "source": self.where(p.id.span),
                **({} if p.extends is None else {"extends": {"id": p.extends.id.value, "version": p.extends.version}}),
            },
            "facts": self.facts(),
            "statuses": self.statuses(),
            "metrics": self.metrics(),
            "metric_order": list(self.m.metric_order),
            "rules": rules,
            "calendars": self.calendars(),
            "holidays": self.holidays(),
            "roles": self.roles(),
            "services": self.services(),
        }

    def rows(self, aspect: str, attrs, build, required=()) -> list[dict]:
        """The aspect's rows, each built from its winners (`build` returning None: no row)."""
        out = []
        for won, cube in self.d.rows(aspect, attrs, required):
            built = build(won)
            if built is None:
                continue
            row = {"when": self.when(cube)}
            row.update(built)
            row["source"] = self.sources_of(won.values())
            out.append(row)
        return sorted(out, key=self.row_key)

    def response(self, won) -> dict:
        """A target row of a metric: target, calendar, guarantee."""
        t = won["target"].value
        target = self.target(t)
        cal = won["calendar"].value
        g = won["guarantee"].value if "guarantee" in won else "always"
        self.calendars_used.add(cal)
        if g != "always" and t[0] != "none":
            self.calendars_used.add(g)
        if target["kind"] == "none":
            guarantee = "never"  # nothing is promised, whatever the guarantee window
        else:
            guarantee = "always" if g == "always" else {"received_within": g}
        return {"target": target, "calendar": cal, "guarantee": guarantee}

    def no_support(self, won) -> dict:
        """A `no support` row: the reason (a label in every language) and where to go instead;
        None for the tickets a `supported` rule wins."""
        if won["supported"].value[0] != "none":
            return None
        _, reason, see = won["supported"].value
        return {"supported": False, "reason": text(reason, self.langs), "see": see}

    def billing(self, won) -> dict:
        mult, cal = won["outside"].value
        self.calendars_used.add(cal)
        number = float(mult)
        return {"outside": cal, "multiplier": int(number) if number.is_integer() else number}

    @staticmethod
    def step(s) -> dict:
        out = {"channel": s[0], "to": list(s[1]), "cc": list(s[2])}
        if s[3] is not None:
            out["after"] = iso_duration(s[3])
            out["after_minutes"] = s[3]
        if s[4] is not None:
            out["at_share"] = s[4]
        if s[5] is not None:
            out["metric"] = s[5]
        return out

    def facts(self) -> dict:
        out = {}
        for dim in self.m.dims:
            node = dim.node
            values = {v.name.value: v for v in node.values}
            entry = {"values": list(dim.values), "label": text(node.label, self.langs),
                     "labels": {k: text(v.label, self.langs) for k, v in values.items()}}
            for attr in ("impact", "description"):
                found = {k: text(getattr(v, attr), self.langs) for k, v in values.items() if getattr(v, attr)}
                if found:
                    entry[attr] = found
            if node.default is not None:
                entry["default"] = node.default.value
            only = {k: self.when(self.d.cube(v.only)) for k, v in values.items() if v.only}
            if only:  # restricted values: each exists only for the tickets its condition admits
                entry["only"] = only
            if dim.name == "severity":
                entry["ordered"] = True
            if node.regions:  # codes, whose names the `holidays` package gives: no labels of their own
                entry["kind"] = "regions"
            out[dim.name] = entry
        for name, fact in zone_facts(self.m).items():
            out[name] = {"kind": "zone", "label": text(fact.label, self.langs)}
        return out

    def calendar(self, cal: CalendarIR) -> dict:
        """A wall calendar's entry, one across zones (`parts` and `windows`), or one that
        follows ticket facts (`zone: {fact}`, `holidays`, `cases`)."""
        return {
            **table_entry(cal),
            "label": text(cal.label, self.langs),
            "members": list(cal.members),
            "source": self.where(cal.span) if cal.span else None,
        }

    def calendars(self) -> dict:
        defined_cals = self.m.calendars[0]
        names = set(defined_cals) - {"always"} | self.calendars_used
        out = {}
        for name in sorted(names):
            cal = defined_cals.get(name) or self.d.calendar_of(name)
            out[name] = self.calendar(cal)
        return out

    def holidays(self) -> dict:
        out = {}
        for name, hs in sorted(self.m.holiday_sets[0].items()):
            out[name] = {"countries": list(hs.countries),
                         "years": list(hs.years) if hs.years else None,
                         "closed": {d.isoformat(): n for d, n in sorted(hs.closed.items())},
                         "working": {d.isoformat(): WEEKDAYS[w] for d, w in sorted(hs.working.items())}}
        return out

    def roles(self) -> dict:
        return {r.name.value: {"label": text(r.label, self.langs),
                               "contacts": {c.kind: c.value for c in r.contacts}}
                for r in sorted(defined(self.ctx.g, "role"), key=lambda r: r.name.value)}

    def services(self) -> dict:
        out = {}
        for svc in sorted(defined(self.ctx.g, "service"), key=lambda s: s.name.value):
            terms = []
            for won, cube in self.d.rows("service:" + svc.name.value, ("status",)):
                terms.append({"when": self.when(cube), "parts": [self.service_part(*p) for p in won["status"].value],
                              "source": self.sources_of([won["status"]])})
            out[svc.name.value] = {"label": text(svc.label, self.langs), "terms": sorted(terms, key=self.row_key),
                                   "source": self.where(svc.name.span)}
        return out

    def service_part(self, status: str, detail, estimate) -> dict:
        part = {"status": status, "detail": text(detail, self.langs)}
        if estimate:
            part["estimate"] = {"min": iso_duration(estimate[0]), "max": iso_duration(estimate[1])}
        return part
