"""`policyc doc`: a compiled policy table as a document for people, in one of its languages.

The document is a list of blocks, built here from the table alone (so it says what the
tables decide, not what the source text looks like) and written out by doc_render as
Markdown or as one HTML page:
  ("h", level, text) | ("p", text) | ("table", header, rows) | ("list", ordered, items)
  | ("week", calendar name, calendar entry, calendar label)
"""

from __future__ import annotations

from .doc_words import words


class Doc:
    """The words of one language and the table they describe."""

    def __init__(self, table: dict, lang: str):
        self.t, self.lang, self.w = table, lang, words(lang)
        self.first = table["policy"]["languages"][0]

    def label(self, text: dict | None, fallback: str) -> str:
        """A label in the document's language, else in the policy's first one, else the name."""
        if not text:
            return fallback
        return text.get(self.lang) or text.get(self.first) or fallback

    def value(self, fact: str, value: str) -> str:
        labels = (self.t["facts"].get(fact, {}).get("labels") or {}).get(value)
        return self.label(labels, value)

    def when(self, when: dict) -> str:
        """A rule's condition in words: `Support plan: Premier support; Severity: L1, L2`."""
        if not when:
            return self.w["all"]
        facts = self.t["facts"]
        parts = []
        for fact in sorted(when, key=_fact_order(facts)):
            name = self.label(facts.get(fact, {}).get("label"), fact)
            # severities by their level (`L1`), as the targets' columns name them
            shown = when[fact] if fact == "severity" else [self.value(fact, v) for v in when[fact]]
            parts.append(f"{name}: " + ", ".join(shown))
        return "; ".join(parts)

    def calendar(self, name: str) -> str:
        entry = self.t["calendars"].get(name, {})
        if entry.get("label"):
            return self.label(entry["label"], name)
        if entry.get("members"):  # a union of calendars (`business + weekend`)
            return " + ".join(self.calendar(m) for m in entry["members"])
        base, _, since = name.partition("@")  # one version's calendar of a dated policy
        return f"{base} ({self.w['from']} {since})" if since else name

    def role(self, name: str) -> str:
        return self.label(self.t["roles"].get(name, {}).get("label"), name)


def _fact_order(facts: dict):
    order = {name: i for i, name in enumerate(facts)}
    return lambda fact: (order.get(fact, len(order)), fact)


def _versions(table: dict) -> list[tuple[dict | None, dict]]:
    """(version, rules) of each period: one (None, rules) for a policy without dates."""
    if "versions" in table:
        return [(v, v["rules"]) for v in table["versions"]]
    return [(None, table["rules"])]


def build(table: dict, lang: str) -> list[tuple]:
    """The document's blocks for `table` in `lang` (one of the policy's languages)."""
    from .doc_sections import billing, catalogue, coverage, escalation, targets

    d = Doc(table, lang)
    blocks = header(d) + dimensions(d)
    dated = "versions" in table
    for version, rules in _versions(table):
        if dated:
            blocks.append(("h", 2, f"{d.w['version']} {d.w['from']} {version['from']} "
                                   f"{d.w['until']} {version['until']}"))
        blocks += severity_rules(d, rules) + targets(d, rules, 3 if dated else 2)
        blocks += escalation(d, rules, 3 if dated else 2)
        blocks += billing(d, rules, 3 if dated else 2)
    return blocks + coverage(d) + catalogue(d)


def header(d: Doc) -> list[tuple]:
    p, w = d.t["policy"], d.w
    blocks = [("h", 1, d.label(p["title"], p["id"]))]
    facts = [f"{w['version']}: {p['version']}" if p.get("version") else None,
             f"{w['effective']}: {p['effective']['from']} {w['to']} {p['effective']['until']}",
             f"{w['support_languages']}: {', '.join(p['support_languages'])}" if p.get("support_languages")
             else None]
    blocks.append(("list", False, [f for f in facts if f]))
    if "versions" in d.t:
        blocks.append(("h", 2, w["versions"]))
        blocks.append(("list", True, [f"{w['from']} {v['from']} {w['until']} {v['until']}"
                                      for v in d.t["versions"]]))
    return blocks


def dimensions(d: Doc) -> list[tuple]:
    """Each fact with values (plans, deployments...), then the severities with their impact."""
    w, blocks = d.w, []
    for fact, entry in d.t["facts"].items():
        if not entry.get("values") or fact == "severity":
            continue
        descriptions = entry.get("description") or {}
        blocks.append(("h", 2, d.label(entry.get("label"), fact)))
        rows = [[v, d.value(fact, v), d.label(descriptions.get(v), "")] for v in entry["values"]]
        blocks.append(("table", [w["value"], w["name"], w["description"]], rows))
    sev = d.t["facts"].get("severity")
    if sev and sev.get("values"):
        impact = sev.get("impact") or {}
        blocks.append(("h", 2, d.label(sev.get("label"), w["severities"])))
        rows = [[v, d.value("severity", v), d.label(impact.get(v), "")] for v in sev["values"]]
        blocks.append(("table", [w["level"], w["name"], w["impact"]], rows))
    return blocks


def severity_rules(d: Doc, rules: dict) -> list[tuple]:
    """How a ticket's level is changed (`environment is non_production` -> L4), in words."""
    return [("p", f"{d.when(rule['when'])} → {d.value('severity', rule['becomes'])} ({rule['becomes']})")
            for rule in rules.get("severity") or []]
