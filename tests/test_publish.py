import json

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
    assert verdicts == [RECORD.as_dict()]
    assert estimates == [est.as_dict()]
