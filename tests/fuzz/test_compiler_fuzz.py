"""Fuzz the compiler from the seed policies: whatever the input, located findings or a table.

Inputs are the seed policies (`policies/`) mutated token by token, spliced with pieces
of one another, with numbers made huge or written in non-ASCII digits, nested deeply,
or given generated dense cycles and doubling includes: the shapes that raised, hung or
ran out of memory before (issue 7). Each example is one small project, so that a slow
input is a finding and not the fuzzer's own cost.

Checked for every input: no exception escapes `compile_paths`; every diagnostic has a
registered code and a span inside a file the compiler read; the number of findings is
bounded (MAX_SYNTAX_ERRORS per file, MAX_PER_CODE per code and file); an error means
no table. A guard turns a hang into a failure long after any real compile would end.

`POLICYC_FUZZ_EXAMPLES=5000 pytest tests/fuzz/test_compiler_fuzz.py` runs longer.
"""

from __future__ import annotations

import re
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.compiler import compile_paths
from policyc.diagnostics import CODES
from policyc.passes import MAX_PER_CODE
from policyc.syntax.parse import MAX_SYNTAX_ERRORS
from seed_tables import SEED_FINDINGS, seed_findings  # `tests/` is on sys.path

from .budget import examples

REPO = Path(__file__).resolve().parents[2]
SEEDS = {p.relative_to(REPO / "policies").as_posix(): p.read_text(encoding="utf-8")
         for p in sorted((REPO / "policies").rglob("*.policy"))}
SHARED = {name: text for name, text in SEEDS.items() if name.startswith("shared/")}  # what the seeds import
CONTRACTS = {name: text for name, text in SEEDS.items() if name.startswith("contracts/")}  # of `irex`
MAIN = sorted(name for name in SEEDS if "/" not in name)
HANG_GUARD_SECONDS = 120  # a hang detector, not a speed test: one example compiles in well under a second

FUZZ = settings(max_examples=examples(150), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
NUMBER = re.compile(r"[0-9]+")
HOSTILE = [
    "{", "}", ":", ",", "..", "-", "+", "\\", '"', "#", "\n", "next_business_day", "next businessday",
    "2 business days", "weekly", "2d", "UTC+1", "America/Argentina", "America/Indiana", "1" + "0" * 5000 + "h",
    "9" * 400 + "x", "0." + "0" * 400 + "1x", "1" + "0" * 4400 + "%", "30000000000h", "١h", "０８:００",
    "UTC+٠٢:٠٠", "٢٠٢٥", "\x00", "\ufeff", "include", "=", "years 2030..2040", "national IN years 2030..2040",
    "2200-01-01", "1899-12-31", "open mon 08:00-16:00 " * 30,
    # Metrics (issue 8): clauses, events, `after` and `of` chains, periods, best effort.
    "after first_response", "after next_response", "of next_response", "status to", "status from open,",
    "pause in open, waiting_on_customer, solved, closed", "repeat while status open", "on facts change restart",
    "every 0 days", "every " + "9" * 400 + " weeks", "best effort", "daily", "measure next_response",
    "metric first_response { start on created }", "statuses { open }",
    # No support (issue 10): the rule, its exception, a reason, a pointer.
    'no support "Community forum only"', 'no support "" see "https://forum.example.com"', "supported",
    "no support", 'see "x"', 'when severity is L1: no support "x"',
    # Labelled rules and exceptions (issue 10): a label, an exception to it or to nothing.
    "rule regional:", "exception to regional:", "exception to nowhere:", "rule", "exception to",
    # Dated rules and definitions (issue 10): versions, overlaps, gaps, dates out of range.
    "rule regional from 2026-07-01:", "rule regional until 2025-06-30:", "from 2025-07-01 until 2025-06-30",
    "exception to regional from 2025-03-01 until 2025-09-30:", "calendar business from 2026-01-01",
    "calendar business until 2025-12-31", "escalation chain from 2025-02-30", "until 1899-12-31", "from",
    "until", "from 2200-01-01",
    # Contracts (issue 10): marks in the base, a contract's head, overrides of every kind.
    "negotiable", "negotiable rule premier_targets:", "negotiable calendar", "negotiable exception to regional:",
    "contract", "extends", 'contract c extends irex "C" { version "2" }', "contract c extends c {",
    "rule premier_targets:", "exception to premier_targets:", "rule standard:", "calendar business { }",
    "dimension plan { premier }", "effective 2020-01-01..2030-12-31", "extends acme_irex",
]


@contextmanager
def hang_guard():
    """Fail the example instead of hanging CI for ever (POSIX only; elsewhere, no guard)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(signum, frame):
        raise AssertionError(f"compile ran past {HANG_GUARD_SECONDS} s: a hang")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(HANG_GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check(files: dict[str, str]) -> None:
    """Compile `files` under a fresh `policies/` folder and check the result is well formed."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "policies")
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        with hang_guard():
            result = compile_paths([str(root)])
    per_file_code: dict[tuple[str, str], int] = {}
    for d in result.diagnostics:
        assert d.code in CODES, d
        src = result.sources.get(d.span.path)
        assert src is not None, f"not located in a file that was read: {d}"
        assert 0 <= d.span.start <= d.span.end <= len(src.text), d
        key = (d.span.path, d.code)
        per_file_code[key] = per_file_code.get(key, 0) + 1
    for (path, code), n in per_file_code.items():
        limit = MAX_SYNTAX_ERRORS if code == "E001" else MAX_PER_CODE + 1
        assert n <= limit, f"{n} findings {code} in {path}"
    if result.errors:
        assert result.tables == {}


def project(main: str, text: str) -> dict[str, str]:
    """A seed with what it imports (and IREX with its contract, which extends it)."""
    return {**SHARED, **(CONTRACTS if main == "irex.policy" else {}), main: text}


# ---- strategies ------------------------------------------------------------------------------

@st.composite
def token_mutation(draw) -> dict[str, str]:
    """A seed with a few tokens deleted, duplicated, swapped or replaced by hostile ones."""
    main = draw(st.sampled_from(MAIN))
    toks = TOKEN.findall(SEEDS[main])
    for _ in range(draw(st.integers(1, 4))):
        i, j = draw(st.integers(0, len(toks) - 1)), draw(st.integers(0, len(toks) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "hostile"]))
        if op == "delete":
            del toks[i]
        elif op == "duplicate":
            toks.insert(i, toks[j])
        elif op == "swap":
            toks[i], toks[j] = toks[j], toks[i]
        else:
            toks.insert(i, draw(st.sampled_from(HOSTILE)))
    return project(main, "".join(toks))


