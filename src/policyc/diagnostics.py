"""One diagnostic type, the registry of codes, and the renderers."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from .source import SourceFile, Span

# Every code once, with the one line `policyc` documents it by. Never reuse a code.
CODES: dict[str, str] = {
    "E001": "syntax error",
    "E002": "file is not readable UTF-8 text",
    "E003": "file is larger than policyc accepts",
    "E004": "import leaves the policy root",
    "E005": "imported file does not exist",
    "E006": "import cycle",
    "E007": "more than one policy in a file, or a policy id used twice",
    "E008": "path given on the command line does not exist",
    "E009": "policy file is not a regular file (a directory, pipe, device or socket)",
    "E010": "policy file links outside the policy root",
    "E011": "no policy in the paths given",
    "E012": "expectation of a code that is not a warning",
    "W013": "expectation whose warning does not occur",
    "E101": "reference to a name that is not defined",
    "E102": "name defined twice",
    "E103": "value listed twice",
    "E104": "reserved or malformed name",
    "E105": "policy metadata missing or invalid",
    "E106": "text in a language the policy does not declare",
    "W107": "label without a translation into a declared language",
    "E108": "label given twice in one language",
    "E201": "unknown time zone",
    "E202": "impossible time of day",
    "E203": "empty window",
    "W204": "overlapping windows",
    "E205": "calendar without a time zone",
    "E206": "business-time target on a calendar that is never open",
    "E208": "calendar defined in terms of itself",
    "E209": "national holiday calendar not available",
    "E210": "invalid year range or date",
    "E211": "holiday years do not cover the policy's effective period",
    "E212": "national holidays asked for years the holiday data does not cover",
    "E213": "window across time zones in a calendar with holidays or dates",
    "E214": "calendar across zones with more windows or zones than a table holds",
    "E217": "calendar takes its zone or holidays from an unknown fact",
    "E218": "calendar takes its zone or holidays from a fact of the wrong kind",
    "E219": "calendar chosen by ticket facts in a union of calendars",
    "E220": "calendar case sets a part twice",
    "E221": "calendar case that tests the severity",
    "E222": "window across time zones in a calendar chosen by ticket facts",
    "W217": "calendar case that no ticket takes (earlier cases decide every ticket it matches)",
    "E301": "tickets with no response target (a gap)",
    "E302": "rules that give different answers for the same ticket (a conflict)",
    "W303": "rule that no ticket reaches (shadowed)",
    "W304": "higher severity with a slower target than a lower one",
    "E305": "table row and header differ in length",
    "E306": "attribute set twice in one rule",
    "E307": "escalation chain that includes itself",
    "W308": "rule that repeats another",
    "E309": "invalid quantity",
    "E310": "escalation chain too long once its includes are expanded",
    "E311": "number of business days outside 1..2600",
    "E312": "hours of a business day outside 0..24h",
    "E315": "dimension ordered twice",
    "E316": "order given to the severities, which their declaration orders",
    "W315": "better value of an ordered dimension with a target due later than a worse one's",
    "E320": "empty reason in a `no support` rule",
    "W320": "no ticket supported: `no support` rules take every ticket the policy can receive",
    "W321": "exception (`supported`) inside no `no support` rule, so it changes nothing",
    "W330": "exception (`exception to L:`) that overrides nothing: no rule labelled L sets what it sets for its tickets",
    "E330": "contract that extends an unknown policy",
    "E331": "contract that extends another contract",
    "E332": "contract override of a rule group or definition the base does not mark `negotiable`",
    "E333": "contract rule without a label (it would add a rule, not override one)",
    "E334": "contract rule that decides tickets its base group does not (outside it, or over a rule that is not negotiable)",
    "E335": "contract rule that sets what its base group never sets",
    "E336": "contract effective outside its base policy's effective period",
    "E337": "negotiable mark on what a contract cannot change (facts, an exception), or a contract definition of facts",
    "E338": "rule group marked `negotiable` on some of its rules only",
    "E341": "dates that hold no day (`from` after `until`)",
    "E342": "two versions of one rule or definition in force on the same date",
    "E343": "gap between two versions of one rule or definition",
    "W344": "rule or definition whose versions leave the start or the end of the effective period uncovered",
    "E345": "version dates outside the policy's effective period",
    "E346": "dates on a shared definition (outside a policy)",
    "E347": "more versions than policyc keeps (dates that cut the period into over 100 pieces)",
    "E323": "restriction (`only`) on a status, or one that tests its own dimension or the severity",
    "E324": "restricted value required for tickets outside its restriction",
    "E325": "default that is a restricted value",
    "E401": "metric without a `start` clause",
    "E402": "metric that nothing stops",
    "E403": "metric that can never start",
    "E404": "metric that pauses in every status, so its clock never runs",
    "W405": "target shorter than the first response target for the same ticket and calendar",
    "E406": "declared metric without targets",
}

# Codes no longer given, kept so that they are never reused: code -> what it meant, and why it went.
RETIRED: dict[str, str] = {
    "E207": "union of calendars in different time zones (retired: such unions compile, issue 9)",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    span: Span
    help: str | None = None
    notes: tuple[tuple[str, Span], ...] = field(default=())

    @property
    def severity(self) -> str:
        return "warning" if self.code.startswith("W") else "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.start, self.code, self.message)


def error(code: str, message: str, span: Span, help: str | None = None, **kw) -> Diagnostic:
    """Build a diagnostic, checking the code is registered."""
    if code not in CODES:
        raise KeyError(f"unregistered diagnostic code {code}")
    return Diagnostic(code, message, span, help, **kw)


def shorten(text: str) -> str:
    """A literal as a message quotes it: a 5,000-digit number is cut in the middle."""
    return text if len(text) <= 24 else f"{text[:10]}...{text[-10:]}"


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A `help:` line naming the closest candidate, if any is close."""
    import difflib

    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def nearest(name: str, candidates: Iterable[str], n: int = 5, cutoff: float = 0.6) -> str | None:
    """A `help:` line naming up to `n` candidates closest to `name`, nearest first.

    Ties go first to the longer common beginning (`US-NX` is nearer `US-NC` than `US-IN`,
    a code being read left to right), then alphabetically.
    """
    import difflib
    import os.path

    matcher = difflib.SequenceMatcher(b=name)
    scored = []
    for c in sorted(set(candidates)):
        matcher.set_seq1(c)
        if matcher.ratio() >= cutoff:
            scored.append((-matcher.ratio(), -len(os.path.commonprefix([name, c])), c))
    close = [c for *_, c in sorted(scored)[:n]]
    return "did you mean " + ", ".join(f"`{c}`" for c in close) + "?" if close else None


