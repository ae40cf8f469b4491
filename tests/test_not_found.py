"""Unknown records answer the app's own 404 page, in debug too (no URL list, no traceback)."""

import pytest


@pytest.mark.parametrize(
    "url, message",
    [
        ("/companies/no-such-company/", "There is no company at /companies/no-such-company/."),
        ("/people/nobody/", "There is no person at /people/nobody/."),
        ("/sources/999999/", "There is no document #999999."),
        (f"/sources/{2**70}/", f"There is no document #{2**70}."),
    ],
)
def test_an_unknown_record_is_the_apps_404_even_in_debug(client, demo, settings, url, message):
    settings.DEBUG = True
    response = client.get(url)
    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "404.html"
    page = response.content.decode()
    assert message in page
    assert "URLconf" not in page
