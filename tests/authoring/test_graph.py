"""`policyc graph`: the intermediate graph as DOT or Mermaid, for a reviewer.

The golden files were reviewed by hand against policies/irex.policy: every rule's edges
(its condition's dimension and values, its calendars, its table's dimensions and
values, the metric it measures, the chain it escalates to) and every chain's steps.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policyc.graphview import dot_string, mermaid_text

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
DOT_QUOTED = r'"(?:\\.|[^"\\\n])*"'
DOT_LINE = re.compile(rf"^  (?P<a>{DOT_QUOTED})(?: -> (?P<b>{DOT_QUOTED}))? \[label=(?P<label>{DOT_QUOTED})\];$")


def run(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "policyc.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_irex_graph_matches_the_reviewed_golden_files():
    for fmt, suffix in (("dot", "dot"), ("mermaid", "mmd")):
        proc = run("graph", "policies/irex.policy", "--format", fmt)
        golden = (GOLDEN / f"irex.{suffix}").read_text(encoding="utf-8")
        assert (proc.returncode, proc.stderr) == (0, "")
        assert proc.stdout == golden, (
            f"the {fmt} graph of irex changed: review the difference, then write it to "
            f"tests/authoring/golden/irex.{suffix} with `policyc graph policies/irex.policy --format {fmt}`")


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_rules_are_shown_at_their_line_with_their_references():
    text = (REPO / "policies/irex.policy").read_text(encoding="utf-8")
    out = run("graph", "policies/irex.policy").stdout
    weekend = _line_of(text, "respond on business + weekend")
    lowered = _line_of(text, "severity L1, L2, L3 becomes L4")
    # the rules are numbered in source order: the severity rule is the first, the
    # weekend cover the fourth (after the Premier and the Standard tables)
    assert f'"rule:0" [label="rule @ policies/irex.policy:{lowered}\\nseverity"];' in out
    assert f'"rule:3" [label="rule @ policies/irex.policy:{weekend}\\nmeasure first_response"];' in out
    for edge in ('"rule:3" -> "calendar:weekend" [label="calendar"]',
                 '"rule:3" -> "value:severity:L2" [label="condition"]',
                 '"rule:0" -> "value:environment:non_production" [label="condition"]',
                 '"escalation:premier_critical" -> "escalation:premier_ticket" [label="include"]'):
        assert edge in out
    # `email` and the 24/7 calendar `always` are built in and unused by irex: not drawn
    assert '"channel:email"' not in out and '"calendar:always"' not in out


def test_every_line_is_well_formed_dot_and_ids_are_unique(tmp_path):
    """A module whose path holds a quote, a backslash and non-ASCII still gives valid DOT."""
    (tmp_path / "policies/odd \"é\\x").mkdir(parents=True)
    (tmp_path / 'policies/odd "é\\x/cal.policy').write_text(
        "calendar c { zone UTC open mon..fri 09:00-17:00 }\n", encoding="utf-8")
    (tmp_path / "policies/p.policy").write_text(
        'import "odd \\"é\\\\x/cal.policy"\n'
        'policy p { version "1" effective 2025-01-01..2025-12-31 severities { S1 } respond on c { target 1h } }\n',
        encoding="utf-8")
    proc = run("graph", "policies/p.policy", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == 'digraph "p" {' and lines[-1] == "}"
    body = [line for line in lines[1:-1] if not line.startswith(("  rankdir", "  node [", "  edge ["))]
    nodes = []
    for line in body:
        m = DOT_LINE.match(line)
        assert m, line
        if m["b"] is None:
            nodes.append(m["a"])
    assert len(nodes) == len(set(nodes))
    assert '  "module:policies/odd \\"é\\\\x/cal.policy" [label="module policies/odd \\"é\\\\x/cal.policy"];' in body


def graphviz_unescape(quoted: str) -> str:
    """What Graphviz shows for a quoted label: `\\"` is `"`, `\\\\` a backslash, `\\n` a line
    break (the escString rules; a label has no other escapes here)."""
    body, out, i = quoted[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\":
            nxt = body[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def visible(text: str) -> str:
    """A control character other than a newline as the label shows it: `\\u0007`."""
    import unicodedata

    return "".join(f"\\u{ord(c):04x}" if c != "\n" and unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") else c
                   for c in text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_dot_strings_are_one_quoted_token_that_reads_back(text):
    quoted = dot_string(text)
    assert re.fullmatch(DOT_QUOTED, quoted), quoted
    assert graphviz_unescape(quoted) == visible(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_mermaid_labels_cannot_end_their_quotes_or_lines(text):
    label = mermaid_text(text)
    assert '"' not in label and "\n" not in label and "\r" not in label
    assert label.replace("<br>", "").count("<") == 0


def test_bad_input_gives_one_message_and_the_documented_exit_code(tmp_path):
    missing = run("graph", "policies/nope.policy")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stdout.splitlines()[0].endswith("error[E008]: no such file or directory: `policies/nope.policy`")
    several = run("graph", "policies")
    assert several.returncode == 2 and several.stdout == ""
    assert re.fullmatch(r"policyc: `policies` holds [0-9]+ policies; name one policy file\n", several.stderr)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/p.policy").write_text(
        'policy p { version "1" effective 2025-01-01..2025-12-31 severities { S1 } respond on nowhere { target 1h } }\n',
        encoding="utf-8")
    broken = run("graph", "policies/p.policy", cwd=tmp_path)
    assert broken.returncode == 1 and "error[E101]: unknown calendar `nowhere`" in broken.stdout
    assert "digraph" not in broken.stdout and "Traceback" not in broken.stderr
