"""The estimands registry: every later figure measures a declared quantity, every frozen estimate
names one, and a bad registry is refused with the file, the record and the field."""
import pytest

from estimates import estimands, hindsight, paths
from estimates.case import case_ids
from estimates.sources import load_sources
from estimates.validate import RecordError

GOOD = """\
[[estimands]]
id = "a-quantity"
quantity = "a quantity"
unit = "round / day"
estimates = ["an-estimate"]
"""


def write(tmp_path, text):
    path = tmp_path / "estimands.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_registry_loads_and_every_later_figure_measures_a_declared_quantity():
    registry = estimands.load()
    book = load_sources(paths.REFERENCE_FIGURES)
    ids = {s.id for s in book.all}
    pers = {s.per for s in book.all if s.per}
    for s in book.all:
        if s.measures:
            assert s.measures in registry, s.id
        if s.relays:
            assert s.relays in ids and s.relays != s.id, s.id
        if s.hindsight_for:
            assert s.measures or s.speaks_to or s.id in pers, f"{s.id} measures nothing, speaks to no claim, is no per"
    for e in registry.values():
        if e.naive:
            assert e.naive in ids, e.id
            assert not book[e.naive].hindsight_for, f"{e.id}: a naive reference is an as-of record"


@pytest.mark.parametrize("case_id", case_ids())
def test_every_frozen_estimate_names_the_quantity_it_estimates(case_id):
    registry = estimands.load()
    for freeze in hindsight.load_freezes(case_id):
        for x in freeze["estimates"]:
            e = estimands.for_estimate(x["name"], x.get("description", ""), x["unit"], registry)
            assert e.quantity, x["name"]
            if "estimand" in x:  # a freeze made since estimands were declared carries its own
                assert x["estimand"] == e.id or not e.declared, x["name"]


def test_an_estimate_with_no_entry_is_its_own_quantity(tmp_path):
    registry = estimands.load(write(tmp_path, GOOD))
    assert estimands.for_estimate("an-estimate", registry=registry).id == "a-quantity"
    own = estimands.for_estimate("other", "what other measures", "day", registry)
    assert (own.id, own.quantity, own.declared) == ("own:other", "what other measures", False)


@pytest.mark.parametrize("text, field, problem", [
    (GOOD + GOOD.replace('"a-quantity"', '"b-quantity"'), "estimates", "an estimate estimates one quantity"),
    (GOOD.replace('estimates = ["an-estimate"]', 'claims = ["guess:x"]'), "claims", "is not 'estimate:<name>'"),
    (GOOD + 'from_estimand = "nowhere"\nderive = "{value}"\n', "from_estimand", "no estimand 'nowhere'"),
    (GOOD + 'naive = "some-record"\n', "naive_why", "missing required field"),
    (GOOD.replace('"round / day"', '"furlongs of nothing"'), "unit", ""),
    (GOOD + GOOD, "id", "duplicate"),
])
def test_a_bad_registry_is_refused_with_the_file_record_and_field(tmp_path, text, field, problem):
    with pytest.raises(RecordError) as err:
        estimands.load(write(tmp_path, text))
    assert f"field {field!r}" in str(err.value) or field == "id"
    assert problem in str(err.value)


def test_a_figure_measuring_an_undeclared_quantity_is_refused_by_name(tmp_path, monkeypatch):
    from types import SimpleNamespace
    from estimates.history import History
    from estimates.sources import SourceBook
    from tests.conftest import source
    figures = tmp_path / "figures.toml"
    figures.write_text(source("odd", hindsight_for='["x-case"]', measures='"nothing-declared"'), encoding="utf-8")
    book = load_sources(figures)
    with pytest.raises(KeyError, match="field 'measures': no estimand 'nothing-declared'"):
        hindsight.score_freeze(SimpleNamespace(id="x-case"), {"freeze": 1, "frozen_on": "", "commit": "", "estimates": [],
                                                              "verdicts": []}, History(tmp_path, problem="none"),
                               estimands.load(write(tmp_path, GOOD)), SourceBook(book.path, book.all))
