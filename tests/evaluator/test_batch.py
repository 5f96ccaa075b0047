"""`policyc eval --batch` answers every line, in order, as valid UTF-8 JSON (issue 7
items 21 and 22), and `--facts` refuses what it cannot read without a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.evaluator import load
from policyc.evaluator.cli import MAX_LINE_BYTES, evaluate
from seed_tables import seed, seed_path, upgrade

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"received_at": "2025-06-13T18:30:00+02:00", "plan": "premier", "environment": "production",
        "severity": "L1"}
GOOD_LINE = json.dumps(GOOD).encode()


@pytest.fixture(scope="module")
def irex():
    return load(seed_path("irex"))


class _Bytes(io.TextIOWrapper):
    """A text stream over bytes, like sys.stdin / sys.stdout."""


def _run(table, data: bytes):
    stdin = _Bytes(io.BytesIO(data), encoding="utf-8")
    out = io.BytesIO()
    stdout = _Bytes(out, encoding="ascii")  # the output must not depend on the stream's encoding
    status = evaluate(table, None, "-", stdin, stdout, io.StringIO())
    stdout.flush()
    raw = out.getvalue()
    return status, [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def test_a_line_that_is_not_utf8_loses_nothing(irex):
    status, lines = _run(irex, GOOD_LINE + b"\n" + b'{"plan": "\xff\xfe"}\n' + GOOD_LINE + b"\n")
    assert status == 2 and len(lines) == 3
    assert lines[0] == lines[2] == irex.decide(GOOD)
    assert lines[1] == {"error": "line is not UTF-8 text (byte 11)", "line": 2}


def test_deeply_nested_json_loses_nothing(irex):
    status, lines = _run(irex, b"[" * 100_000 + b"\n" + GOOD_LINE + b"\n")
    assert lines[0] == {"error": "facts are not valid JSON: they nest too deeply", "line": 1}
    assert lines[1] == irex.decide(GOOD)


def test_a_lone_surrogate_is_escaped_in_the_output(irex):
    status, lines = _run(irex, b'{"plan": "\\ud800x"}\n' + GOOD_LINE + b"\n")
    assert lines[0]["error"].startswith("unknown value `\\ud800x` for fact `plan`")
    assert lines[1] == irex.decide(GOOD)


def test_a_line_longer_than_the_limit_is_refused_and_skipped(irex):
    long = b'{"plan": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}'
    status, lines = _run(irex, long + b"\n" + GOOD_LINE + b"\n" + long)
    assert lines == [{"error": f"line is longer than the limit of {MAX_LINE_BYTES} bytes", "line": 1},
                     irex.decide(GOOD),
                     {"error": f"line is longer than the limit of {MAX_LINE_BYTES} bytes", "line": 3}]


def test_blank_lines_keep_their_numbers(irex):
    status, lines = _run(irex, b"\n  \n{\n" + GOOD_LINE)
    assert status == 2 and lines[0]["line"] == 3 and lines[1] == irex.decide(GOOD)


def test_nan_is_not_json(irex):
    status, lines = _run(irex, b'{"plan": NaN}\n')
    assert lines[0]["error"] == "facts are not valid JSON: `NaN` is not JSON"


def _eval(*args, stdin: bytes = b""):
    return subprocess.run([sys.executable, "-m", "policyc.cli", "eval", *args], capture_output=True,
                          input=stdin, cwd=ROOT)


def test_subprocess_batch_of_hostile_lines():
    lines = [GOOD_LINE, b"\xff", b"[" * 50_000, b'{"plan": "\\udfff"}', b"1e999999", b"9" * 5000, GOOD_LINE]
    out = _eval(str(seed_path("irex")), "--batch", "-", stdin=b"\n".join(lines) + b"\n")
    assert out.returncode == 2 and b"Traceback" not in out.stderr
    answers = [json.loads(x) for x in out.stdout.decode("utf-8").splitlines()]
    assert [a.get("line") for a in answers] == [None, 2, 3, 4, 5, 6, None]
    assert answers[0] == answers[-1] and answers[0]["response"]["due"] == "2025-06-13T17:30:00Z"


def test_facts_nested_too_deeply_exit_2():
    out = _eval(str(seed_path("irex")), "--facts", "[" * 30_000)
    assert out.returncode == 2 and b"Traceback" not in out.stderr
    assert b"facts are not valid JSON: they nest too deeply" in out.stderr