@st.composite
def contract_mutation(draw) -> dict[str, str]:
    """IREX as published, with its contract mutated token by token."""
    name = draw(st.sampled_from(sorted(CONTRACTS)))
    toks = TOKEN.findall(CONTRACTS[name])
    for _ in range(draw(st.integers(1, 4))):
        i, j = draw(st.integers(0, len(toks) - 1)), draw(st.integers(0, len(toks) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "hostile"]))
        if op == "delete":
            del toks[i]
        elif op == "duplicate":
            toks.insert(i, toks[j])
        else:
            toks.insert(i, draw(st.sampled_from(HOSTILE)))
    return {**project("irex.policy", SEEDS["irex.policy"]), name: "".join(toks)}


@st.composite
def splice(draw) -> dict[str, str]:
    """A piece of one seed (whole lines) put into another."""
    main, donor = draw(st.sampled_from(MAIN)), draw(st.sampled_from(sorted(SEEDS)))
    lines, donor_lines = SEEDS[main].split("\n"), SEEDS[donor].split("\n")
    a = draw(st.integers(0, len(donor_lines) - 1))
    piece = donor_lines[a:a + draw(st.integers(1, 40))]
    at = draw(st.integers(0, len(lines)))
    return project(main, "\n".join(lines[:at] + piece + lines[at:]))


@st.composite
def numbers(draw) -> dict[str, str]:
    """A seed with some of its numbers made huge, zero or written in non-ASCII digits."""
    main = draw(st.sampled_from(MAIN))
    text = SEEDS[main]
    spots = list(NUMBER.finditer(text))
    chosen = sorted(draw(st.lists(st.sampled_from(spots), min_size=1, max_size=3, unique_by=lambda m: m.start())),
                    key=lambda m: m.start(), reverse=True)
    for m in chosen:
        new = draw(st.sampled_from([
            "9" * draw(st.integers(5, 5000)), "0", "0" * 30, m.group().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
            m.group().translate(str.maketrans("0123456789", "０１２３４５６７８９")), str(10 ** 11)]))
        text = text[:m.start()] + new + text[m.end():]
    return project(main, text)


@st.composite
def nesting(draw) -> dict[str, str]:
    depth = draw(st.integers(1, 20_000))
    unit = draw(st.sampled_from(["{", "policy p {", "calendar c {", "respond {", "(", "["]))
    return {"deep.policy": unit * depth + "}" * draw(st.integers(0, depth))}


@st.composite
def dense_cycles(draw) -> dict[str, str]:
    """Calendars, escalations or files referring to one another along random, mostly dense, edges."""
    n = draw(st.integers(2, 12))
    edges = {i: sorted(set(draw(st.lists(st.integers(0, n - 1), max_size=n)))) or [(i + 1) % n] for i in range(n)}
    kind = draw(st.sampled_from(["calendar", "escalation", "import"]))
    head = 'policy p { version "1" effective 2025-01-01..2025-12-31 severities { S1 } respond on always { target 1h }'
    if kind == "import":
        files = {f"f{i}.policy": "".join(f'import "f{j}.policy"\n' for j in edges[i]) for i in range(n)}
        files["p.policy"] = 'import "f0.policy"\n' + head + " }\n"
        return files
    if kind == "calendar":
        body = "".join(f"calendar c{i} = " + " + ".join(f"c{j}" for j in edges[i]) + "\n" for i in range(n))
    else:
        body = "role r\n" + "".join(f"escalation e{i} {{ email r " + " ".join(f"include e{j}" for j in edges[i])
                                    + " }\n" for i in range(n)) + "escalate e0\n"
    return {"p.policy": head + "\n" + body + "}\n"}


@st.composite
def doubling(draw) -> dict[str, str]:
    levels, width = draw(st.integers(1, 40)), draw(st.integers(1, 4))
    chains = "".join(f"escalation e{i} {{ " + f"include e{i - 1} " * width + "}\n" for i in range(1, levels + 1))
    return {"p.policy": 'policy p { version "1" effective 2025-01-01..2025-12-31 severities { S1 }\n'
                        "respond on always { target 1h }\nrole r\nescalation e0 { email r }\n" + chains
                        + f"escalate e{levels}\n}}\n"}


INPUTS = st.one_of(token_mutation(), splice(), numbers(), nesting(), dense_cycles(), doubling(), contract_mutation())


@FUZZ
@given(INPUTS)
def test_compiler_answers_every_input_with_located_findings(files):
    check(files)


def test_the_seeds_themselves_are_clean():
    # The fuzzer starts from them: a seed with findings would make every mutation noisy.
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in SEEDS.items():
            path = Path(tmp, "policies", name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        result = compile_paths([str(Path(tmp, "policies"))])
    assert seed_findings(result) == SEED_FINDINGS and len(result.tables) == len(MAIN) + len(CONTRACTS)
