import pytest

from estimates.validate import Fields, RecordError, load_toml, no_duplicate_ids, read_text, records


def test_record_error_names_file_record_and_field():
    e = RecordError("a.toml", "x", "unit", "bad")
    assert str(e) == "a.toml, record 'x', field 'unit': bad"
    assert str(RecordError("a.toml", None, None, "bad")) == "a.toml: bad"


def test_malformed_toml_names_the_line(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("a = 1\nb = = 2\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"bad.toml: malformed TOML: .*line 2"):
        load_toml(p)


def test_missing_and_non_utf8_files_are_named(tmp_path):
    with pytest.raises(RecordError, match="file not found"):
        read_text(tmp_path / "none.txt")
    p = tmp_path / "latin.txt"
    p.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(RecordError, match="not UTF-8"):
        read_text(p)


def test_fields_reject_nan_and_booleans_as_numbers(tmp_path):
    f = Fields(tmp_path / "f.toml", {"id": "a", "value": float("nan"), "flag": True}, 0, {"id", "value", "flag"})
    with pytest.raises(RecordError, match="finite"):
        f.number("value")
    with pytest.raises(RecordError, match=r"must be a number, got True"):
        f.number("flag")


def test_a_record_without_an_id_is_named_by_its_position(tmp_path):
    f = Fields(tmp_path / "f.toml", {}, 2, {"id"})
    with pytest.raises(RecordError, match=r"record '#3', field 'id': missing required field"):
        f.ident()


def test_records_and_duplicates(tmp_path):
    with pytest.raises(RecordError, match=r"\[\[sources\]\]"):
        records(tmp_path, {"sources": []}, "sources")
    with pytest.raises(RecordError, match="record 'a', field 'id': duplicate id"):
        no_duplicate_ids(tmp_path, ["a", "b", "a"])
