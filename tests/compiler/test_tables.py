"""The compiled tables of the seed policies: snapshots to review, and facts reasoned from the seeds.

The snapshots (`__snapshots__/`) catch any change; the other tests say what must hold
whatever the snapshot says, each with the sentence of the seed document it comes from.
`test_generated_is_fresh` is the freshness test of `generated/`: keep it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from policyc import ast
from policyc.compiler import compile_paths
from policyc.source import SourceFile
from policyc.syntax import parse_text

from seed_tables import SEED_FINDINGS, seed_findings  # `tests/` is on sys.path

from .helpers import REPO, compile_repo

POLICIES = ("irex", "navixy", "hydra")
FILES = ["policies/irex.policy", "policies/navixy.policy", "policies/hydra.policy", "policies/shared/russia.policy"]
# What compiling the seed files alone writes. policies/ may hold more policies (a user's
# own, as the README invites): tests that compile the whole folder compare with the
# folder's own outputs, never with this fixed set.
SEED_OUTPUTS = {f"{pid}.json" for pid in POLICIES} | {"policy-table.schema.json"}
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
H = 60  # minutes in an hour


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    result = compile_repo()
    assert seed_findings(result) == SEED_FINDINGS
    return result.outputs()


@pytest.fixture(scope="module")
def tables(outputs) -> dict[str, dict]:
    return {pid: json.loads(outputs[f"{pid}.json"]) for pid in POLICIES}


def policyc(*args, cwd=REPO, env=None):
    return subprocess.run([sys.executable, "-m", "policyc.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=env)


# ---- snapshots -----------------------------------------------------------------------------

@pytest.mark.parametrize("pid", POLICIES)
def test_table_snapshot(pid, monkeypatch, snapshot):
    monkeypatch.chdir(REPO)
    result = compile_paths(["policies"])
    assert seed_findings(result) == SEED_FINDINGS
    assert json.loads(result.outputs()[f"{pid}.json"]) == snapshot.use_extension(JSONSnapshotExtension)


# ---- reading the rows ---------------------------------------------------------------------

def matches(when: dict, facts: dict) -> bool:
    return all(facts[dim] in values for dim, values in when.items())


def row(table: dict, aspect: str, **facts) -> dict:
    """The one row of an aspect (`severity`, `targets/first_response`) whose `when` holds
    for these facts (rows are disjoint)."""
    rows = table["rules"]
    for part in aspect.split("/"):
        rows = rows[part]
    found = [r for r in rows if matches(r["when"], facts)]
    assert len(found) == 1, (aspect, facts, found)
    return found[0]


def response(table: dict, metric: str = "first_response", **facts) -> tuple:
    r = row(table, "targets/" + metric, **facts)
    t = r["target"]
    target = t["minutes"] if t["kind"] == "duration" else (t["kind"], t.get("days"), t.get("edge"))
    return target, r["calendar"], r["guarantee"]


def points(table: dict, *dims: str):
    """Every combination of the given facts' values."""
    import itertools

    values = [table["facts"][d]["values"] for d in dims]
    for combo in itertools.product(*values):
        yield dict(zip(dims, combo))


# ---- IREX ----------------------------------------------------------------------------------

def test_irex_calendars(tables):
    cals = tables["irex"]["calendars"]
    # "La couverture du jour ouvrable est du lundi au vendredi, de 8h à 16h, heure d'Europe centrale"
    assert cals["business"]["zone"] == "Europe/Paris"
    assert cals["business"]["week"] == [[[8 * H, 16 * H]]] * 5 + [[], []]
    # "commence les vendredis à 16 h et se termine le lundi à 8 h 00": Friday from 16:00 to
    # midnight, all of Saturday and Sunday, Monday from midnight to 08:00.
    assert cals["weekend"]["week"] == [[[0, 8 * H]], [], [], [], [[16 * H, 24 * H]], [[0, 24 * H]], [[0, 24 * H]]]
    # Both together: on Monday the weekend's 00:00-08:00 meets business 08:00-16:00, and on
    # Friday business 08:00-16:00 meets the weekend's 16:00-24:00; touching intervals merge.
    union = cals["business+weekend"]
    assert union["week"][MON] == [[0, 960]]
    assert union["week"][TUE] == union["week"][WED] == union["week"][THU] == [[480, 960]]
    assert union["week"][FRI] == [[480, 1440]]
    assert union["week"][SAT] == union["week"][SUN] == [[0, 1440]]
    assert union["members"] == ["business", "weekend"] and union["zone"] == "Europe/Paris"
    assert all(c["dates"] == {} and c["valid"] is None for c in cals.values())  # IREX names no holidays


