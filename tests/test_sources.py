"""Reference sources: the real file is complete and cited; the as-of rule holds; bad input is named."""
import datetime as dt
import re

import pytest

from estimates import paths
from estimates.case import case_ids, load_case
from estimates.sources import AsOfError, load_sources
from estimates.units import UnitError
from estimates.validate import RecordError
from tests.conftest import source

ARTICLE_DATE = dt.date(2023, 11, 1)


@pytest.fixture(scope="module")
def book():
    return load_sources(paths.REFERENCE_FIGURES)


def test_every_record_is_cited(book):
    assert len(book.all) >= 70
    for s in book.all:
        assert s.producer and s.originator and s.title and s.url and s.quote, s.id


@pytest.mark.parametrize("case_id", case_ids())
def test_each_case_sees_only_the_sources_published_by_its_own_date(case_id):
    case = load_case(case_id)
    date = case.article.published
    visible = {s.id for s in case.sources}
    assert visible, case_id
    for s in case.sources.all:
        if s.id in visible:
            assert s.published <= date and not s.hindsight, s.id
        else:
            assert s.published > date or s.hindsight, s.id
            with pytest.raises(AsOfError, match=f"record '{s.id}'"):
                case.sources[s.id]


def test_every_russian_expenditure_figure_of_the_sheet_is_kept_with_its_period(book):
    every = book.tagged("ru-fire-rate") + book.tagged("ru-annual-total") + book.tagged("ru-annual-projection")
    rates = [s for s in every if not s.hindsight_for]  # the reference sheet's; the hindsight sheet's apart
    assert len(rates) == 20 and len(every) - len(rates) == 3
    assert "ru-2023" not in book["ru-rate-estonia-2023-02"].tags  # spans 2022 and 2023
    assert "ru-rate-maliar-2023-08-east" in {s.id for s in rates}  # the outlier is kept
    assert all(s.period for s in rates)


def test_a_source_converts_to_the_unit_a_check_asks_for(book):
    lo, hi = book["ru-rate-maliar-2023-08-east"].in_unit("round / day")
    assert (lo, hi) == (pytest.approx(400_000 / 7), pytest.approx(500_000 / 7))
    with pytest.raises(UnitError, match=r"reference-figures.toml, record 'ru-rate-maliar-2023-08-east', "
                                        r"field 'unit': unit 'round / week' has dimension .*needs a unit like 'kg'"):
        book["ru-rate-maliar-2023-08-east"].in_unit("kg")


def test_places_convert_degrees_minutes_seconds(book):
    lat, lon = book["place-tsiolkovsky"].position()
    assert lat.magnitude == pytest.approx(51 + 45 / 60 + 37 / 3600)
    assert lon.magnitude == pytest.approx(128 + 7 / 60 + 16 / 3600)
    with pytest.raises(TypeError, match="not a place"):
        book["nk-rail-tikhoretsk"].position()
    with pytest.raises(TypeError, match="states no number"):
        book["nk-arrival-dunay"].quantity()


def test_citation_says_where_a_mirror_was_read(book):
    assert "(read at https://wikisum.wiki/wiki/2S3_Akatsiya)" in book["ammo-152mm-projectile-mass"].citation()
    assert "undated, on or before 2023-11-01" in book["ammo-152mm-projectile-mass"].citation()


def test_originator_weights_count_each_originator_once(book):
    from estimates.sources import originator_weights
    chosen = [book[i] for i in ("ru-rate-reznikov-2023-02", "ru-rate-reznikov-2023-05", "ru-rate-us-cnn-2023-01")]
    assert originator_weights(chosen) == [0.5, 0.5, 1.0]
    assert sum(originator_weights(book.tagged("ru-2023"))) == len({s.originator for s in book.tagged("ru-2023")})


def test_source_without_an_originator_is_named(sources_file):
    _expect(sources_file, r"record 's-one', field 'originator': missing required field", source(originator=None))


def test_a_window_of_dates_is_a_source(sources_file):
    book = load_sources(sources_file(source(low=None, high=None, unit='"day"', qualifier='"in"',
                                            period_start="2023-09-07", period_end="2023-10-01")))
    assert book["s-one"].period_end == dt.date(2023, 10, 1)


def _expect(sources_file, message, *records, cls=RecordError):
    with pytest.raises(cls) as err:
        load_sources(sources_file("\n".join(records)))
    assert re.search(message, str(err.value)), str(err.value)
    assert "figures.toml" in str(err.value)


def test_a_source_published_after_the_article_is_refused_in_an_as_of_check(sources_file):
    book = load_sources(sources_file(source(published="2023-11-02"))).as_of(ARTICLE_DATE)
    with pytest.raises(AsOfError, match=r"figures.toml, record 's-one', field 'published': published 2023-11-02, "
                                        r"after the article's date 2023-11-01"):
        book["s-one"]
    assert len(book) == 0 and book.tagged("ru-2023") == []


def test_a_hindsight_source_is_kept_out_of_the_as_of_view(sources_file):
    book = load_sources(sources_file(source(hindsight="true", published="2023-10-01")))
    assert [s.id for s in book] == ["s-one"]
    with pytest.raises(AsOfError, match="marked hindsight"):
        book.as_of(ARTICLE_DATE)["s-one"]


