"""Coverage: every number of every seed is inside a claim's quote or listed as not a claim."""
import shutil

import pytest

from estimates import coverage, paths
from estimates.case import case_ids, load_case
from estimates.claims import load_register


@pytest.mark.parametrize("case_id", case_ids())
def test_every_number_of_every_seed_is_registered(case_id):
    case = load_case(case_id)
    missing = coverage.uncovered(case.register, case.text)
    assert not missing, [f"line {f.line}: {f.text}" for f in missing]


def test_a_number_added_to_a_copy_of_a_seed_without_a_claim_fails_the_check_and_gets_a_draft(tmp_path):
    case_id = case_ids()[0]
    seed = tmp_path / paths.seed_path(case_id).name
    text = paths.seed_path(case_id).read_text(encoding="utf-8")
    seed.write_text(text.replace("in recent weeks.", "in recent weeks, some 40 percent of them by rail."),
                    encoding="utf-8")
    register = load_register(paths.claims_path(case_id), seed)
    missing = coverage.uncovered(register, seed.read_text(encoding="utf-8"))
    assert [f.text for f in missing] == ["40"]
    entry = coverage.draft(missing[0], seed.read_text(encoding="utf-8"), register)
    assert 'quote = "some 40 percent"' in entry and "value = 40" in entry and 'qualifier = "some"' in entry
    assert 'unit = "percent"' in entry


def test_the_command_exits_1_when_a_case_has_an_uncovered_number(tmp_path, monkeypatch, capsys):
    case_id = case_ids()[0]
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(paths.claims_path(case_id), seeds)
    text = paths.seed_path(case_id).read_text(encoding="utf-8")
    (seeds / paths.seed_path(case_id).name).write_text(text + "\nIt took 12 days.\n", encoding="utf-8")
    monkeypatch.setattr(paths, "SEEDS", seeds)
    assert coverage.main([case_id, "--draft"]) == 1
    out = capsys.readouterr().out
    assert "1 not" in out and "'12'" in out and 'unit = "day"' in out


@pytest.mark.parametrize("text, value", [("6,700", 6700), ("six-thousand-700", 6700), ("500-thousand", 500_000),
                                         ("one million", 1e6), ("3 million", 3e6), ("thirty", 30), ("two", 2)])
def test_numbers_in_words_and_digits_parse(text, value):
    assert coverage.parse_number(text) == value


def test_dates_weekdays_and_relative_phrases_are_numbers_too():
    found = [f.text for f in coverage.find_numbers("on Monday, in Sept. 13, 2023 and last week, the one that")]
    assert found == ["Monday", "Sept. 13, 2023", "last week"]


def test_a_year_is_drafted_as_a_date_claim(tmp_path):
    text = "Shipping grew in 2024.\n"
    found = coverage.find_numbers(text)
    entry = coverage.draft(found[0], text)
    assert 'kind = "date"' in entry and "low = 2024-01-01" in entry and 'unit = "day"' in entry
