"""The report's document: typed from the notebooks' records to the page, plain data only in verdicts.json."""
import json
from dataclasses import replace

import pytest

from estimates import report
from estimates.document import CaseReport, ClaimVerdict, Document, ReportedIn, Unjudged
from estimates.verdicts import NOT_CHECKED, VerdictRecord
from tests.test_report import _stored_runs


@pytest.fixture(scope="module")
def assembled():
    runs = _stored_runs()
    doc, problems = report.assemble(runs)
    assert problems == []
    return doc, runs


def test_every_row_carries_the_record_its_notebook_displayed(assembled):
    doc, runs = assembled
    displayed = {id(v) for r in runs for v in r.verdicts}
    rows = [v for case in doc.cases for v in case.verdicts]
    assert isinstance(doc, Document) and all(isinstance(c, CaseReport) for c in doc.cases)
    with_record = [v for v in rows if v.record is not None]
    assert with_record and all(id(v.record) in displayed for v in with_record)  # the object itself, not a copy
    assert all(isinstance(v.reported_in, ReportedIn) for v in rows)
    estimates = {id(e) for r in runs for e in r.estimates}
    assert all(id(e.estimate) in estimates for case in doc.cases for e in case.estimates)


def test_the_excerpts_of_a_case_stay_structures_a_row_can_find(assembled):
    doc, _ = assembled
    with_excerpts = [c for c in doc.cases if c.article.excerpts]
    assert with_excerpts, "the briefing is a set of excerpts"
    for case in with_excerpts:
        for v in case.verdicts:
            x = case.article.excerpt(v.excerpt)
            assert x is not None and x.url == v.reported_in.url and x.outlet == v.reported_in.outlet
    assert with_excerpts[0].article.excerpt("no-such-excerpt") is None and with_excerpts[0].article.excerpt("") is None


def test_verdicts_json_is_the_documents_plain_data(assembled, tmp_path):
    doc, runs = assembled
    report.write_report(doc, runs, tmp_path / "report")
    stored = json.loads((tmp_path / "report" / "verdicts.json").read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(doc.as_dict()))
    first = stored["cases"][0]["verdicts"][0]
    assert isinstance(first["reported_in"], dict) and {"url", "outlet", "headline"} <= set(first["reported_in"])


def _row(**fields) -> ClaimVerdict:
    where = ReportedIn(excerpt="", outlet="O", headline="H", published="2023-11-01", url="", relays="")
    base = dict(case="a-case", claim_id="c-one", notebook="01-x", quote="q", reported_in=where, variant_of="",
                claimant="", claimant_person="", excerpt="", made_on="2023-11-01")
    fields.setdefault("unjudged", None if "record" in fields else Unjudged(NOT_CHECKED, {"text": "q"}, "not checked: no check"))
    return ClaimVerdict(**{**base, **fields})


def test_a_row_without_a_record_has_empty_fields_and_no_flags():
    v = _row()
    assert (v.kind, v.model, v.band, v.routes, v.sources, v.finding, v.flags) == ("", None, None, (), (), "", [])
    d = v.as_dict()
    assert d["verdict"] == NOT_CHECKED and d["model"] is None and d["check_id"] == "" and d["kind"] == ""


def test_a_row_has_a_record_or_says_why_it_has_none_never_both_or_neither():
    rec = VerdictRecord(claim_id="c-one", check_id="01-x", question="?", verdict="consistent", kind="estimate",
                        claimed={"text": "q"})
    with pytest.raises(ValueError, match="not both or neither"):
        _row(record=rec, unjudged=Unjudged(NOT_CHECKED, {"text": "q"}, "why"))
    with pytest.raises(ValueError, match="not both or neither"):
        _row(unjudged=None)
    assert _row(record=rec).verdict == "consistent" and _row().verdict == NOT_CHECKED


def test_a_row_with_a_record_reads_its_fields_and_flags():
    rec = VerdictRecord(claim_id="c-one", check_id="x", question="?", verdict="consistent", kind="estimate",
                        claimed={"text": "q"}, depends_on=({"assumption": "pace"},), extra={"finding": "f-1"})
    v = _row(record=rec)
    assert v.kind == "estimate" and v.finding == "f-1"
    assert v.flags == ["depends on an assumption", "one finding, several wordings"]
    assert v.as_dict()["notebook"] == "01-x" and v.as_dict()["check_id"] == "x"


def test_a_notebook_has_one_name_and_a_record_naming_another_is_a_problem(assembled):
    doc, runs = assembled
    assert all(v.check_id == v.notebook for case in doc.cases for v in case.verdicts if v.record)
    run = next(r for r in runs if r.verdicts)
    renamed = replace(run, verdicts=[replace(run.verdicts[0], check_id="dates"), *run.verdicts[1:]])
    _, problems = report.assemble([renamed if r is run else r for r in runs])
    assert problems == [f"{run.case}/{run.name}: its record of claim {run.verdicts[0].claim_id!r} names its check "
                        f"'dates', not the notebook {run.name!r}"]


def test_a_record_of_a_claim_the_register_gives_no_notebook_is_refused():
    from estimates.verdicts import check_of
    with pytest.raises(ValueError, match="names no notebook that checks it"):
        check_of(replace(_claim(), check=""))
    assert check_of(_claim()) == "01-x"


def _claim():
    from estimates.claims import Claim
    return Claim(id="c-one", kind="quantity", quote="about 60 days", value=60, unit="day", qualifier="about",
                 claimant="someone", made_on=None, period="", check="01-x")