def test_irex_response_targets(tables):
    t = tables["irex"]
    # "Temps de réponse: Support de premier ordre: 1 heure. Support standard: 4 heures." (Niveau 1),
    # 2 / 8 heures (Niveau 2), 8 / 16 heures (Niveau 3), 24 heures / jour ouvrable suivant (Niveau 4);
    # Premier's "24 heures" is one business day, the same time on the next one (irex.policy says why).
    # "Les clients de premier plan ... reçoivent un support de week-end pour les escalades L1 et L2."
    bw = "business+weekend"
    assert response(t, plan="premier", severity="L1") == (1 * H, bw, "always")
    assert response(t, plan="premier", severity="L2") == (2 * H, bw, "always")
    assert response(t, plan="premier", severity="L3") == (8 * H, "business", "always")
    assert response(t, plan="premier", severity="L4") == (("business_days", 1, "same_time"), "business", "always")
    assert response(t, plan="standard", severity="L1") == (4 * H, "business", "always")
    assert response(t, plan="standard", severity="L2") == (8 * H, "business", "always")
    assert response(t, plan="standard", severity="L3") == (16 * H, "business", "always")
    assert response(t, plan="standard", severity="L4") == (("next_business_day", None, "end"), "business", "always")


def test_irex_non_production_is_level_4(tables):
    # "il n'inclut pas les systèmes de test ou les systèmes de stadification"; Niveau 4 is
    # "la question sans production" (the policy's reading: L1-L3 off production become L4).
    t = tables["irex"]
    for sev in ("L1", "L2", "L3"):
        assert row(t, "severity", environment="non_production", severity=sev, plan="premier")["becomes"] == "L4"
    assert not [r for r in t["rules"]["severity"] if matches(r["when"], {"environment": "production", "plan": "premier",
                                                                         "severity": "L1"})]


def test_irex_response_sources_name_the_lines_that_decide(tables):
    lines = (REPO / "policies/irex.policy").read_text(encoding="utf-8").split("\n")
    at = lambda prefix: next(i for i, s in enumerate(lines, 1) if s.strip().startswith(prefix))  # noqa: E731
    table, standard, premier = at("when plan is standard: respond on business {"), at("standard:"), at("premier:")
    weekend = at("when plan is premier and severity is L1, L2: respond on business + weekend")
    src = lambda r: {(s["file"], s["line"]) for s in r["source"]}  # noqa: E731
    f = "policies/irex.policy"
    t = tables["irex"]
    # Standard L1: the target from the `standard:` row, the calendar from `respond on business`.
    assert src(row(t, "targets/first_response", plan="standard", severity="L1")) == {(f, table), (f, standard)}
    # Premier L1: the target from the `premier:` row, the calendar from the weekend rule.
    assert src(row(t, "targets/first_response", plan="premier", severity="L1")) == {(f, premier), (f, weekend)}


# ---- Navixy ---------------------------------------------------------------------------------

def test_navixy_on_premise_and_cloud_targets(tables):
    # "Level 1 2 hours ... Level 2 4 hours ... Level 3 5 hours ... Level 4 8 hours", valid "if a
    # ticket was received ... during weekdays (Mon - Fri) from 05:00 to 13:00 UTC": the clock runs on
    # the support hours, the guarantee needs the Monday-to-Friday window (test_navixy_seed.py).
    t = tables["navixy"]
    for deployment in ("on_premise", "cloud"):
        for plan in ("basic", "advanced"):
            got = [response(t, deployment=deployment, plan=plan, severity=s) for s in ("L1", "L2", "L3", "L4")]
            guarantee = {"received_within": "guarantee_window"}
            assert got == [(h * H, "support_hours", guarantee) for h in (2, 4, 5, 8)]


