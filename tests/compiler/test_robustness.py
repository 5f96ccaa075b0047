"""Whatever the input, the compiler answers with diagnostics, never with an exception.

Property tests feed it random bytes, random text, soups of the language's own tokens and
random mutations of the seed policies (tokens or lines deleted, duplicated or swapped,
junk inserted, files truncated); explicit cases cover the classic hostile inputs. A
handful go through the command line in a subprocess to check that no traceback leaks
and the exit code says what happened.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.budget import examples  # `tests/` is on sys.path: pytest's rootdir-relative import of tests/fuzz
from policyc.compiler import INPUT_ERRORS, Result, compile_paths
from policyc.diagnostics import CODES, Diagnostic, render_github, render_text, to_json
from seed_tables import SEED_FINDINGS, seed_findings

from .helpers import REPO, SEED_POLICIES

SEEDS = {name: (REPO / "policies" / name).read_text(encoding="utf-8") for name in SEED_POLICIES}
# No wall-clock deadline (a slow machine is not a bug); examples sized to keep the file near 20 s.
FAST = settings(deadline=None, max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(deadline=None, max_examples=examples(120), suppress_health_check=[HealthCheck.too_slow])


def compile_files(files: dict[str, str | bytes]) -> tuple[Result, dict[str, bytes]]:
    """Write `files` under a fresh folder and compile it; also returns the bytes written."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "policies")
        written = {}
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
            path.write_bytes(data)
            written[name] = data
        return compile_paths([str(root)]), written


def assert_well_formed(result: Result) -> None:
    """Registered codes, spans inside their files, renderable, sorted; errors mean no output."""
    for d in result.diagnostics:
        assert d.code in CODES, d
        assert d.message and not d.message.endswith("."), d
        src = result.sources.get(d.span.path)
        if src is not None:
            assert 0 <= d.span.start <= d.span.end <= len(src.text), d
        render_text(d, result.sources)
        render_text(d, result.sources, color=True)
        render_github(d, result.sources)
        to_json(d, result.sources)
    assert result.diagnostics == sorted(result.diagnostics, key=Diagnostic.sort_key)
    if result.errors:
        assert result.tables == {} and result.outputs() == {}


# ---- random input ------------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    result, _ = compile_files({"r.policy": data})
    assert_well_formed(result)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        assert [d.code for d in result.diagnostics] == ["E002"]
    else:
        if "\x00" in text:
            assert [d.code for d in result.diagnostics] == ["E002"]


@FAST
@given(st.text(max_size=2000))
def test_random_text(text):
    result, _ = compile_files({"r.policy": text})
    assert_well_formed(result)


WORDS = sorted(set(re.findall(r'"([a-z]+)"', (REPO / "grammar" / "policy.lark").read_text()))) + [
    "{", "}", ":", ",", "..", "-", "+", "\\", "=", "x", "L1", "plan", "business", '"label"', "2025-01-01",
    "2025-02-30", "08:00", "24:00", "25:61", "2h", "0min", "1.5x", "50%", "150%", "RU", "2024", "Europe/Paris",
    "UTC+02:00", "premier:", "target:", "\n", "# note\n",
    # Metrics: event words and metric names are plain names, not grammar strings.
    "created", "customer_message", "agent_message", "facts", "first_response", "next_response", "75%", "0",
    "open", "solved",
]


@FAST
@given(st.lists(st.sampled_from(WORDS), max_size=120))
def test_soup_of_the_languages_own_tokens(words):
    result, _ = compile_files({"r.policy": " ".join(words)})
    assert_well_formed(result)


# ---- mutations of the seed policies ------------------------------------------------------------

JUNK = st.one_of(st.sampled_from([
    "{", "}", ":", ",", "..", "-", "+", "\\", '"', "#", "\n", "24:00", "99:99", "0h", "2025-02-30", "any",
    "severity", "next business day", "when", "is", "not", "@", "\t", "é", "x", "1.5x", "150%", "=",
    'import "../outside.policy"', 'import "missing.policy"', 'import "irex.policy"', "calendar", "L1",
    "UTC+99:00", "\r\n", "\ufeff", "policy", "holidays russia", "years 2025..2024",
    "after first_response", "after next_response", "of next_response", "status to", "status from solved,",
    "every 0 days", "best effort", "weekly", "pause in open, waiting_on_customer, solved, closed",
    "statuses { open }", "metric first_response { start on created }", "restart on created",
]), st.text(min_size=1, max_size=3))


def tokens(text: str) -> list[str]:
    return re.findall(r"\s+|\w+|[^\w\s]", text)


@st.composite
def mutation(draw, text: str) -> str:
    toks, lines = tokens(text), text.split("\n")
    op = draw(st.sampled_from(["delete", "duplicate", "swap", "delete-line", "duplicate-line", "swap-lines",
                               "insert", "truncate"]))
    if op in ("delete", "duplicate", "swap") and toks:
        i, j = draw(st.integers(0, len(toks) - 1)), draw(st.integers(0, len(toks) - 1))
        if op == "delete":
            del toks[i:i + draw(st.integers(1, 3))]
        elif op == "duplicate":
            toks.insert(i, toks[j])
        else:
            toks[i], toks[j] = toks[j], toks[i]
        return "".join(toks)
    if op in ("delete-line", "duplicate-line", "swap-lines"):
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        if op == "delete-line":
            del lines[i]
        elif op == "duplicate-line":
            lines.insert(i, lines[j])
        else:
            lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)
    if op == "insert":
        i = draw(st.integers(0, len(text)))
        return text[:i] + draw(JUNK) + text[i:]
    return text[:draw(st.integers(0, len(text)))]


@st.composite
def mutated_seeds(draw) -> dict[str, str]:
    files = dict(SEEDS)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        files[name] = draw(mutation(files[name]))
    return files


