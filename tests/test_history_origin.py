"""Every history row keeps the command that wrote it, on the ordinary save path and on the
bulk paths of the CSV and SEC imports (COPY on PostgreSQL, simple-history's helpers elsewhere)."""

from pathlib import Path

import pytest

from governance.models import Tenure
from governance.sec.importer import import_filings
from people.models import Person
from records import origin
from tests.csv_helpers import empty_record, export_text, import_text

FIXTURES = Path(__file__).parent / "fixtures" / "sec"


@pytest.fixture
def running():
    def run(command: str):
        origin.set_command(["manage.py", command])

    yield run
    origin.set_command(["manage.py"])


def test_a_save_keeps_the_running_command(db, running):
    running("shell")
    person = Person.objects.create(name="Ada Lovelace")
    assert person.history.get().history_origin == "shell"


def test_a_save_with_no_command_keeps_none(db):
    person = Person.objects.create(name="Ada Lovelace")
    assert person.history.get().history_origin == ""


def test_the_csv_import_keeps_the_command(demo, running):
    text = export_text()
    empty_record()
    before = {model: model.history.latest("history_id").history_id for model in (Tenure, Person)}
    running("import_tenures")
    result = import_text(text)
    assert result.ok, result
    for model, last in before.items():
        rows = model.history.filter(history_id__gt=last)
        assert rows.exists()
        assert set(rows.values_list("history_origin", flat=True)) == {"import_tenures"}


def test_the_sec_import_keeps_the_command(db, running):
    running("import_sec_ownership")
    import_filings([str(FIXTURES)])
    origins = set(Tenure.history.values_list("history_origin", flat=True))
    assert origins == {"import_sec_ownership"}