def test_a_source_of_the_article_day_is_visible(sources_file):
    book = load_sources(sources_file(source(published="2023-11-01"))).as_of(ARTICLE_DATE)
    assert book["s-one"].id == "s-one"


def test_source_missing_field_is_named(sources_file):
    _expect(sources_file, r"record 's-one', field 'url': missing required field", source(url=None))


def test_source_unknown_unit_is_named(sources_file):
    _expect(sources_file, r"record 's-one', field 'unit': .*unknown unit 'shels / day'", source(unit='"shels / day"'))


def test_source_low_above_high_is_named(sources_file):
    _expect(sources_file, r"record 's-one', field 'low': low \(30000.0\) is above high", source(low=30000))


def test_source_non_numeric_value_is_named(sources_file):
    _expect(sources_file, r"record 's-one', field 'high': must be a number, got 'lots'", source(high='"lots"'))


def test_source_duplicate_id_is_named(sources_file):
    _expect(sources_file, r"record 's-one', field 'id': duplicate id", source(), source())


def test_source_bad_date_is_named(sources_file):
    _expect(sources_file, r"record 's-one', field 'published': 'Oct 2023' is not a date", source(published='"Oct 2023"'))


def test_source_bad_precision_is_named(sources_file):
    _expect(sources_file, r"field 'published_precision': 'circa' is not one of: day, month, year, undated",
            source(published_precision='"circa"'))


def test_source_bad_angle_is_named(sources_file):
    _expect(sources_file, r"field 'latitude': '51 km' is not an angle",
            source(low=None, high=None, latitude='"51 km"', longitude='"128 degree"'))


def test_source_place_needs_both_coordinates(sources_file):
    _expect(sources_file, r"field 'longitude': a place needs both", source(low=None, high=None, latitude='"51 degree"'))


def test_source_period_start_after_end_is_named(sources_file):
    _expect(sources_file, r"field 'period_start': period_start \(2023-05-01\) is after period_end",
            source(period_start="2023-05-01", period_end="2023-04-01"))


def test_source_malformed_toml_gives_the_line(sources_file):
    broken = source().replace('figure = "a fire rate"', 'figure = "a fire rate')  # line 3: unclosed string
    _expect(sources_file, r"malformed TOML: .*\(at line 3, column", broken)


def test_source_tags_must_be_strings(sources_file):
    _expect(sources_file, r"field 'tags': must be a list of non-empty strings", source(tags="[1, 2]"))


def test_a_source_samples_as_a_90_percent_interval(sources_file):
    from estimates.uncertain import Model, percentiles
    s = load_sources(sources_file(source()))["s-one"]
    p5, _, p95 = (p.magnitude for p in percentiles(s.sample(Model(seed=1), "round / week")))
    assert (p5, p95) == (pytest.approx(70_000, rel=0.03), pytest.approx(140_000, rel=0.03))


@pytest.mark.parametrize("low, high", [(0, 10), (-5, -1)])
def test_a_zero_or_negative_source_bound_is_refused_at_the_door(sources_file, low, high):
    # refused when the file is loaded, before any model could sample it as a lognormal
    with pytest.raises(RecordError, match=r"figures.toml, record 's-one', field 'low': must be a positive number"):
        load_sources(sources_file(source(low=low, high=high)))


def test_a_source_refused_at_the_door_would_also_be_refused_when_sampled():
    from estimates.uncertain import IntervalError, Model
    with pytest.raises(IntervalError, match="a lognormal interval needs positive bounds"):
        Model(seed=1, n=1000).between(0, 10, "round / day", "lognormal", where="x")


def test_a_single_figure_needs_a_spread_to_be_sampled(sources_file):
    from estimates.uncertain import IntervalError, Model
    s = load_sources(sources_file(source(low=None, high=None, value=5000)))["s-one"]
    with pytest.raises(IntervalError, match=r"record 's-one', field 'value': a single figure needs a spread"):
        s.sample(Model(seed=1, n=1000), "round / day")
    with pytest.raises(IntervalError, match="spread must be at least 1"):
        s.sample(Model(seed=1, n=1000), "round / day", spread=0.5)
    assert s.sample(Model(seed=1, n=1000), "round / day", spread=1.3).magnitude.min() > 0


def test_a_sources_file_is_parsed_once_per_content_and_an_edit_is_always_seen(sources_file):
    path = sources_file(source())
    first = load_sources(path)
    assert load_sources(path) is first  # the same text: the parse is reused (the report loads it per case)
    path.write_text(path.read_text(encoding="utf-8").replace("'s-one'", "'s-edited'").replace('"s-one"', '"s-edited"'),
                    encoding="utf-8")
    edited = load_sources(path)
    assert edited is not first and [s.id for s in edited.all] == ["s-edited"]
    path.write_text("[[sources]]\nid = ", encoding="utf-8")  # a broken edit is refused, never served from before
    with pytest.raises(RecordError, match="malformed TOML"):
        load_sources(path)
