import json

import pytest

from estimates.publish import ESTIMATE_MIME, VERDICT_MIME, _bundle, read_records, verdict_lines
from estimates.verdicts import Estimate, VerdictRecord

RECORD = VerdictRecord("c-one", "check", "Is it so?", "consistent", "estimate",
                       {"value": 2, "low": None, "high": None, "unit": "month", "qualifier": "around",
                        "text": "around 2 month"},
                       {"unit": "month", "p5": 0.74, "p50": 1.5, "p95": 7.0}, 69.0, 0.31, 1.3, ("rate",), ("s",))


def test_a_verdict_is_shown_as_a_table_and_carried_as_json():
    rows = dict(verdict_lines(RECORD))
    assert rows["verdict"] == "CONSISTENT"
    assert rows["model"] == "1.5 month (90%: 0.74 to 7)"
    bundle = _bundle(verdict_lines(RECORD), VERDICT_MIME, RECORD.as_dict())
    assert set(bundle) == {"text/plain", "text/markdown", VERDICT_MIME}
    assert "| verdict | CONSISTENT |" in bundle["text/markdown"]


def test_records_are_read_back_from_notebook_outputs_in_order():
    est = Estimate("e", "km", 1.0, 2.0, 3.0, "d")
    nb = {"cells": [
        {"cell_type": "markdown", "source": "x"},
        {"cell_type": "code", "outputs": [{"output_type": "display_data",
                                          "data": {ESTIMATE_MIME: [est.as_dict()], "text/plain": "t"}}]},
        {"cell_type": "code", "outputs": [{"output_type": "display_data",
                                          "data": {VERDICT_MIME: json.dumps(RECORD.as_dict())}}]},
    ]}
    verdicts, estimates = read_records(nb)
    assert verdicts == [RECORD]  # the typed records themselves, not their dicts
    assert estimates == [est]

def _notebook_with(payload) -> dict:
    return {"cells": [{"cell_type": "markdown", "source": "x"},
                      {"cell_type": "code", "outputs": [{"output_type": "display_data",
                                                         "data": {VERDICT_MIME: payload}}]}]}


def _good_record() -> dict:
    return VerdictRecord("c-one", "good", "Is it so?", "consistent", "estimate",
                         {"value": 1000, "low": None, "high": None, "unit": "container", "qualifier": "more than",
                          "text": "more than 1,000 container"}, {"unit": "container", "p5": 800, "p50": 1200, "p95": 1900},
                         40.0, 0.6, 0.83, ("pace",), ("src",)).as_dict()


def test_records_are_read_back_typed_and_equal_to_what_was_shown():
    record = _good_record()
    verdicts, _ = read_records(_notebook_with([json.loads(json.dumps(record))]))
    assert isinstance(verdicts[0], VerdictRecord) and verdicts[0].as_dict() == record


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(colour="red"), "no field colour"),
    (lambda d: d.pop("verdict"), "incomplete"),
    (lambda d: d.update(weak_test=not d["weak_test"]), "weak_test disagree"),
    (lambda d: d.update(verdict="splendid"), "unknown verdict"),
], ids=["unknown-field", "missing-field", "derived-flag-edited", "unknown-verdict"])
def test_a_record_that_is_not_one_is_refused_naming_its_cell(change, message):
    record = _good_record()
    change(record)
    with pytest.raises(ValueError, match=message) as caught:
        read_records(_notebook_with(record))
    assert str(caught.value).startswith("cell 2: ")
