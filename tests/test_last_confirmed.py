"""Last confirmed: each tenure's latest evidence, and the tenures it no longer confirms."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from governance.models import Attestation, Citation, Company, Role, Source, Tenure
from governance.models.intervals import latest_evidence, months_before
from governance.models.partial_date import PartialDate as P
from people.models import Person

D = datetime.date


def test_the_latest_evidence_keeps_its_precision():
    assert latest_evidence([D(2003, 2, 7)], [P(2004, 9)]) == P(2004, 9)
    assert latest_evidence([D(2004, 9, 8)], [P(2004, 9)]) == P(2004, 9, 8)
    assert latest_evidence([], []) is None


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2026, 11, 26), 18, D(2025, 5, 26)),
        (D(2026, 8, 31), 18, D(2025, 2, 28)),
        (D(2024, 2, 29), 12, D(2023, 2, 28)),
        (D(2026, 1, 15), 1, D(2025, 12, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


@pytest.mark.django_db
class TestDerived:
    @pytest.fixture
    def tenure(self):
        return Tenure.objects.create(
            person=Person.objects.create(name="Ann Example"),
            company=Company.objects.create(name="Acme"),
            role=Role.objects.get(slug="director"),
            start=P(2001),
        )

    def test_it_follows_attested_days_and_source_dates(self, tenure):
        assert tenure.last_confirmed is None
        Attestation.objects.create(tenure=tenure, day=D(2010, 5, 1))
        tenure.refresh_from_db()
        assert tenure.last_confirmed == P(2010, 5, 1)
        source = Source.objects.create(title="Proxy 2012", kind="other", date=P(2012, 4))
        Citation.objects.create(tenure=tenure, source=source)
        tenure.refresh_from_db()
        assert tenure.last_confirmed == P(2012, 4)
        source.date = P(2009)
        source.save()
        tenure.refresh_from_db()
        assert tenure.last_confirmed == P(2010, 5, 1)
        Attestation.objects.all().delete()
        tenure.refresh_from_db()
        assert tenure.last_confirmed == P(2009)

    def test_the_queries_agree_with_the_tenure_on_both_backends(self, tenure, settings):
        settings.UNCONFIRMED_AFTER_MONTHS = 18
        Attestation.objects.create(tenure=tenure, day=D(2024, 9, 1))
        tenures = Tenure.objects.filter(pk=tenure.pk)
        assert tenures.confirmed_since(D(2024, 9, 1)).exists()
        assert not tenures.confirmed_since(D(2024, 9, 2)).exists()
        assert not tenures.unconfirmed(D(2026, 3, 1)).exists()
        assert tenures.unconfirmed(D(2026, 3, 2)).exists()
        tenure.refresh_from_db()
        assert tenure.confirmation(D(2026, 3, 1)).current
        assert tenure.confirmation(D(2026, 3, 2)).label == (
            "no end recorded · last confirmed 1 Sep 2024"
        )

    def test_a_month_counts_from_its_first_day(self, tenure):
        source = Source.objects.create(title="Filing", kind="other", date=P(2024, 9))
        Citation.objects.create(tenure=tenure, source=source)
        tenures = Tenure.objects.filter(pk=tenure.pk)
        assert tenures.confirmed_since(D(2024, 9, 1)).exists()
        assert not tenures.confirmed_since(D(2024, 9, 2)).exists()
        source.date = P(2024)
        source.save()
        assert tenures.confirmed_since(D(2024, 1, 1)).exists()
        assert not tenures.confirmed_since(D(2024, 1, 2)).exists()

    def test_an_ended_tenure_is_never_unconfirmed(self, tenure):
        tenure.end = P(2005)
        tenure.save()
        assert tenure.confirmation(D(2026, 1, 1)) is None
        assert not Tenure.objects.unconfirmed(D(2026, 1, 1)).exists()

    def test_no_dated_evidence_says_so(self, tenure):
        assert Tenure.objects.unconfirmed(D(2026, 1, 1)).get() == tenure
        assert tenure.confirmation(D(2026, 1, 1)).label == (
            "no end recorded · not confirmed by a dated source"
        )


@pytest.mark.django_db
def test_the_migration_backfills_it_in_sql(demo):
    migration = importlib.import_module("governance.migrations.0004_fidelity")
    expected = {t.pk: t.last_confirmed for t in Tenure.objects.all()}
    Tenure.objects.update(last_confirmed=None)
    # The function reads only the editor's connection: no schema editor inside a test's transaction.
    migration.backfill_last_confirmed(apps, SimpleNamespace(connection=connection))
    assert {t.pk: t.last_confirmed for t in Tenure.objects.all()} == expected
    assert set(expected.values()) == {P(2004, 9, 8)}


@pytest.mark.django_db
def test_record_time_recomputes_it_from_past_facts(demo):
    from django.utils import timezone

    from governance.history.record_time import company_as_recorded

    group = Company.objects.get(slug="innovo-group")
    before = timezone.now()
    furrow = Tenure.objects.get(role__slug="ceo")
    Attestation.objects.create(tenure=furrow, day=D(2026, 1, 5))
    then = company_as_recorded(group, before)
    [past] = [t for t in then.tenures if t.pk == furrow.pk]
    assert past.last_confirmed == P(2004, 9, 8)
    furrow.refresh_from_db()
    assert furrow.last_confirmed == P(2026, 1, 5)
