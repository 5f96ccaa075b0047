"""What a release carries: the sdist with the tests and their data, the package with its
grammar and schema, and the metadata (licence, authors, version)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import policyc

REPO = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".hypothesis", ".pytest_cache", "*.egg-info",
                              "build", "dist")


def build(source: Path, code: str) -> subprocess.CompletedProcess:
    """Run setuptools in a copy of the source, as a build front end would."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", code], cwd=source, capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("pkg") / "policyc"
    shutil.copytree(REPO, copy, ignore=SKIP)
    return copy


@pytest.fixture(scope="module")
def sdist(source) -> Path:
    proc = build(source, "from setuptools import build_meta as b; print(b.build_sdist('dist'))")
    assert proc.returncode == 0, proc.stderr
    unpacked = source.parent / "unpacked"
    with tarfile.open(source / "dist" / proc.stdout.split()[-1]) as tar:
        tar.extractall(unpacked, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    [top] = unpacked.iterdir()
    return top


def test_sdist_metadata(sdist):
    info = (sdist / "PKG-INFO").read_text(encoding="utf-8")
    assert f"Version: {policyc.__version__}\n" in info
    assert "Classifier: License :: OSI Approved :: MIT License\n" in info
    assert "Author: policyc authors\n" in info and "Project-URL: Homepage, " in info
    assert (sdist / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_sdist_carries_the_tests_and_what_they_read(sdist):
    for rel in ("src/policyc/grammar/policy.lark", "src/policyc/schema/policy-table.schema.json",
                "grammar/policy.lark", "policies/irex.policy", "policies/irex.tests.yaml",
                "policies/shared/russia.policy", "generated/irex.json", "generated/policy-table.schema.json",
                "examples/tickets.jsonl", "tests/fuzz/budget.py", "docs/table-format.md", "Makefile",
                "conformance/README.md", "conformance/tables/support.json", "tests/seed_tables.py"):
        assert (sdist / rel).is_file(), rel
    # ... and they run from it: the seed cases and the freshness check of generated/.
    env = {**os.environ, "PYTHONPATH": str(sdist / "src")}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_policy_cases.py", "tests/compiler/test_tables.py::test_generated_is_fresh"],
                          cwd=sdist, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_the_installed_package_holds_its_grammar_and_schema(source):
    out = source.parent / "lib"
    proc = build(source, f"import sys; sys.argv = ['setup.py', 'build_py', '--build-lib', {str(out)!r}]; "
                 "from setuptools import setup; setup()")
    assert proc.returncode == 0, proc.stderr
    assert (out / "policyc/grammar/policy.lark").read_bytes() == (REPO / "src/policyc/grammar/policy.lark").read_bytes()
    assert (out / "policyc/schema/policy-table.schema.json").is_file()
    assert (out / "policyc/explanations.yaml").read_bytes() == (REPO / "src/policyc/explanations.yaml").read_bytes()
    assert (out / "policyc/__main__.py").is_file()
    assert not (out / "tests").exists()
