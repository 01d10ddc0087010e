"""The claims register: the real one is complete and verbatim; every class of bad input is named."""
import re

import pytest

from estimates import paths
from estimates.claims import QUALIFIERS, load_register
from estimates.validate import RecordError
from tests.conftest import ARTICLE, claim

CASE = "2023-11-01-thehindu-afp-nk-russia-artillery"


@pytest.fixture(scope="module")
def register():
    return load_register(paths.claims_path(CASE), paths.seed_path(CASE))


def test_the_seed_is_the_shared_article_byte_for_byte():
    shared = paths.ROOT.parent / "shared" / "seeds" / f"{CASE}.txt"
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert paths.seed_path(CASE).read_bytes() == shared.read_bytes()


def test_every_quote_in_the_register_is_verbatim_in_the_seed(register):
    text = paths.seed_path(CASE).read_text(encoding="utf-8")
    for c in register.claims:
        assert c.quote in text, c.id


def test_the_register_covers_the_articles_quantitative_statements(register):
    ids = set(register.ids())
    assert len(ids) >= 12
    required = {"rounds-transferred", "shells-since-august-caption", "arms-transfers", "two-months-of-war",
                "containers-delivered", "vostochny-blagoveshchensk-km", "vostochny-blagoveshchensk-miles",
                "summit-date", "summit-in-september", "briefing-date", "failed-launch-august",
                "october-launch-planned", "us-statement-last-month", "joint-statement-last-week"}
    assert required <= ids


def test_every_claim_names_an_existing_check_notebook(register):
    notebooks = {p.stem for p in paths.case_notebooks(register.path.name[: -len(".claims.toml")]).glob("*.ipynb")}
    for c in register.claims:
        assert c.check in notebooks, (c.id, c.check)


def test_claims_carry_units_the_registry_parses_and_no_verdict(register):
    for c in register.claims:
        assert c.bound in ("point", "lower", "upper")
        assert "verdict" not in c.__dataclass_fields__
    assert register["two-months-of-war"].quantity().to("day").magnitude == pytest.approx(60.875)
    assert register["rounds-transferred"].bound == "lower"


def test_an_unknown_claim_id_says_which_exist(register):
    with pytest.raises(KeyError, match="no claim 'nope'; the register has rounds-transferred"):
        register["nope"]


def _load(case_files, *claims, seed=None, article=ARTICLE):
    args = (article + "\n" + "\n".join(claims),) + (() if seed is None else (seed,))
    reg, seed_path = case_files(*args)
    return load_register(reg, seed_path)


def _expect(case_files, message, *claims, **kw):
    with pytest.raises(RecordError) as err:
        _load(case_files, *claims, **kw)
    assert re.search(message, str(err.value)), str(err.value)
    assert "test-case" in str(err.value)
    return err.value


def test_a_valid_small_register_loads(case_files):
    reg = _load(case_files, claim())
    assert reg.ids() == ["c-one"] and reg.article.title == "Test headline: Seoul"


def test_missing_required_field_is_named(case_files):
    e = _expect(case_files, r"record 'c-one', field 'claimant': missing required field", claim(claimant=None))
    assert (e.record_id, e.field) == ("c-one", "claimant")


def test_quote_not_in_seed_is_rejected(case_files):
    _expect(case_files, r"record 'c-one', field 'quote': not found verbatim in the seed text$",
            claim(quote='"more than 2,000 containers"'))


def test_quote_with_straight_quotes_where_the_seed_has_curly_ones_is_a_near_miss(case_files):
    _expect(case_files, r"field 'quote': not found verbatim.*straight and curly quotes",
            claim(quote="\"It's said to be\""))


def test_unknown_unit_is_rejected(case_files):
    _expect(case_files, r"record 'c-one', field 'unit': .*unknown unit 'contaners'", claim(unit='"contaners"'))


def test_low_above_high_is_rejected(case_files):
    _expect(case_files, r"record 'c-one', field 'low': low \(2000.0\) is above high \(1000.0\)",
            claim(value=None, low=2000, high=1000))


def test_value_and_a_range_together_are_rejected(case_files):
    _expect(case_files, r"field 'value': give either value, or low and high", claim(low=1, high=2))


def test_non_numeric_value_is_rejected(case_files):
    _expect(case_files, r"field 'value': must be a number, got '1,000' \(str\)", claim(value='"1,000"'))


def test_duplicate_id_is_rejected(case_files):
    _expect(case_files, r"record 'c-one', field 'id': duplicate id", claim(), claim())


def test_date_that_does_not_parse_is_rejected(case_files):
    _expect(case_files, r"field 'made_on': '2023-13-01' is not a date; write a TOML date",
            claim(made_on='"2023-13-01"'))


def test_unknown_qualifier_lists_the_valid_ones(case_files):
    _expect(case_files, r"field 'qualifier': 'sort of' is not one of: exactly, about", claim(qualifier='"sort of"'))