def test_navixy_saas_target(tables):
    # "For SaaS version of Navixy platform the guaranteed response time is 12 business hours."
    t = tables["navixy"]
    for p in points(t, "plan", "severity"):
        assert response(t, deployment="saas", **p) == (12 * H, "working_days", {"received_within": "working_days"})


def test_navixy_next_response_has_the_first_responses_targets(tables):
    # "Response time is counted beginning from the last received email from the Partner.": every
    # later email is answered within the same time, on the same hours, with the same window.
    t = tables["navixy"]
    for p in points(t, "deployment", "plan", "severity"):
        assert response(t, "next_response", **p) == response(t, **p)


def test_seed_metrics_and_statuses(tables):
    created, agent, customer = {"event": "created"}, {"event": "agent_message"}, {"event": "customer_message"}
    for pid, t in tables.items():
        assert t["statuses"]["values"] == ["open", "waiting_on_customer", "solved", "closed"]
        assert t["statuses"]["initial"] == "open"
        first = t["metrics"]["first_response"]
        assert (first["start"], first["stop"], first["restart"], first["after"]) == ([created], [agent], [], None)
        assert first["pause"] == [] and first["on_facts_change"] == "keep"  # no seed pauses a clock
    nav = tables["navixy"]
    # "counted beginning from the last received email": a later email restarts it; "handled ...
    # after sending a response": a reply stops it; it exists only once the first response is given.
    nxt = nav["metrics"]["next_response"]
    assert (nxt["start"], nxt["restart"], nxt["stop"], nxt["after"]) == ([customer], [customer], [agent],
                                                                          "first_response")
    assert nav["metric_order"] == ["first_response", "next_response"]
    assert tables["irex"]["metric_order"] == tables["hydra"]["metric_order"] == ["first_response"]
    assert nav["statuses"]["labels"]["waiting_on_customer"] == {"en": "Waiting on the Partner",
                                                                "ru": "Ожидает ответа партнёра"}


def test_navixy_support_hours(tables):
    # "handled on weekdays from 05:00 to 13:00 UTC" = 08:00-16:00 Moscow time (UTC+3 all year).
    cal = tables["navixy"]["calendars"]["support_hours"]
    assert cal["zone"] == "Europe/Moscow"
    assert cal["week"] == [[[8 * H, 16 * H]]] * 5 + [[], []]


def test_navixy_escalation(tables):
    t = tables["navixy"]
    # L1: "Send an email to the support team ... adding the Head of Technical Support in the
    # copy. Notify your personal Account Manager on the issue."
    assert row(t, "escalation", deployment="cloud", plan="basic", severity="L1")["steps"] == [
        {"channel": "email", "to": ["support"], "cc": ["head_of_support"]},
        {"channel": "notify", "to": ["account_manager"], "cc": []}]
    # L2: "... adding your personal Account Manager and the Head of Technical Support in the copy."
    assert row(t, "escalation", deployment="on_premise", plan="advanced", severity="L2")["steps"] == [
        {"channel": "email", "to": ["support"], "cc": ["account_manager", "head_of_support"]}]
    # L4: "Send an email to the support team".
    assert row(t, "escalation", deployment="on_premise", plan="basic", severity="L4")["steps"] == [
        {"channel": "email", "to": ["support"], "cc": []}]


# ---- Russian holidays (Navixy and Hydra) ------------------------------------------------------