def use_color(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _position(d: Diagnostic, sources: Mapping[str, SourceFile]) -> tuple[int, int]:
    src = sources.get(d.span.path)
    return src.line_col(d.span.start) if src else (1, 1)


def render_text(d: Diagnostic, sources: Mapping[str, SourceFile], color: bool = False) -> str:
    """`path:line:col: error[E104]: message`, the source line, a caret, then `help:`."""
    line, col = _position(d, sources)
    sev = d.severity
    if color:
        tint = "\033[1;31m" if sev == "error" else "\033[1;33m"
        head = f"\033[1m{d.span.path}:{line}:{col}:\033[0m {tint}{sev}[{d.code}]\033[0m: {d.message}"
    else:
        head = f"{d.span.path}:{line}:{col}: {sev}[{d.code}]: {d.message}"
    out = [head]
    src = sources.get(d.span.path)
    if src is not None and src.text:
        text = src.line_text(line)
        end_line, end_col = src.line_col(max(d.span.end - 1, d.span.start))
        width = max(1, (end_col - col + 1) if end_line == line else len(text) - col + 1)
        gutter = f"{line:>4} | "
        out.append(gutter + text.expandtabs(1))
        out.append(" " * (len(gutter) + col - 1) + "^" * min(width, 80))
    for msg, span in d.notes:
        nl, nc = _position(Diagnostic(d.code, msg, span), sources)
        out.append(f"  note: {span.path}:{nl}:{nc}: {msg}")
    if d.help:
        out.append(f"  help: {d.help}")
    return "\n".join(out)


def to_json(d: Diagnostic, sources: Mapping[str, SourceFile]) -> dict:
    line, col = _position(d, sources)
    return {
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "file": d.span.path,
        "line": line,
        "column": col,
        "help": d.help,
    }


def render_github(d: Diagnostic, sources: Mapping[str, SourceFile]) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the review page."""
    line, col = _position(d, sources)
    msg = f"[{d.code}] {d.message}" + (f" ({d.help})" if d.help else "")
    msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    # In a property value `,` and `:` end the value, so they are escaped too.
    path = d.span.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = path.replace(":", "%3A").replace(",", "%2C")
    return f"::{d.severity} file={path},line={line},col={col},title={d.code}::{msg}"


def report(diags: Iterable[Diagnostic], sources: Mapping[str, SourceFile], fmt: str = "text",
           stream=None) -> None:
    """Print diagnostics sorted by position in the chosen format."""
    stream = stream or sys.stderr
    ordered = sorted(diags, key=Diagnostic.sort_key)
    if fmt == "json":
        json.dump([to_json(d, sources) for d in ordered], stream, indent=2)
        stream.write("\n")
        return
    color = fmt == "text" and use_color(stream)
    for d in ordered:
        line = render_github(d, sources) if fmt == "github" else render_text(d, sources, color)
        stream.write(line + "\n")
    if fmt == "text" and ordered:
        errors = sum(d.is_error for d in ordered)
        stream.write(f"{errors} error(s), {len(ordered) - errors} warning(s)\n")