@pytest.mark.filterwarnings("ignore:Generating overly large repr")  # four policies per example
@SLOW
@given(mutated_seeds())
def test_mutated_seed_policies(files):
    result, _ = compile_files(files)
    assert_well_formed(result)


def test_regression_severity_rule_to_an_unknown_severity():
    # Found by the mutations: a dropped comma in Hydra's severities makes `normal` a label
    # language, and `severity any becomes normal` then named a severity that does not exist.
    hydra = SEEDS["hydra.policy"].replace('high "High" ru "Высокий",', 'high "High" ru "Высокий"')
    assert hydra != SEEDS["hydra.policy"]
    result, _ = compile_files({**SEEDS, "hydra.policy": hydra})
    assert_well_formed(result)
    assert "unknown severity `normal`" in {d.message for d in result.diagnostics}


# ---- explicit hostile inputs --------------------------------------------------------------------

def codes(result: Result) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_binary_junk():
    result, _ = compile_files({"junk.policy": bytes(range(256)) * 16})
    assert codes(result) == ["E002"]


def test_nul_bytes_in_otherwise_valid_text():
    result, _ = compile_files({**SEEDS, "irex.policy": SEEDS["irex.policy"].replace("policy irex", "policy\x00irex")})
    assert codes(result) == ["E002"] and "NUL" in result.diagnostics[0].message


def test_empty_file():
    result, _ = compile_files({"empty.policy": ""})
    assert (result.diagnostics, result.tables) == ([], {})


def test_only_comments():
    result, _ = compile_files({"notes.policy": "# nothing but comments\n#\n   # indented\n# policy p { }\n"})
    assert (result.diagnostics, result.tables) == ([], {})


def test_ten_megabytes():
    big = "# filler\n" * (10 * 1024 * 1024 // 9 + 1)
    result, _ = compile_files({**SEEDS, "big.policy": big})
    assert sorted(codes(result)) == sorted(["E003"] + [code for code, _, _ in SEED_FINDINGS])
    assert result.tables == {}  # one unreadable file stops the whole compile


def test_ten_thousand_nested_braces():
    from policyc.syntax.parse import MAX_SYNTAX_ERRORS

    for text in ("{" * 10_000, "policy p " + "{" * 10_000 + "}" * 10_000):
        result, _ = compile_files({"deep.policy": text})
        assert set(codes(result)) == {"E001"} and 1 <= len(result.diagnostics) <= MAX_SYNTAX_ERRORS
        assert_well_formed(result)


def test_megabytes_of_junk_tokens_just_under_the_size_limit():
    # Error recovery is capped: one reported error, not a pass over every token.
    from policyc.syntax.parse import MAX_BYTES

    for unit in ("{", "} ", "x = "):
        text = unit * ((MAX_BYTES - 1) // len(unit))
        result, written = compile_files({"junk.policy": text})
        assert len(written["junk.policy"]) < MAX_BYTES
        assert set(codes(result)) == {"E001"}


def reference_outputs() -> dict[str, bytes]:
    result, _ = compile_files(SEEDS)
    assert seed_findings(result) == SEED_FINDINGS
    return result.outputs()


def test_byte_order_mark_changes_nothing():
    result, _ = compile_files({name: "\ufeff" + text for name, text in SEEDS.items()})
    assert seed_findings(result) == SEED_FINDINGS
    assert result.outputs() == reference_outputs()


def test_crlf_line_endings_change_nothing():
    crlf = {name: text.replace("\n", "\r\n") for name, text in SEEDS.items()}
    result, _ = compile_files(crlf)
    assert seed_findings(result) == SEED_FINDINGS
    assert result.outputs() == reference_outputs()  # the same bytes, `source` lines included


def test_crlf_positions_in_diagnostics():
    broken = SEEDS["irex.policy"].replace("\n", "\r\n").replace('version "2025.1"', "version 2025")
    result, _ = compile_files({"irex.policy": broken})
    [d] = result.diagnostics
    line = next(i for i, s in enumerate(SEEDS["irex.policy"].split("\n"), 1) if 'version "2025.1"' in s)
    assert (d.code, result.sources[d.span.path].line_col(d.span.start)) == ("E001", (line, 11))
    assert "\r" not in render_text(d, result.sources)


# ---- through the command line -------------------------------------------------------------------

CLI_CASES = {
    "binary": {"junk.policy": bytes(range(256))},
    "nul": {"p.policy": b"policy p {\x00}"},
    "deep": {"deep.policy": "{" * 10_000},
    "truncated": {**SEEDS, "navixy.policy": SEEDS["navixy.policy"][:5000]},
    "junk-inserted": {**SEEDS, "irex.policy": SEEDS["irex.policy"].replace("open mon..fri", "open mon..fri @")},
    "unknown-severity": {**SEEDS, "hydra.policy": SEEDS["hydra.policy"].replace("becomes normal", "becomes normall")},
    "lines-swapped": {**SEEDS, "hydra.policy": "\n".join(reversed(SEEDS["hydra.policy"].split("\n")))},
}


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_cli_never_shows_a_traceback(name, tmp_path):
    files = CLI_CASES[name]
    for rel, content in files.items():
        path = tmp_path / "policies" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = compile_paths([str(tmp_path / "policies")])
    expected = 2 if set(codes(result)) & INPUT_ERRORS else 1
    for command in (["check", "policies"], ["compile", "policies", "--out", "out"]):
        proc = subprocess.run([sys.executable, "-m", "policyc.cli", *command], cwd=tmp_path,
                              capture_output=True, text=True)
        assert "Traceback" not in proc.stderr + proc.stdout
        assert proc.returncode == expected, proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists()
