"""`policyc fmt`: one canonical layout, the same meaning, every comment where it stood.

Properties over the seed policies, tests/versions/acme.policy, the compiler fuzzer's
mutations of the seeds (those that still parse) and the seeds with their whitespace
redrawn: formatting twice gives the text formatting once gave; the formatted text parses
to an AST equal to the input's; each comment comes back in the same order, before the
same token. The golden pair (golden/fmt_messy*.policy) was written by hand, the expected
layout worked out from the rules in src/policyc/syntax/layout.py, not from the output.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fuzz.budget import examples
from fuzz.test_compiler_fuzz import contract_mutation, numbers, splice, token_mutation
from policyc import fmt
from policyc.fmt import format_text
from policyc.source import SourceFile
from policyc.syntax import parse_text
from policyc.syntax.layout import comments

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = sorted((REPO / "policies").rglob("*.policy")) + [REPO / "tests" / "versions" / "acme.policy"]
TEXTS = {p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8") for p in SEEDS}
PIECE = re.compile(r'"(?:\\.|[^"\\\n])*"|#[^\n]*|\s+|[^\s"#]+')  # strings and comments kept whole
PROPERTY = settings(max_examples=examples(60), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


def run(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "policyc.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def module(text: str):
    tree, diags = parse_text(SourceFile.of("p.policy", text))
    return tree if tree is not None and not any(d.is_error for d in diags) else None


def check_formatting(text: str) -> None:
    """The three properties, for a text that parses."""
    before = module(text)
    assume(before is not None)
    once, diags = format_text(text)
    assert once is not None, diags
    assert module(once) == before
    assert format_text(once)[0] == once
    assert comments(once) == comments(text)


def test_the_seeds_are_formatted_and_keep_their_meaning():
    for name, text in TEXTS.items():
        once, _ = format_text(text, name)
        assert module(once) == module(text), name
        assert format_text(once, name)[0] == once, name
        assert comments(once) == comments(text), name


@PROPERTY
@given(st.one_of(token_mutation(), contract_mutation(), splice(), numbers()))
def test_fuzzer_inputs_that_parse_format_idempotently_to_the_same_ast(files):
    *_, text = files.values()  # the mutated file is the last one of its project
    check_formatting(text)


@st.composite
def relaid(draw) -> str:
    """A seed with the whitespace between its tokens redrawn: line breaks anywhere, or none."""
    text = draw(st.sampled_from(sorted(TEXTS.values())))
    pieces = PIECE.findall(text)
    spaces = st.sampled_from([" ", "  ", "\n", "\n\n\n", "\n        ", " \t"])
    out = []
    for piece in pieces:
        if piece.isspace() and not (out and out[-1].startswith("#")):  # a comment ends at its line's end
            piece = draw(spaces) if draw(st.booleans()) else piece
        out.append(piece)
    return "".join(out)


@PROPERTY
@given(relaid())
def test_any_layout_of_a_seed_formats_idempotently_to_the_same_ast(text):
    check_formatting(text)


def test_a_messy_policy_gets_the_canonical_layout():
    messy = (GOLDEN / "fmt_messy.policy").read_text(encoding="utf-8")
    expected = (GOLDEN / "fmt_messy.formatted.policy").read_text(encoding="utf-8")
    assert format_text(messy)[0] == expected
    assert format_text(expected)[0] == expected


def test_a_policy_on_one_line_gets_a_statement_a_line_and_its_table_in_rows():
    one_line = ("policy p { severities { S1, S2 } calendar c { open always } "
                "when severity is S1: respond on c { severity S1 S2 target: 1h 2h } }\n")
    assert format_text(one_line)[0] == (
        "policy p {\n"
        "  severities { S1, S2 }\n"
        "  calendar c { open always }\n"
        "  when severity is S1: respond on c {\n"
        "    severity   S1    S2\n"
        "    target:    1h    2h\n"
        "  }\n"
        "}\n")


def test_comments_stay_in_order_before_the_same_token():
    messy = (GOLDEN / "fmt_messy.policy").read_text(encoding="utf-8")
    formatted, _ = format_text(messy)
    assert comments(formatted) == comments(messy) == [
        ("# A messy policy: every layout mistake an author makes.", "import"),
        ("# the whole year", "calendar"),
        ("# the targets, as the contract says", "when"),
        ("# pro is the other table", "}"),
        ("# trailing remark", ""),
    ]
    # a trailing comment stays on its line, an own-line comment on its own
    assert '-  # pro is the other table\n' in formatted
    assert "\n# trailing remark\n" in formatted


def test_the_seed_policies_are_formatted():
    """What CI checks: the seeds are kept in the canonical layout."""
    done = run("fmt", "--check", "policies/")
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def test_the_pre_commit_hook_runs_fmt_check_on_the_files_it_is_given():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "policyc-fmt"]
    assert hook["entry"].split() == ["policyc", "fmt", "--check"] and hook["pass_filenames"] is True
    assert re.search(hook["files"], "policies/irex.policy") and not re.search(hook["files"], "irex.tests.yaml")
    seeds = [p.relative_to(REPO).as_posix() for p in SEEDS if p.parts[-2] != "versions"]
    assert run(*hook["entry"].split()[1:], *seeds).returncode == 0
    assert run(*hook["entry"].split()[1:], str(GOLDEN / "fmt_messy.policy")).returncode == 1


def copy(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "p"
    folder.mkdir()
    for name in names:
        shutil.copy(GOLDEN / name, folder / name)
    return folder


def test_check_lists_the_files_that_would_change_and_writes_nothing(tmp_path):
    folder = copy(tmp_path, "fmt_messy.policy", "fmt_messy.formatted.policy")
    before = (folder / "fmt_messy.policy").read_bytes()
    done = run("fmt", "--check", str(folder))
    assert done.returncode == 1
    assert done.stdout == f"would reformat {folder / 'fmt_messy.policy'}\n"
    assert (folder / "fmt_messy.policy").read_bytes() == before
    assert run("fmt", "--check", str(folder / "fmt_messy.formatted.policy")).returncode == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path):
    folder = copy(tmp_path, "fmt_messy.policy", "fmt_messy.formatted.policy")
    before = (folder / "fmt_messy.policy").read_bytes()
    done = run("fmt", "--diff", str(folder))
    assert done.returncode == 1
    assert done.stdout.startswith(f"--- {folder / 'fmt_messy.policy'}\n+++ ")
    assert "\n-  calendar either = office+office\n" in done.stdout
    assert "\n+  calendar either = office + office\n" in done.stdout
    assert (folder / "fmt_messy.policy").read_bytes() == before
    clean = run("fmt", "--diff", str(folder / "fmt_messy.formatted.policy"))
    assert (clean.returncode, clean.stdout) == (0, "")


def test_plain_fmt_rewrites_in_place_and_leaves_no_temporary_file(tmp_path):
    folder = copy(tmp_path, "fmt_messy.policy")
    path = folder / "fmt_messy.policy"
    path.chmod(0o640)
    done = run("fmt", str(folder))
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == (GOLDEN / "fmt_messy.formatted.policy").read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in folder.iterdir()) == ["fmt_messy.policy"]
    assert run("fmt", "--check", str(folder)).returncode == 0


def test_a_file_with_a_syntax_error_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "broken.policy"
    path.write_text("policy broken {\n  version\n}\n", encoding="utf-8")
    for flags in ([], ["--check"], ["--diff"]):
        done = run("fmt", *flags, str(path))
        assert done.returncode == 1
        assert f"{path}:3:1: error[E001]: unexpected `}}`" in done.stdout
        assert "Traceback" not in done.stderr
        assert path.read_text(encoding="utf-8") == "policy broken {\n  version\n}\n"


def test_bad_paths_are_input_errors(tmp_path):
    missing = run("fmt", str(tmp_path / "nope.policy"))
    assert missing.returncode == 2 and "error[E008]: no such file or directory" in missing.stdout
    empty = run("fmt", str(tmp_path))
    assert empty.returncode == 2 and "error[E011]: no policy found" in empty.stdout
    (tmp_path / "bin.policy").write_bytes(b"policy \xff {}")
    binary = run("fmt", str(tmp_path / "bin.policy"))
    assert binary.returncode == 2 and "error[E002]" in binary.stdout and "Traceback" not in binary.stderr


def test_a_layout_that_would_change_the_meaning_is_never_written(tmp_path, monkeypatch, capsys):
    """The guard against a formatter bug: the new text must parse to the same AST."""
    path = tmp_path / "p.policy"
    text = 'policy p "P" {\n  version "1"\n}\n'
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(fmt, "layout", lambda t: t.replace('"1"', '"2"'))
    out, err = io.StringIO(), io.StringIO()
    assert fmt.run([str(path)], check=False, diff=False, out=out, err=err) == 1
    assert "would change its meaning" in err.getvalue()
    assert path.read_text(encoding="utf-8") == text