@pytest.mark.parametrize("qualifier", ["approximately", "nearly", "almost", "some", "roughly", "as many as",
                                       "close to", "less than", "under", "upwards of"])
def test_the_qualifiers_reporters_write_are_accepted(case_files, qualifier):
    assert _load(case_files, claim(qualifier=f'"{qualifier}"')).claims[0].qualifier == qualifier


def test_nearly_reads_as_just_below_the_figure(case_files):
    from estimates.verdicts import claim_band
    band = claim_band(_load(case_files, claim(qualifier='"nearly"', value=30, unit='"percent"')).claims[0])
    assert (band.low, band.high) == (20, 30)


def test_a_claim_needs_a_check_or_a_reason_for_none_but_not_both(case_files):
    _expect(case_files, r"field 'check': give check .* or not_checked .*exactly one", claim(check=None))
    _expect(case_files, r"field 'check': give check", claim(not_checked='"no source"'))
    c = _load(case_files, claim(check=None, not_checked='"no public source counts them"')).claims[0]
    assert c.not_checked == "no public source counts them" and c.check == ""


EXCERPTS = """\
[[excerpts]]
id = "one"
marker = "[1]"
outlet = "Outlet One"
headline = "Headline one"
published = 2024-02-27
url = "https://example.org/1"

[[excerpts]]
id = "two"
marker = "[2]"
outlet = "Outlet Two"
headline = "Headline two"
published = 2024-02-29
published_precision = "month"
url = "https://example.org/2"
"""
EXCERPT_SEED = ("Excerpts of a briefing.\n\n[1] Outlet One. Headline one. 27 February 2024.\n"
                "about 6,700 containers were shipped\n\n[2] Outlet Two. Headline two.\n"
                "over 6,700 containers were shipped\n")
EXCERPT_ARTICLE = ARTICLE.replace('title = "Test headline: Seoul"', 'title = "Excerpts of a briefing."').replace(
    'dateline = "Seoul"', 'kind = "excerpts"').replace('agency = "AFP"\n', "")


def test_each_quote_of_an_excerpt_seed_is_found_in_its_own_excerpt(case_files):
    one = claim(quote='"about 6,700 containers were shipped"', value=6700, qualifier='"about"', excerpt='"one"')
    two = claim("c-two", quote='"over 6,700 containers were shipped"', value=6700, qualifier='"over"',
                excerpt='"two"', variant_of='"c-one"')
    reg = _load(case_files, EXCERPTS, one, two, seed=EXCERPT_SEED, article=EXCERPT_ARTICLE)
    assert [c.excerpt for c in reg.claims] == ["one", "two"] and reg.claims[1].variant_of == "c-one"
    assert reg.excerpt("two").citation().startswith("Outlet Two, \u201cHeadline two\u201d, February 2024")
    assert reg.article.line() == "Test Outlet, 2023-11-01"
    wrong = claim(quote='"over 6,700 containers were shipped"', value=6700, excerpt='"one"')
    _expect(case_files, r"field 'quote': not found verbatim in excerpt 'one'", EXCERPTS, wrong,
            seed=EXCERPT_SEED, article=EXCERPT_ARTICLE)
    _expect(case_files, r"field 'excerpt': the seed is a set of excerpts: name the one", EXCERPTS,
            claim(quote='"about 6,700 containers were shipped"'), seed=EXCERPT_SEED, article=EXCERPT_ARTICLE)
    _expect(case_files, r"field 'excerpt': no excerpt 'three'", EXCERPTS,
            claim(quote='"about 6,700 containers were shipped"', excerpt='"three"'), seed=EXCERPT_SEED,
            article=EXCERPT_ARTICLE)
    _expect(case_files, r"record 'c-two', field 'variant_of': no claim 'c-nine'", EXCERPTS, one,
            claim("c-two", quote='"over 6,700 containers were shipped"', excerpt='"two"', variant_of='"c-nine"'),
            seed=EXCERPT_SEED, article=EXCERPT_ARTICLE)


def test_an_excerpt_marker_must_appear_once_in_the_seed(case_files):
    _expect(case_files, r"record 'two', field 'marker': '\[2\]' must appear exactly once", EXCERPTS,
            claim(quote='"about 6,700 containers were shipped"', excerpt='"one"'),
            seed=EXCERPT_SEED.replace("[2]", "[3]"), article=EXCERPT_ARTICLE)


def test_a_register_declares_the_counted_units_it_needs(case_files):
    units = '[units]\nlaunch_pad_test = "[launch_pad_test]"\n'
    reg = _load(case_files, units, claim(unit='"launch_pad_test"'))
    assert reg.units == (("launch_pad_test", "[launch_pad_test]"),)
    _load(case_files, units, claim(unit='"launch_pad_test"'))  # declaring it again, the same way, is fine
    _expect(case_files, r"record 'units', field 'launch_pad_test': unit 'launch_pad_test' is already defined",
            '[units]\nlaunch_pad_test = "2 * container"\n', claim())
    _expect(case_files, r"record 'units', field 'metre': unit 'metre' is already defined by pint",
            '[units]\nmetre = "[length_two]"\n', claim())
    _expect(case_files, r"field 'bogus_unit_x': cannot define unit", '[units]\nbogus_unit_x = "* *"\n', claim())


