"""The table's statuses, metrics and target kinds (schema_version 2, docs/language.md)."""

from __future__ import annotations

from .. import ast
from ..metrics import is_implicit
from .values import iso_duration, text


def event(e: ast.Event) -> dict:
    """An event matcher: `{"event": "created"}`, `{"event": "status", "to": [...]}`."""
    if e.kind == "status":
        return {"event": "status", e.move: [n.value for n in e.statuses]}
    return {"event": e.kind}


class MetricsEmitter:
    """Mixed into the table emitter (which provides `m`, `langs` and `where`)."""

    def statuses(self) -> dict:
        st = self.m.statuses
        return {"values": list(st.values), "initial": st.values[0],
                "labels": {v: text(label, self.langs) for v, label in st.labels.items()},
                "source": self.where(st.node.span) if st.node is not None else None}

    def metrics(self) -> dict:
        out = {}
        for name, m in self.m.metrics.items():
            out[name] = {
                "label": text(m.label, self.langs),
                "start": [event(e) for e in m.start or ()],
                "stop": [event(e) for e in m.stop or ()],
                "restart": [event(e) for e in m.restart],
                "after": m.after.value if m.after is not None else None,
                "pause": [n.value for n in m.pause],
                "repeat_while": [n.value for n in m.repeat_while],
                "on_facts_change": m.on_facts_change,
                "source": None if is_implicit(m) else self.where(m.name.span),
            }
        return out

    @staticmethod
    def target(t: tuple) -> dict:
        """A target value (decisions.target_value) as the table writes it."""
        if t[0] == "duration":
            return {"kind": "duration", "duration": iso_duration(t[1]), "minutes": t[1]}
        if t[0] == "next_business_day":
            return {"kind": "next_business_day", "edge": t[1]}
        if t[0] == "business_days":
            return {"kind": "business_days", "days": t[1], "edge": t[2]}
        if t[0] == "period":
            return {"kind": "period", "period": f"P{t[1]}D", "days": t[1]}
        return {"kind": t[0]}  # none | best_effort
