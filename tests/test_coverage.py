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


FIXTURE = paths.TESTS / "data" / "coverage-fixture.txt"


def test_each_form_of_a_number_is_read_as_one_item_of_its_kind():
    found = [(f.text, f.kind) for f in coverage.find_numbers(FIXTURE.read_text(encoding="utf-8"))]
    for item in [("more than 6 million"[10:], "number"), ("152-millimeter", "calibre"), ("122-mm", "calibre"),
                 ("since February 2022", "date"), ("20:09", "time"), ("twofold", "ratio"), ("doubled", "ratio"),
                 ("Half a million", "number"), ("last year", "relative"), ("Monday", "weekday"), ("July 1, 2024", "date")]:
        assert item in found, (item, found)
    assert not any(text in ("20", "22", "9", "152", "122") for text, _ in found), found


def _drafts():
    text = FIXTURE.read_text(encoding="utf-8")
    return {f.text: d for f, d in zip(coverage.find_numbers(text), coverage.drafts(coverage.find_numbers(text), text))}


@pytest.mark.parametrize("item, lines", [
    ("6 million", ['value = 6_000_000', 'unit = "round"', 'qualifier = "more than"']),
    ("152-millimeter", ['[[not_claims]]', 'reason = "a calibre, not a count"']),
    ("122-mm", ['[[not_claims]]', 'reason = "a calibre, not a count"']),
    ("since February 2022", ['kind = "date"', 'low = 2022-02-01', 'high = 2022-02-28', 'qualifier = "since"']),
    ("July 1, 2024", ['value = 2024-07-01']),
    ("20:09", ['[[not_claims]]', 'reason = "a time of day, not a claim"']),
    ("twofold", ['value = 2', 'qualifier = "ratio"', 'unit = "dimensionless"']),
    ("doubled", ['value = 2', 'qualifier = "ratio"']),
    ("Half a million", ['value = 500_000']),
    ("two", ['qualifier = "roughly"', 'unit = "year"']),
    ("6,700", ['value = 6_700', 'qualifier = "FILL:']),
    ("last year", ['relative = "last year"']),
], ids=lambda v: v if isinstance(v, str) else None)
def test_each_form_gets_its_expected_draft(item, lines):
    d = _drafts()[item]
    for line in lines:
        assert line in d, (line, d)


def test_a_qualifier_is_drafted_only_where_the_text_has_one():
    d = _drafts()
    assert 'qualifier = "more than"' in d["6 million"] and "qualifier = \"FILL:" in d["6,700"]
    assert 'qualifier = "about"' not in "".join(d.values())


def test_the_drafts_load_as_toml_and_the_register_loads_once_the_placeholders_are_filled(tmp_path):
    import re
    import tomllib

    from estimates.claims import load_register
    text = FIXTURE.read_text(encoding="utf-8")
    found = coverage.find_numbers(text)
    register = coverage.draft_register(text, "new.txt", found)
    data = tomllib.loads(register)  # valid TOML as drafted
    assert len(data["claims"]) + len(data["not_claims"]) == len(found)
    assert len({c["id"] for c in data["claims"]}) == len(data["claims"])  # ids made unique
    with pytest.raises(Exception):  # as drafted, with its placeholders, the register is refused
        (tmp_path / "new.txt").write_text(text, encoding="utf-8")
        (tmp_path / "new.claims.toml").write_text(register, encoding="utf-8")
        load_register(tmp_path / "new.claims.toml", tmp_path / "new.txt")
    filled = (register.replace('title = "FILL: the headline, verbatim from the seed"', f'title = "{text.splitlines()[0]}"')
              .replace('"FILL: the date the checks are made as of, as 2024-01-31 (no quotes)"', "2024-07-01")
              .replace('"FILL: the day it was made, as 2024-01-31 (no quotes)"', "2024-07-01")
              .replace('"FILL: the text has no qualifier: exactly, or one the README lists"', '"exactly"')
              .replace('"FILL: the notebook that checks it, or replace with not_checked = why"', '"01-check"'))
    filled = re.sub(r'"FILL: [^"]*"', '"filled"', filled)
    filled = re.sub(r'relative = ("[^"]*")  # .*', r"relative = \1", filled)
    (tmp_path / "new.claims.toml").write_text(filled, encoding="utf-8")
    loaded = load_register(tmp_path / "new.claims.toml", tmp_path / "new.txt")
    assert len(loaded.claims) == len(data["claims"]) and coverage.uncovered(loaded, text) == []


def test_a_register_with_no_claims_loads_and_the_command_drafts_every_number(tmp_path, monkeypatch, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = FIXTURE.read_text(encoding="utf-8")
    (seeds / "2024-07-01-wire-new.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "SEEDS", seeds)
    assert coverage.main(["2024-07-01-wire-new", "--draft"]) == 1  # no register yet: a whole one drafted
    out = capsys.readouterr().out
    assert "a draft register" in out and "[article]" in out
    (seeds / "2024-07-01-wire-new.claims.toml").write_text(
        f'[article]\ntitle = "{text.splitlines()[0]}"\noutlet = "Wire"\npublished = 2024-07-01\n'
        'seed = "2024-07-01-wire-new.txt"\n', encoding="utf-8")
    assert coverage.main(["2024-07-01-wire-new", "--draft"]) == 1  # a register with no claims yet loads
    out = capsys.readouterr().out
    assert f"0 numbers covered, {len(coverage.find_numbers(text))} not" in out and "[[claims]]" in out