@pytest.mark.parametrize(("pid", "calendar", "hours"), [
    ("navixy", "support_hours", [[8 * H, 16 * H]]),
    ("navixy", "working_days", [[0, 24 * H]]),
    ("hydra", "business_hours", [[10 * H, 19 * H]]),  # "On weekdays from 10 to 19 Moscow time"
])
def test_russian_working_saturday_and_may_day(tables, pid, calendar, hours):
    cal = tables[pid]["calendars"][calendar]
    # 2024-04-27 is a Saturday made a working day by the 2024 decree (swapped with Monday
    # 29 April, which is off): it opens with a weekday's hours.
    assert cal["week"][SAT] == [] and cal["dates"]["2024-04-27"] == hours
    assert cal["dates"]["2024-04-29"] == []
    # 2024-05-01, a Wednesday, is Spring and Labour Day: closed.
    assert cal["dates"]["2024-05-01"] == []
    # A plain Wednesday is not listed: the weekday's hours apply.
    assert "2024-05-15" not in cal["dates"] and cal["week"][WED] == hours
    # "official Russian bank holidays", materialised for the policy's years and no others.
    assert cal["valid"] == {"from": "2024-01-01", "until": "2027-12-31"}
    assert min(cal["dates"]) >= "2024-01-01" and max(cal["dates"]) <= "2027-12-31"


def test_russian_holiday_set(tables):
    for pid in ("navixy", "hydra"):
        h = tables[pid]["holidays"]["russia"]
        assert h["countries"] == ["RU"] and h["years"] == [2024, 2027]
        assert "2024-05-01" in h["closed"] and "2025-01-01" in h["closed"]
        assert h["working"]["2024-04-27"] == "mon"


# ---- Hydra -----------------------------------------------------------------------------------

def test_hydra_billing(tables):
    # "Processing any ticket outside business hours is charged at double rate"
    t = tables["hydra"]
    for p in points(t, "type", "severity"):
        r = row(t, "billing", **p)
        assert (r["multiplier"], r["outside"]) == (2, "business_hours")


def test_hydra_rules(tables):
    t = tables["hydra"]
    # "Off on weekends (Saturday and Sunday)"
    assert t["calendars"]["business_hours"]["week"][SAT:] == [[], []]
    # "Priority can be set only to tickets of the Incident type ... For other types of tickets,
    # priorities are ignored" (the policy's reading: they become Normal).
    for sev in t["facts"]["severity"]["values"]:
        assert row(t, "severity", type="request", severity=sev)["becomes"] == "normal"
    # "In case of an issue that can be classified as Urgent ... please urgently call"
    urgent = row(t, "escalation", type="incident", severity="urgent")["steps"]
    assert [s["channel"] for s in urgent] == ["notify", "phone"]
    assert t["roles"]["support"]["contacts"]["phone"] == "+7 (499) 940-95-05, ext. 200"
    # The page states no reaction times: nothing is guaranteed.
    assert response(t, type="incident", severity="urgent") == (("none", None, None), "business_hours", "never")


# ---- every table --------------------------------------------------------------------------------

