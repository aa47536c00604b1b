"""manage.py import_speakers FILE.csv: known people, all or nothing."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from statements.models import Position, Speaker, SpeakerAlias

pytestmark = pytest.mark.django_db

HEADER = "name,aliases,kind,country,position,body,start_date,end_date,source\n"
GOOD = HEADER + (
    "Jane Roe,Jane Q. Roe;Senator Roe,person,US,Senator,Texas,2019-01-03,,a register\n"
    "Jane Roe,,person,US,Governor,Texas,2011-01-01,2018-12-31,a register\n"
    "Quist Holdings,QH,organisation,NL,,,,,a company register\n"
)


def write(tmp_path, text, name="people.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_speakers", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_loads_people_with_aliases_country_and_dated_offices(tmp_path):
    out, _ = run(write(tmp_path, GOOD))
    assert "2 speaker(s) added" in out
    jane = Speaker.objects.get(name="Jane Roe")
    assert (jane.kind, jane.country.code, jane.source) == ("person", "US", "a register")
    assert (jane.given_name, jane.surname) == ("Jane", "Roe")
    assert set(jane.aliases.values_list("alias", flat=True)) == {
        "Jane Roe",
        "Jane Q. Roe",
        "Senator Roe",
    }
    senator = jane.positions.get(title="Senator")
    assert (senator.organisation, senator.start_date, senator.end_date) == (
        "Texas",
        datetime.date(2019, 1, 3),
        None,
    )
    assert jane.position_on(datetime.date(2015, 6, 1)).title == "Governor"
    assert Speaker.objects.get(name="Quist Holdings").kind == "organisation"


def test_loading_the_same_file_again_changes_nothing(tmp_path):
    path = write(tmp_path, GOOD)
    run(path)
    counts = (
        Speaker.objects.count(),
        SpeakerAlias.objects.count(),
        Position.objects.count(),
    )
    out, _ = run(path)
    assert "0 speaker(s) added, 2 already known" in out
    assert counts == (
        Speaker.objects.count(),
        SpeakerAlias.objects.count(),
        Position.objects.count(),
    )


@pytest.mark.parametrize(
    "row,message",
    [
        ("Jane Roe,,person,ZZ,,,,,a register", "line 3: country “ZZ”"),
        ("Jane Roe,,robot,US,,,,,a register", "line 3: kind “robot”"),
        ("Roe,,person,US,,,,,a register", "line 3: “Roe” is not a person's name"),
        ("Jane Roe,,person,US,Senator,,2019-02-30,,a register", "line 3: start_date"),
        (
            "Jane Roe,,person,US,Senator,,2019-01-01,2018-01-01,a register",
            "line 3: end_date",
        ),
        ("Jane Roe,,person,US,,,,,", "line 3: no source"),
        ("Jane Roe,he,person,US,,,,,a register", "line 3: alias “he”"),
        ("Eric Roe,Mara Quist,person,US,,,,,a register", "also Mara Quist's"),
    ],
)
def test_a_bad_row_is_named_by_line_and_nothing_is_loaded(tmp_path, row, message):
    text = HEADER + "Mara Quist,,person,NL,,,,,a register\n" + row + "\n"
    with pytest.raises(CommandError, match="nothing of it was loaded"):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(
                "import_speakers", str(write(tmp_path, text)), stdout=out, stderr=err
            )
        finally:
            assert message in err.getvalue()
    assert not Speaker.objects.exists()


def test_a_file_without_the_columns_is_refused(tmp_path):
    with pytest.raises(CommandError):
        run(write(tmp_path, "who,what\nJane Roe,x\n"))
    assert not Speaker.objects.exists()


def test_a_missing_file_is_named(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_speakers", str(tmp_path / "nope.csv"), stderr=err)
    assert "nope.csv: no such file" in err.getvalue()


def test_an_alias_an_import_gave_another_speaker_goes_to_the_known_person(tmp_path):
    other = Speaker.objects.create(name="J. Q. Roe")
    SpeakerAlias.objects.create(speaker=other, alias="Jane Q. Roe")
    run(write(tmp_path, GOOD))
    assert SpeakerAlias.objects.get(normalised="jane q. roe").speaker.name == "Jane Roe"


def test_a_person_already_made_by_an_import_becomes_known(tmp_path):
    made = Speaker.objects.create(name="Jane Roe")
    run(write(tmp_path, GOOD))
    made.refresh_from_db()
    assert made.source == "a register"
    assert Speaker.objects.filter(name="Jane Roe").count() == 1


def test_a_known_persons_country_replaces_an_imports_guess_and_stays(tmp_path):
    from statements import corrections
    from statements.models import Country

    made = corrections.add_speaker(
        "Jane Roe", country=Country.objects.get(code="GB"), country_basis="article"
    )
    run(write(tmp_path, GOOD))
    made.refresh_from_db()
    assert (made.country.code, made.country_basis) == ("US", "editor")
    corrections.learn_country(made, Country.objects.get(code="FR"), "stated")
    made.refresh_from_db()
    assert made.country.code == "US"


def test_the_shipped_people_file_loads():
    out, _ = run(Path(settings.BASE_DIR) / "seeds" / "people.csv")
    assert "0 already known" in out
    assert Speaker.objects.get(name="Emmanuel Macron").country.code == "FR"
    assert all(s.source for s in Speaker.objects.all())