def test_numbers_that_are_not_claims_are_listed_with_a_reason(case_files):
    reg = _load(case_files, claim(), '[[not_claims]]\ntext = "Nov. 1, 2023"\nreason = "the date of the statement"\n')
    assert reg.not_claims[0].reason == "the date of the statement"
    _expect(case_files, r"field 'text': not found verbatim in the seed", claim(),
            '[[not_claims]]\ntext = "Nov. 2, 2023"\nreason = "x"\n')


def test_unknown_field_is_rejected_not_ignored(case_files):
    _expect(case_files, r"field 'verdict': unknown field", claim(verdict='"consistent"'))


def test_id_must_be_kebab_case(case_files):
    _expect(case_files, r"record 'Bad_Id', field 'id': 'Bad_Id' is not kebab-case", claim(id="Bad_Id"))


def test_a_quantity_claim_cannot_name_a_weekday(case_files):
    _expect(case_files, r"field 'weekday': only a date claim", claim(weekday='"Wednesday"'))


def test_a_date_claim_needs_dates(case_files):
    _expect(case_files, r"field 'value': 1000 is not a date", claim(kind='"date"', unit='"day"'))


def test_a_claim_with_no_number_is_rejected(case_files):
    _expect(case_files, r"field 'value': a claim needs value", claim(value=None))


def test_malformed_toml_gives_the_line(case_files):
    text = ARTICLE + "\n" + claim(value="= 3")
    line = text.splitlines().index("value = = 3") + 1
    _expect(case_files, rf"malformed TOML: .*\(at line {line}, column", claim(value="= 3"))


def test_missing_article_table_is_named(case_files):
    _expect(case_files, r"field 'article': missing \[article\] table", claim(), article="")


def test_title_not_in_seed_is_rejected(case_files):
    _expect(case_files, r"record 'article', field 'title': the title is not found verbatim",
            claim(), article=ARTICLE.replace("Test headline", "Other headline"))


def test_a_register_with_no_claims_yet_loads_empty(case_files):
    """A new article's register, before `make coverage` drafts its claims: its [article] alone."""
    reg, seed = case_files(ARTICLE)
    assert load_register(reg, seed).claims == ()


def test_claims_that_are_not_an_array_of_tables_are_rejected(case_files):
    reg, seed = case_files("claims = 3\n" + ARTICLE)
    with pytest.raises(RecordError, match=r"field 'claims': expected an array of tables \[\[claims\]\]"):
        load_register(reg, seed)


def test_missing_seed_file_is_named(tmp_path, case_files):
    reg, seed = case_files(ARTICLE + claim())
    with pytest.raises(RecordError, match=r"nothing.txt: file not found"):
        load_register(reg, tmp_path / "nothing.txt")


def test_seed_that_is_not_utf8_is_rejected(case_files):
    _expect(case_files, r"test-case.txt: not UTF-8 text \(byte 5", claim(), seed=b"Test \xff headline")


def test_every_qualifier_bounds_one_way():
    assert set(QUALIFIERS.values()) == {"point", "lower", "upper"}


def test_a_claim_asked_in_a_unit_of_the_wrong_dimension_names_the_register_and_field(register):
    from estimates.units import UnitError
    with pytest.raises(UnitError, match=r"claims.toml, record 'two-months-of-war', field 'unit': unit 'month' "
                                        r"has dimension .*needs a unit like 'round / day'"):
        register["two-months-of-war"].quantity_in("round / day")
    assert register["two-months-of-war"].quantity_in("day").magnitude == pytest.approx(60.875)


@pytest.mark.parametrize("url", ['"javascript:alert(1)"', '"www.example.org/a"', '"https://"', '"ftp://example.org/a"'])
def test_an_article_or_excerpt_address_that_is_not_http_is_refused(case_files, url):
    _expect(case_files, r"record 'article', field 'url': .* is not an http\(s\) address", claim(),
            article=ARTICLE + f"url = {url}\n")
    _expect(case_files, r"record 'one', field 'url': .* is not an http\(s\) address", EXCERPTS.replace(
        'url = "https://example.org/1"', f"url = {url}"), claim(quote='"about 6,700 containers were shipped"',
                                                                 excerpt='"one"'),
        seed=EXCERPT_SEED, article=EXCERPT_ARTICLE)


def test_an_article_address_and_a_claimant_person_are_kept(case_files):
    reg = _load(case_files, claim(claimant_person='"Shin Won-sik"'), article=ARTICLE + 'url = "https://example.org/a?b=1"\n')
    assert reg.article.url == "https://example.org/a?b=1" and reg.claims[0].claimant_person == "Shin Won-sik"
    assert _load(case_files, claim()).claims[0].claimant_person == ""