def spans_by_line(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Line ranges of the rules, services and calendars of a policy file."""
    src = SourceFile.of(str(path), path.read_text(encoding="utf-8"))
    module, diags = parse_text(src)
    assert diags == []
    lines = lambda node: (src.line_col(node.span.start)[0], src.line_col(node.span.end)[0])  # noqa: E731
    defs = [d for p in module.policies for d in p.definitions] + list(module.definitions)
    return {
        "rule": [lines(r) for p in module.policies for r in p.rules],
        "service": [lines(d) for d in defs if isinstance(d, ast.Service)],
        "calendar": [(src.line_col(d.name.span.start)[0],) * 2 for d in defs if isinstance(d, ast.Calendar)],
        "metric": [(src.line_col(d.name.span.start)[0],) * 2 for d in defs if isinstance(d, ast.Metric)],
        "statuses": [(src.line_col(d.span.start)[0],) * 2 for d in defs if isinstance(d, ast.Statuses)],
        "policy": [(src.line_col(p.id.span.start)[0],) * 2 for p in module.policies],
    }


def sources(table: dict):
    """(kind, source) for every `source` in a table."""
    for aspect, rows in table["rules"].items():
        for r in rows if aspect != "targets" else [r for metric in rows.values() for r in metric]:
            yield from (("rule", s) for s in r["source"])
    for svc in table["services"].values():
        yield "service", svc["source"]
        for term in svc["terms"]:
            yield from (("service", s) for s in term["source"])
    for cal in table["calendars"].values():
        if cal["source"] is not None:
            yield "calendar", cal["source"]
    for metric in table["metrics"].values():
        yield "metric", metric["source"]
    yield "statuses", table["statuses"]["source"]
    yield "policy", table["policy"]["source"]


@pytest.mark.parametrize("pid", POLICIES)
def test_every_source_points_at_a_line_of_its_rule(tables, pid):
    table, seen = tables[pid], 0
    for kind, src in sources(table):
        path = REPO / src["file"]
        text = path.read_text(encoding="utf-8").split("\n")[src["line"] - 1].strip()
        assert text and not text.startswith("#"), (kind, src, text)
        assert any(a <= src["line"] <= b for a, b in spans_by_line(path)[kind]), (kind, src, text)
        seen += 1
    assert seen > 10
    assert all(r["source"] for aspect, rows in table["rules"].items() if aspect != "targets" for r in rows)
    assert all(r["source"] for rows in table["rules"]["targets"].values() for r in rows)


def test_calendar_sources_point_at_their_definitions(tables):
    lines = (REPO / "policies/navixy.policy").read_text(encoding="utf-8").split("\n")
    for name, cal in tables["navixy"]["calendars"].items():
        assert lines[cal["source"]["line"] - 1].strip().startswith(f"calendar {name} ")


@pytest.mark.parametrize("pid", POLICIES)
def test_tables_validate_against_the_published_schema(tables, pid):
    schema = json.loads((REPO / "generated/policy-table.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema).validate(tables[pid])
    jsonschema.Draft7Validator(schema).validate(json.loads((REPO / f"generated/{pid}.json").read_bytes()))


def test_published_schema_is_the_one_the_compiler_checks_against(outputs):
    from policyc.emit.write import schema_bytes

    assert (REPO / "generated/policy-table.schema.json").read_bytes() == schema_bytes()
    assert outputs["policy-table.schema.json"] == schema_bytes()


def test_output_format(outputs):
    for name, data in outputs.items():
        text = data.decode("utf-8")
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text
    for pid in POLICIES:
        table = json.loads(outputs[f"{pid}.json"])
        assert (table["schema_version"], table["generator"], table["policy"]["id"]) == (2, "policyc", pid)


# ---- stable output ----------------------------------------------------------------------------

def test_compiling_twice_gives_the_same_bytes(monkeypatch, outputs):
    monkeypatch.chdir(REPO)
    assert compile_paths(["policies"]).outputs() == outputs


@pytest.mark.parametrize("paths", [
    FILES,
    list(reversed(FILES)),
    ["policies/hydra.policy", "policies/irex.policy", "policies/shared/russia.policy", "policies/navixy.policy"],
    ["policies/"],
    ["./policies", "policies/irex.policy"],
], ids=["files", "reversed", "shuffled", "slash", "dir-and-file"])
def test_path_order_does_not_matter(monkeypatch, outputs, paths):
    monkeypatch.chdir(REPO)
    got = compile_paths(paths).outputs()
    expected = outputs if any(Path(p).is_dir() for p in paths) else {k: outputs[k] for k in SEED_OUTPUTS}
    assert got == expected


def test_working_directory_does_not_matter(monkeypatch, tmp_path, outputs):
    monkeypatch.chdir(tmp_path)
    assert compile_paths([str(REPO / "policies")]).outputs() == outputs


def test_hash_seed_does_not_matter(tmp_path):
    """Two processes with different string hashing write the same bytes (no set order leaks)."""
    written = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = policyc("compile", "policies", "--out", str(out), env=env)
        assert proc.returncode == 0, proc.stderr
        written.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert written[0] == written[1]
    assert SEED_OUTPUTS <= set(written[0])


# ---- generated/ and --check -------------------------------------------------------------------------

def test_generated_is_fresh():
    """THE freshness test: the checked-in tables are what the policies compile to."""
    proc = policyc("compile", "policies", "--check")
    assert proc.returncode == 0, proc.stderr


def state(folder: Path) -> dict:
    """Names, bytes and modification times of everything under a folder (hidden files too)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def copy_of_generated(tmp_path) -> Path:
    out = tmp_path / "gen"
    shutil.copytree(REPO / "generated", out)
    return out


def stale_check(out: Path, change) -> tuple[subprocess.CompletedProcess, dict, dict]:
    change(out)
    before = state(out)
    proc = policyc("compile", "policies", "--out", str(out), "--check")
    return proc, before, state(out)


def test_check_reports_a_stale_table(copy_of_generated):
    def edit(out):
        p = out / "irex.json"
        p.write_text(p.read_text(encoding="utf-8").replace('"PT4H"', '"PT5H"', 1), encoding="utf-8")

    proc, before, after = stale_check(copy_of_generated, edit)
    assert proc.returncode == 1 and before == after
    assert f"{copy_of_generated / 'irex.json'}: out of date" in proc.stderr
    assert f"run `policyc compile policies --out {copy_of_generated}`" in proc.stderr
    assert "navixy.json" not in proc.stderr and "hydra.json" not in proc.stderr


def test_check_reports_a_missing_table(copy_of_generated):
    proc, before, after = stale_check(copy_of_generated, lambda out: (out / "hydra.json").unlink())
    assert proc.returncode == 1 and before == after
    assert f"{copy_of_generated / 'hydra.json'}: missing" in proc.stderr
    assert "policyc compile policies --out" in proc.stderr


def test_check_reports_a_table_no_policy_produces(copy_of_generated):
    def extra(out):
        shutil.copy(out / "hydra.json", out / "retired.json")
        (out / "notes.json").write_text('{"not": "ours"}\n', encoding="utf-8")  # not written by policyc

    proc, before, after = stale_check(copy_of_generated, extra)
    assert proc.returncode == 1 and before == after
    assert f"{copy_of_generated / 'retired.json'}: no policy produces it any more" in proc.stderr
    assert "notes.json" not in proc.stderr


def test_check_of_a_missing_folder_writes_nothing(tmp_path):
    out = tmp_path / "nowhere"
    proc = policyc("compile", "policies", "--out", str(out), "--check")
    assert proc.returncode == 1 and not out.exists()
    assert f"{out / 'irex.json'}: missing" in proc.stderr


def test_compile_writes_generated_and_then_nothing_more(tmp_path, outputs):
    out = tmp_path / "gen"
    first = policyc("compile", "policies", "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert state(out).keys() == outputs.keys() and SEED_OUTPUTS <= outputs.keys()
    for name, (data, _) in state(out).items():
        assert data == (REPO / "generated" / name).read_bytes(), name
    before = state(out)
    second = policyc("compile", "policies", "--out", str(out))
    assert second.returncode == 0 and "wrote" not in second.stderr and state(out) == before


def broken_copy(tmp_path: Path) -> Path:
    """The policies with one typo in Navixy, in a scratch folder."""
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    navixy = tmp_path / "policies/navixy.policy"
    navixy.write_text(navixy.read_text(encoding="utf-8").replace("escalate level2", "escalate levl2"),
                      encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("check", [False, True], ids=["compile", "check"])
def test_a_compile_that_hits_an_error_writes_nothing(tmp_path, check):
    root = broken_copy(tmp_path)
    shutil.copytree(REPO / "generated", root / "out")
    (root / "out/irex.json").write_text("{}\n", encoding="utf-8")  # stale, and must stay so
    before = state(root / "out")
    proc = policyc("compile", "policies", "--out", "out", *(["--check"] if check else []), cwd=root)
    assert proc.returncode == 1
    assert "error[E101]: unknown escalation chain `levl2`" in proc.stdout  # findings go to stdout
    assert state(root / "out") == before


def test_a_compile_that_hits_an_error_creates_no_folder(tmp_path):
    root = broken_copy(tmp_path)
    proc = policyc("compile", "policies", "--out", "fresh", cwd=root)
    assert proc.returncode == 1 and not (root / "fresh").exists()
