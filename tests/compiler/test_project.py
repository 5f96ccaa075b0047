"""Policy folders as they are found on disk: links, pipes, devices, odd names, partial compiles.

Each test builds the situation in a scratch folder and runs `policyc` in a subprocess
with a timeout: a hang fails the test (it does not measure speed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler import compile_paths
from policyc.emit.write import dumps

from .helpers import REPO

P = 'policy p { version "1" effective 2025-01-01..2025-12-31 severities { S1 } respond on always { target 1h } }\n'
TIMEOUT = 60  # seconds; far above a normal run, far below "hangs for ever"


def policyc(*args, cwd):
    """Run the command line; a hang is a failure, not a wait."""
    try:
        return subprocess.run([sys.executable, "-m", "policyc.cli", *args], cwd=cwd, capture_output=True,
                              text=True, timeout=TIMEOUT, errors="replace")
    except subprocess.TimeoutExpired:
        pytest.fail(f"`policyc {' '.join(args)}` did not finish in {TIMEOUT} s")


@pytest.fixture
def seeds(tmp_path) -> Path:
    """A copy of the seed policies and their generated tables."""
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    shutil.copytree(REPO / "generated", tmp_path / "generated")
    return tmp_path


def no_traceback(proc) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


# ---- item 3 (issue 7): a symlink loop among the policies -------------------------------------

def test_a_symlink_loop_is_reported_not_a_crash(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/p.policy").write_text(P, encoding="utf-8")
    os.symlink("loop.policy", tmp_path / "policies/loop.policy")  # points at itself
    proc = policyc("check", "policies", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    assert "policies/loop.policy:1:1: error[E002]: cannot read file: Too many levels of symbolic links" in proc.stdout


def test_a_loop_of_folder_links_is_not_followed(tmp_path):
    (tmp_path / "policies/sub").mkdir(parents=True)
    (tmp_path / "policies/p.policy").write_text(P, encoding="utf-8")
    os.symlink("..", tmp_path / "policies/sub/up")  # policies/sub/up/sub/up/... for ever
    proc = policyc("check", "policies", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")


# ---- item 4: a file name that is not UTF-8 -----------------------------------------------------

def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    folder = os.fsencode(tmp_path / "policies")
    os.mkdir(folder)
    with open(folder + b"/ir\xffex.policy", "w", encoding="utf-8") as f:
        f.write(P.replace('version "1"', "version 1"))  # an error, so the name is shown
    proc = policyc("check", "policies", cwd=tmp_path)
    no_traceback(proc)
    assert proc.stdout.startswith("policies/ir\\xffex.policy:1:")
    with open(folder + b"/ir\xffex.policy", "w", encoding="utf-8") as f:
        f.write(P)
    proc = policyc("compile", "policies", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    table = json.loads((tmp_path / "out/p.json").read_text(encoding="utf-8"))  # valid UTF-8 JSON
    assert table["policy"]["source"]["file"] == "policies/ir\\xffex.policy"


# ---- items 10 and 16: files that are not regular files --------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory"])
def test_a_policy_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/p.policy").write_text(P, encoding="utf-8")
    path = tmp_path / "policies/x.policy"
    if kind == "fifo":
        os.mkfifo(path)  # reading it would block for ever
    elif kind == "dev-zero":
        (tmp_path / "policies/x.policy").symlink_to("/dev/zero")  # st_size 0, endless bytes
    for args in (["check", "policies"], ["check", "policies/x.policy"]):
        if kind == "directory":
            path.mkdir(exist_ok=True)
            if args[1] == "policies":  # a folder named *.policy is not a policy file: skipped
                assert policyc(*args, cwd=tmp_path).returncode == 0
                continue
            proc = policyc(*args, cwd=tmp_path)
            assert proc.returncode == 2 and "error[E011]" in proc.stdout  # a folder with no policy in it
            continue
        proc = policyc(*args, cwd=tmp_path)
        no_traceback(proc)
        if kind == "fifo":
            assert "policies/x.policy:1:1: error[E009]: `policies/x.policy` is a named pipe (FIFO), not a " \
                   "regular file" in proc.stdout, proc.stdout
        else:  # /dev is outside the policy root: refused before it is opened
            assert "policies/x.policy:1:1: error[E010]: `policies/x.policy` links to a file outside" in proc.stdout
        assert proc.returncode == 2


def test_a_device_named_on_the_command_line_is_not_read(tmp_path):
    proc = policyc("check", "/dev/zero", cwd=tmp_path)
    assert proc.stdout.startswith("/dev/zero:1:1: error[E009]: `/dev/zero` is a character device, not a regular file")
    assert proc.returncode == 2


def test_reading_stops_at_the_limit_whatever_the_size_says(tmp_path):
    from policyc.source import NotRegularFile, TooLarge, read_limited

    (tmp_path / "f").write_bytes(b"x" * 11)
    assert read_limited(tmp_path / "f", 11) == b"x" * 11
    with pytest.raises(TooLarge, match="file is 11 bytes; policyc reads at most 10"):
        read_limited(tmp_path / "f", 10)
    with pytest.raises(NotRegularFile, match="a character device"):
        read_limited("/dev/zero", 10)


def test_an_import_of_a_fifo_says_what_it_is(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/p.policy").write_text('import "pipe.lib"\n' + P, encoding="utf-8")
    os.mkfifo(tmp_path / "policies/pipe.lib")
    proc = policyc("check", "policies", cwd=tmp_path)
    assert "policies/p.policy:1:1: error[E009]: imported file `pipe.lib` is a named pipe (FIFO)" in proc.stdout
    assert "does not exist" not in proc.stdout and proc.returncode == 2


# ---- item 17: a discovered link that leaves the policy root --------------------------------------

@pytest.mark.parametrize("named", [False, True], ids=["discovered", "named"])
def test_a_link_out_of_the_root_is_refused_without_reading_it(tmp_path, named):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-LINE\n", encoding="utf-8")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/p.policy").write_text(P, encoding="utf-8")
    (tmp_path / "policies/pw.policy").symlink_to(secret)
    proc = policyc("check", "policies/pw.policy" if named else "policies", cwd=tmp_path)
    assert "SECRET-LINE" not in proc.stdout + proc.stderr and "secret.txt" not in proc.stdout
    assert "policies/pw.policy:1:1: error[E010]: `policies/pw.policy` links to a file outside the policy root " \
           "`policies`" in proc.stdout
    assert proc.returncode == 2


def test_a_link_inside_the_root_is_read(tmp_path):
    (tmp_path / "policies/real").mkdir(parents=True)
    (tmp_path / "policies/real/p.policy").write_text(P, encoding="utf-8")
    (tmp_path / "policies/p.policy").symlink_to("real/p.policy")  # the same file twice: read once
    proc = policyc("check", "policies", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")


# ---- item 9 (issue 6): compiling part of a project ----------------------------------------------------

def add_acme(root: Path) -> None:
    (root / "policies/acme.policy").write_text(P.replace("policy p", "policy acme"), encoding="utf-8")


def test_compiling_one_file_keeps_the_other_tables(seeds):
    add_acme(seeds)
    before = {p.name: p.read_bytes() for p in (seeds / "generated").glob("*.json")}
    proc = policyc("compile", "policies/acme.policy", "--out", "generated/", cwd=seeds)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "policyc: wrote generated/acme.json\n"
    after = {p.name: p.read_bytes() for p in (seeds / "generated").glob("*.json")}
    assert after == {**before, "acme.json": after["acme.json"]}
    check = policyc("compile", "policies/acme.policy", "--out", "generated/", "--check", cwd=seeds)
    assert (check.returncode, check.stderr) == (0, "")


def test_a_policy_removed_from_a_compiled_file_retires_its_table(seeds):
    add_acme(seeds)
    assert policyc("compile", "policies", "--out", "generated", cwd=seeds).returncode == 0
    (seeds / "policies/acme.policy").write_text(P.replace("policy p", "policy acme2"), encoding="utf-8")
    check = policyc("compile", "policies/acme.policy", "--out", "generated", "--check", cwd=seeds)
    assert check.returncode == 1
    assert "generated/acme.json: no policy produces it any more" in check.stderr
    assert "hydra" not in check.stderr
    proc = policyc("compile", "policies/acme.policy", "--out", "generated", cwd=seeds)
    assert "removed generated/acme.json" in proc.stderr and "hydra" not in proc.stderr
    # the repository's tables (the seeds, and any policy added to policies/) and acme2's
    assert sorted(p.name for p in (seeds / "generated").iterdir()) == sorted(
        ["acme2.json"] + [p.name for p in (REPO / "generated").iterdir()])


def test_deleting_a_policy_file_retires_its_table_when_its_folder_is_compiled(seeds):
    (seeds / "policies/hydra.policy").unlink()
    (seeds / "policies/hydra.tests.yaml").unlink()
    proc = policyc("compile", "policies", "--out", "generated", cwd=seeds)
    assert proc.returncode == 0 and "removed generated/hydra.json" in proc.stderr


# ---- item 6 (issue 7): the output folder -------------------------------------------------------------

@pytest.mark.parametrize("kind", ["directory", "dev-zero", "fifo"])
@pytest.mark.parametrize("check", [False, True], ids=["compile", "check"])
def test_an_output_that_is_not_a_regular_file(seeds, kind, check):
    path = seeds / "generated/irex.json"
    path.unlink()
    if kind == "directory":
        path.mkdir()
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        os.mkfifo(path)
    proc = policyc("compile", "policies", "--out", "generated", *(["--check"] if check else []), cwd=seeds)
    no_traceback(proc)
    what = {"directory": "a directory", "dev-zero": "a character device", "fifo": "a named pipe (FIFO)"}[kind]
    assert proc.stderr == (f"policyc: `generated/irex.json` is {what}, not a regular file; "
                           "remove it or choose another `--out`\n")
    assert proc.returncode == 2


def test_out_naming_a_file(seeds):
    (seeds / "afile").write_text("x", encoding="utf-8")
    for extra in ([], ["--check"]):
        proc = policyc("compile", "policies", "--out", "afile", *extra, cwd=seeds)
        assert (proc.returncode, proc.stderr) == (2, "policyc: `--out afile` is a file, not a folder; "
                                                     "choose another `--out`\n")


# ---- item 26 (issue 7): a killed compile -----------------------------------------------------------

def test_leftovers_of_a_killed_compile_are_reported_then_removed(seeds):
    gen = seeds / "generated"
    (gen / ".irex.json.k3x_9abc.tmp").write_bytes(b'{"partial')  # as mkstemp names them
    (gen / ".notes.json.k3x_9abc.tmp").write_bytes(b"not ours")  # no output of this compile
    (gen / ".irex.json.keep.tmp").write_bytes(b"not the pattern")
    check = policyc("compile", "policies", "--check", cwd=seeds)
    assert check.returncode == 1
    assert "generated/.irex.json.k3x_9abc.tmp: left by an interrupted compile" in check.stderr
    proc = policyc("compile", "policies", cwd=seeds)
    assert "removed generated/.irex.json.k3x_9abc.tmp (left by an interrupted compile)" in proc.stderr
    assert sorted(p.name for p in gen.glob(".*")) == [".irex.json.keep.tmp", ".notes.json.k3x_9abc.tmp"]
    assert policyc("compile", "policies", "--check", cwd=seeds).returncode == 0


def test_a_kill_between_two_renames_is_caught_by_check_and_repaired(seeds):
    # What such a kill leaves: one table of the new compile, one of the old.
    irex = seeds / "generated/irex.json"
    irex.write_text(irex.read_text(encoding="utf-8").replace('"PT4H"', '"PT5H"', 1), encoding="utf-8")
    assert policyc("compile", "policies", "--check", cwd=seeds).returncode == 1
    assert policyc("compile", "policies", cwd=seeds).returncode == 0
    assert irex.read_bytes() == (REPO / "generated/irex.json").read_bytes()


def test_nan_and_infinity_are_never_written():
    for value in (float("inf"), float("nan")):
        with pytest.raises(ValueError, match="NaN or infinity"):
            dumps({"billing": {"multiplier": value}})


def test_compile_paths_reports_a_table_json_cannot_carry(monkeypatch, tmp_path):
    from policyc import compiler

    monkeypatch.chdir(tmp_path)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/p.policy").write_text(P, encoding="utf-8")
    table = compile_paths(["policies"]).tables["p"]
    monkeypatch.setattr(compiler, "schema_errors", lambda t: [])
    monkeypatch.setattr(compiler.Emitter, "table", lambda self: {**table, "x": float("inf")})
    with pytest.raises(compiler.SchemaViolation, match=r"table of `p` cannot be written:\n  it holds a number"):
        compile_paths(["policies"])
