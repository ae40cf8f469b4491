from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.admin.tenure_csv import SESSION_KEY
from governance.models import Tenure
from tests.csv_helpers import export_text, history_count, tenure_csv

IMPORT_URL = reverse("admin:governance_tenure_import")


def upload(client, text, name="tenures.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, text.encode())})


def test_the_changelist_links_to_import_and_export(editor_client, demo):
    page = editor_client.get(reverse("admin:governance_tenure_changelist")).content.decode()
    assert IMPORT_URL in page and "/export/tenures.csv" in page


def test_the_import_page_asks_for_a_file(editor_client):
    response = editor_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_the_preview_shows_what_would_change_and_changes_nothing(editor_client, demo):
    text = export_text() + "New Person,Innovo Group Inc.,director,,2010,,,,,,,,\r\n"
    before = (Tenure.objects.count(), history_count())
    response = upload(editor_client, text)
    page = response.content.decode()
    assert "1 tenures would be created" in page
    assert "New Person, Director at Innovo Group Inc." in page
    assert "Confirm import" in page
    assert (Tenure.objects.count(), history_count()) == before


def test_confirm_writes_with_the_editor_in_history(editor_client, editor, demo):
    text = export_text() + "New Person,Innovo Group Inc.,director,,2010,,,,,,,,\r\n"
    response = upload(editor_client, text, name="board-2010.csv")
    token = response.context["token"]
    response = editor_client.post(IMPORT_URL, {"token": token})
    assert response.status_code == 302
    tenure = Tenure.objects.get(person__name="New Person")
    record = tenure.history.get()
    assert record.history_user == editor
    assert record.history_change_reason == "Imported from board-2010.csv"
    # The token is spent: a second confirm writes nothing more.
    assert token not in editor_client.session.get(SESSION_KEY, {})
    editor_client.post(IMPORT_URL, {"token": token})
    assert Tenure.objects.filter(person__name="New Person").count() == 1


def test_errors_are_listed_and_there_is_nothing_to_confirm(editor_client, db):
    response = upload(editor_client, tenure_csv("Ann,Acme,king,,Sept 2004,,,,"))
    page = response.content.decode()
    assert "unknown role" in page and "is not a date" in page
    assert "Confirm import" not in page
    assert not Tenure.objects.exists()


def test_a_forged_token_is_refused(editor_client, db):
    response = editor_client.post(IMPORT_URL, {"token": "../../etc/passwd"})
    assert response.status_code == 302


def test_the_import_page_needs_staff(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_action_exports_the_selected_tenures(editor_client, demo):
    selected = Tenure.objects.filter(person__slug="pat-anderson")
    response = editor_client.post(
        reverse("admin:governance_tenure_changelist"),
        {"action": "export_selected_as_csv", "_selected_action": [t.pk for t in selected]},
    )
    assert response.status_code == 200
    assert "tenures-selected-" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    assert text == export_text(selected)
    assert len(text.splitlines()) == 4
