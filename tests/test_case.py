import datetime as dt

from estimates.case import case_ids, load_case

CASE = "2023-11-01-thehindu-afp-nk-russia-artillery"


def test_the_first_case_is_found_and_loads_with_its_as_of_sources():
    assert CASE in case_ids()
    case = load_case(CASE)
    assert case.article.published == dt.date(2023, 11, 1)
    assert case.sources.as_of_date == dt.date(2023, 11, 1)
    assert case.claim("arms-transfers").value == 10
    assert case.text.startswith(" date 2023-11-01")


def test_the_sources_file_can_be_swapped_by_the_environment(monkeypatch, tmp_path):
    from tests.conftest import source
    path = tmp_path / "other.toml"
    path.write_text(source(), encoding="utf-8")
    monkeypatch.setenv("ESTIMATE_CHECKER_SOURCES", str(path))
    assert [s.id for s in load_case(CASE).sources] == ["s-one"]


def test_a_case_lists_the_claims_a_notebook_checks():
    from estimates.case import load_case
    case = load_case("2024-02-26-rok-defence-minister-briefing")
    assert case.checked_by("02-dates")[:2] == ["satellite-in-orbit-november", "meeting-on-monday"]
    assert case.checked_by("99-nothing") == []
