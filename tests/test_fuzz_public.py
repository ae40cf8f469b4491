"""Hostile input to the public pages and exports: every GET parameter each one reads, and
parameters none reads, and the records their addresses name. The answer is the page, or a 400
or 404 with a message, never a 500; nothing is written."""

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from governance.models import Source, Tenure
from tests.hostile_inputs import WORST, fuzz, hostile_query_text, record_state

# Each public address (with the demo's records), and the parameters it reads.
PAGES = {
    "/": ["q"],
    "/companies/": ["page", "letter"],
    "/people/": ["page", "letter"],
    "/companies/innovo-group/": ["on", "recorded"],
    "/people/marc-b-crossman/": ["on", "recorded"],
    "/changes/": ["page"],
    "/quality/": ["check", "page"],
    "/export/tenures.csv": ["company", "person", "role", "on", "recorded"],
    "/export/people.csv": [],
    "/export/companies.csv": [],
    "/export/events.csv": [],
    "/export/transactions.csv": [],
    "/healthz": [],
}
RECORD_PAGES = ["/sources/{source}/", "/history/tenure/{tenure}/", "/history/person/1/"]
ANSWERS = {200, 400, 404}
EXTRA = ["x", "o", "p", "format", "callback"]  # parameters no page reads


def get(client, url: str, params: dict | None = None):
    response = client.get(url, params or {})
    assert response.status_code in ANSWERS, (url, params, response.status_code)
    if response.status_code != 200:
        body = response.content.decode()
        # The pages say what was wrong; the exports too, in plain text, for scripts.
        assert 'class="error-message"' in body or response["Content-Type"].startswith(
            "text/plain"
        ), body
        assert body.strip()
    elif response.streaming:
        b"".join(response.streaming_content)
    return response


def record_pages() -> list[str]:
    source, tenure = Source.objects.first(), Tenure.objects.first()
    return [url.format(source=source.pk, tenure=tenure.pk) for url in RECORD_PAGES]


def test_a_search_that_normalises_to_hundreds_of_words_is_answered(client, demo):
    # "\ufdfa" is four words once normalised: two hundred of them made a query too deep for
    # SQLite (a 500).
    response = get(client, "/", {"q": "\ufdfa" * 200})
    assert response.status_code == 200


def test_every_parameter_of_every_page_answers_the_worst_values(client, demo):
    before = record_state()
    for url, names in PAGES.items():
        for name in names:
            for value in WORST:
                get(client, url, {name: value.encode("utf-8", "replace").decode()})
    assert record_state() == before


@fuzz(examples=40)
@given(data=st.data())
def test_hostile_parameters_of_any_page_never_fail(client, demo, data):
    url = data.draw(st.sampled_from([*PAGES, *record_pages()]))
    names = st.sampled_from([*PAGES.get(url, ["page", "recorded"]), *EXTRA]) | hostile_query_text
    get(client, url, data.draw(st.dictionaries(names, hostile_query_text, max_size=3)))


@fuzz(examples=30)
@given(
    pattern=st.sampled_from(
        ["/companies/{}/", "/people/{}/", "/sources/{}/", "/history/{}/1/", "/history/tenure/{}/"]
    ),
    value=hostile_query_text,
)
def test_hostile_record_addresses_are_a_page_or_a_404(client, demo, pattern, value):
    url = pattern.format(quote(value, safe=""))
    response = client.get(url)
    assert response.status_code in {200, 301, 404}, (url, response.status_code)
