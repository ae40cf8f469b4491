"""Tenures: a person holding a role at a company, with the query vocabulary of "held on"
and the intervals derived from its facts."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.text import capfirst
from simple_history.models import HistoricForeignKey

from governance.models.companies import Company
from governance.models.intervals import (
    Intervals,
    derive_intervals,
    latest_evidence,
    months_before,
)
from governance.models.partial_date import (
    PartialDate,
    PartialDateField,
    end_before_start,
    start_key,
)
from governance.models.roles import Role
from governance.models.sources import Attestation, Citation
from people.models import Person
from records.history_origin import record_history
from records.inferences import INFERRED_SEPARATOR, InferredFacts
from records.urls import url_with_key

INTERVAL_FIELDS = [
    "has_certain_days",
    "certain_start",
    "certain_end",
    "possible_start",
    "possible_end",
]
# Every column derived from a tenure's facts, recomputed together whenever they change.
DERIVED_FIELDS = [*INTERVAL_FIELDS, "last_confirmed"]
# The facts of a tenure that may be marked inferred, as the CSV's `inferred` column names them.
INFERABLE_FIELDS = ["person", "title", "start", "end", "end_reason", "replaces"]


# The latest of each tenure's attested days and its sources' dates as ISO text, whose order is the
# partial dates' order (governance/migrations/0004_fidelity.py backfills with the same query).
LATEST_EVIDENCE_SQL = """
UPDATE governance_tenure SET last_confirmed = (
    SELECT MAX(evidence.day) FROM (
        SELECT CAST(a.day AS TEXT) AS day FROM governance_attestation a
            WHERE a.tenure_id = governance_tenure.id
        UNION ALL
        SELECT s.date FROM governance_citation c JOIN governance_source s ON s.id = c.source_id
            WHERE c.tenure_id = governance_tenure.id AND s.date IS NOT NULL
        UNION ALL
        SELECT s.date FROM governance_attestation a JOIN governance_source s ON s.id = a.source_id
            WHERE a.tenure_id = governance_tenure.id AND s.date IS NOT NULL
    ) evidence
)
WHERE id IN ({ids})
"""


@dataclass(frozen=True)
class Confirmation:
    """Whether the record still shows a tenure with no end recorded as held: "current" when its
    latest evidence is recent, else "unconfirmed" (or "undated": no dated evidence at all)."""

    state: str
    last_confirmed: PartialDate | None

    @property
    def current(self) -> bool:
        return self.state == "current"

    @property
    def label(self) -> str:
        return "current" if self.current else f"no end recorded · {self.note}"

    @property
    def note(self) -> str:
        """What the A–Z indexes say beside an unconfirmed role; nothing beside a current one."""
        if self.current:
            return ""
        if self.last_confirmed is None:
            return "not confirmed by a dated source"
        return f"last confirmed {self.last_confirmed}"


def start_order(start, certain_start, pk) -> tuple:
    """Tenures by start (partial_date.start_key); unknown starts among themselves by their
    first certain day, then by id, so the order is total."""
    return (*start_key(start), certain_start or datetime.date.min, pk or 0)


def confirmed_since(day: datetime.date) -> Q:
    """Latest evidence on day or later. Partial dates are ISO text, whose order is theirs except
    that a month or a year sorts before its first day ("2004-09" < "2004-09-01")."""
    iso = day.isoformat()
    condition = Q(last_confirmed__gte=iso)
    if day.day == 1:
        condition |= Q(last_confirmed=iso[:7])
        if day.month == 1:
            condition |= Q(last_confirmed=iso[:4])
    return condition


def confirmed_before(day: datetime.date) -> Q:
    """Latest evidence, known, before day: confirmed_since(day) negated for a stored value, said
    as a range (last_confirmed < day) an index can read, rather than a NOT PostgreSQL keeps."""
    iso = day.isoformat()
    condition = Q(last_confirmed__lt=iso)
    if day.day == 1:
        condition &= ~Q(last_confirmed=iso[:7])
        if day.month == 1:
            condition &= ~Q(last_confirmed=iso[:4])
    return condition


# TenureQuerySet.no_end_recorded(), which a partial index (Tenure.Meta.indexes) repeats.
NO_END_RECORDED = Q(end__isnull=True, end_reason="", possible_end__isnull=True)
# TenureQuerySet.current() and neither_current_nor_ended(), as conditions that partial indexes
# (Tenure.Meta.indexes) repeat word for word: PostgreSQL uses one only for a query that says so.
CURRENT = Q(has_certain_days=True, certain_end__isnull=True, possible_end__isnull=True)
NEITHER_CURRENT_NOR_ENDED = Q(end__isnull=True, end_reason="") & ~CURRENT


class TenureQuerySet(models.QuerySet):
    def at(self, company: Company) -> "TenureQuerySet":
        return self.filter(company=company)

    def held_on(self, day: datetime.date) -> "TenureQuerySet":
        """Tenures certainly held on day."""
        return self.filter(
            Q(certain_end__isnull=True) | Q(certain_end__gte=day),
            has_certain_days=True,
            certain_start__lte=day,
        )

    def possibly_held_on(self, day: datetime.date) -> "TenureQuerySet":
        """Tenures that may have been held on day, the certain ones included."""
        possible = (Q(possible_start__isnull=True) | Q(possible_start__lte=day)) & (
            Q(possible_end__isnull=True) | Q(possible_end__gte=day)
        )
        return self.filter(possible | Q(pk__in=self.held_on(day).values("pk")))

    def only_possibly_held_on(self, day: datetime.date) -> "TenureQuerySet":
        """Tenures that may have been held on day, but not certainly."""
        return self.possibly_held_on(day).exclude(pk__in=self.held_on(day).values("pk"))

    def shared_companies(self, person_ids, company: Company) -> list[tuple[int, int]]:
        """(company id, how many of these persons held roles there) for each other company
        than company where they held roles, those sharing the most first: its interlocks."""
        return list(
            self.filter(person_id__in=person_ids)
            .exclude(company=company)
            .values_list("company_id")
            .annotate(people=models.Count("person_id", distinct=True))
            .order_by("-people", "company_id")
        )

    def of_people_at(self, person_ids, company_ids) -> "TenureQuerySet":
        """The tenures these persons held at these companies."""
        # The companies in a second query by id: joined, PostgreSQL hashed all 10,000 of them
        # for the hundred or so a page names (12 ms of a 1 ms query).
        return (
            self.filter(person_id__in=person_ids, company_id__in=company_ids)
            .select_related("person")
            .prefetch_related("company")
        )

    def current(self) -> "TenureQuerySet":
        """Held today as far as the record knows: a known start, no end, no successor."""
        return self.filter(CURRENT)

    def ended(self) -> "TenureQuerySet":
        return self.filter(Q(end__isnull=False) | ~Q(end_reason=""))

    def confirmed_since(self, day: datetime.date) -> "TenureQuerySet":
        """Tenures whose latest evidence is day or later (a month or a year counts from its first
        day: "Sep 2004" confirms since 1 Sep 2004)."""
        return self.filter(confirmed_since(day))

    def no_end_recorded(self) -> "TenureQuerySet":
        """Tenures with no end, no end reason and no successor: held still, for all we know."""
        return self.filter(NO_END_RECORDED)

    def unconfirmed(self, as_of: datetime.date) -> "TenureQuerySet":
        """Tenures with no end recorded whose latest evidence is older than the confirmation age
        (settings.UNCONFIRMED_AFTER_MONTHS) at as_of, or that no dated evidence confirms."""
        # The condition itself, not NOT IN (the confirmed ones): an index range, at a million.
        cutoff = months_before(as_of, settings.UNCONFIRMED_AFTER_MONTHS)
        return self.no_end_recorded().filter(
            Q(last_confirmed__isnull=True) | confirmed_before(cutoff)
        )

    def oldest_unconfirmed(self, as_of: datetime.date) -> "TenureQuerySet":
        """unconfirmed(as_of) with dated evidence, oldest evidence first: a walk of the index
        tenure_unconfirmed from its start, reading no confirmed tenure."""
        cutoff = months_before(as_of, settings.UNCONFIRMED_AFTER_MONTHS)
        return (
            self.no_end_recorded().filter(confirmed_before(cutoff)).order_by("last_confirmed", "pk")
        )

    def undated_no_end(self) -> "TenureQuerySet":
        """Tenures with no end recorded that no dated evidence confirms, by id: the same index
        (ordered as it is, so PostgreSQL walks it rather than sorting what it finds)."""
        return (
            self.no_end_recorded()
            .filter(last_confirmed__isnull=True)
            .order_by("last_confirmed", "pk")
        )

    def neither_current_nor_ended(self) -> "TenureQuerySet":
        """Neither current() nor ended(): no end, yet not held today as far as the record
        knows (known only by attestation, or succeeded)."""
        return self.filter(NEITHER_CURRENT_NOR_ENDED)

    def single_seat_conflicts(
        self, company_id: int, role_id: int, intervals: Intervals
    ) -> "TenureQuerySet":
        """Single-seat tenures whose certain interval shares two or more days with intervals."""
        if not intervals.has_certain_days or intervals.certain_start == intervals.certain_end:
            # A single certain day shares at most one day with anything: a hand-over.
            return self.none()
        # Sharing two or more days: each interval starts before the other one ends, and each
        # spans two days at least (as the '[)' ranges of the PostgreSQL constraint do).
        overlap = Q(certain_end__isnull=True) | (
            Q(certain_end__gt=intervals.certain_start) & Q(certain_end__gt=F("certain_start"))
        )
        if intervals.certain_end is not None:
            overlap &= Q(certain_start__lt=intervals.certain_end)
        return self.filter(
            overlap, company_id=company_id, role_id=role_id, single_seat=True, has_certain_days=True
        )

    def first_overlapping_pair(self) -> "tuple[Tenure, Tenure] | None":
        """
        Two of these tenures, of one role at one company, whose certain intervals share two
        or more days (the single-seat rule), whether or not the role is single-seat now.
        """
        spans = (
            self.filter(has_certain_days=True)
            .filter(Q(certain_end__isnull=True) | Q(certain_end__gt=F("certain_start")))
            .select_related("person", "company", "role")
            .order_by("company_id", "role_id", "certain_start", "pk")
        )
        # Sorted by start, each spanning two days at least: one shares two or more days with
        # an earlier one exactly when it starts before the latest end seen so far.
        latest = None
        for tenure in spans.iterator():
            if latest is None or (latest.company_id, latest.role_id) != (
                tenure.company_id,
                tenure.role_id,
            ):
                latest = tenure
                continue
            if latest.certain_end is None or tenure.certain_start < latest.certain_end:
                return latest, tenure
            if tenure.certain_end is None or tenure.certain_end > latest.certain_end:
                latest = tenure
        return None

    def for_display(self) -> "TenureQuerySet":
        """Everything a page shows of a tenure (names, succession, sources, attested days),
        fetched in a fixed number of queries however many tenures there are."""
        return self.select_related(
            "person", "company", "role", "predecessor__person"
        ).prefetch_related(
            models.Prefetch("citations", queryset=Citation.objects.select_related("source")),
            models.Prefetch("attestations", queryset=Attestation.objects.select_related("source")),
            models.Prefetch("successors", queryset=Tenure.objects.select_related("person")),
        )

    def with_facts(self) -> "TenureQuerySet":
        """Everything derive_intervals reads, fetched in a fixed number of queries."""
        return self.select_related("company", "person", "role").prefetch_related(
            "attestations__source", "citations__source", "successors"
        )

    def refresh_last_confirmed(self) -> None:
        """Recompute last_confirmed of these tenures in one SQL statement (indexed lookups per
        tenure), for bulk writes that derive the intervals themselves: the import."""
        ids_sql, params = self.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(LATEST_EVIDENCE_SQL.format(ids=ids_sql), params)

    def refresh_intervals(self) -> int:
        """Recompute stored intervals; write (without a history row: they are derived) those that changed."""
        changed = 0
        predecessors_to_refresh = set()
        for tenure in self.with_facts():
            before = [getattr(tenure, name) for name in DERIVED_FIELDS]
            tenure.apply_derived()
            after = [getattr(tenure, name) for name in DERIVED_FIELDS]
            if before != after:
                Tenure.objects.filter(pk=tenure.pk).update(
                    **dict(zip(DERIVED_FIELDS, after, strict=True))
                )
                changed += 1
                # A successor's certain start bounds its predecessor's possible end.
                if tenure.predecessor_id and before[:3] != after[:3]:
                    predecessors_to_refresh.add(tenure.predecessor_id)
        if predecessors_to_refresh:
            changed += Tenure.objects.filter(pk__in=predecessors_to_refresh).refresh_intervals()
        return changed


class Tenure(InferredFacts, models.Model):
    inferable_fields = INFERABLE_FIELDS

    class EndReason(models.TextChoices):
        RESIGNED = "resigned", "Resigned"
        RETIRED = "retired", "Retired"
        REMOVED = "removed", "Removed"
        TERM_EXPIRED = "term_expired", "Term expired"
        DIED = "died", "Died"
        SUCCEEDED = "succeeded", "Succeeded"
        OTHER = "other", "Other"

    # CASCADE: a tenure is a fact about its person and company, nothing without them.
    person = HistoricForeignKey(
        Person, on_delete=models.CASCADE, related_name="tenures", help_text="Who held the role."
    )
    company = HistoricForeignKey(
        Company, on_delete=models.CASCADE, related_name="tenures", help_text="Where."
    )
    # PROTECT: the catalogue of roles must not lose a role that tenures use.
    role = HistoricForeignKey(
        Role,
        on_delete=models.PROTECT,
        related_name="tenures",
        help_text="Which role, from the catalogue.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The title exactly as the source words it; empty: the role's name.",
    )
    start = PartialDateField(
        null=True,
        blank=True,
        help_text="First day held, at the source's precision; empty if unknown.",
    )
    end = PartialDateField(
        null=True,
        blank=True,
        help_text="Last day held, at the source's precision; empty if no end is known.",
    )
    end_reason = models.CharField(
        max_length=20,
        choices=EndReason.choices,
        blank=True,
        help_text="Why it ended. With no end date, the tenure has ended at an unknown date.",
    )
    # SET_NULL: the successor's own facts stand if the tenure it followed is deleted.
    predecessor = HistoricForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="The tenure in the same role at the same company that this one succeeded.",
    )
    notes = models.TextField(
        blank=True, help_text="Anything a reader should know about this tenure."
    )

    inferred = models.CharField(
        max_length=100,
        blank=True,
        help_text=(
            "Which of its facts the record states beyond the words of its sources: any of "
            + ", ".join(INFERABLE_FIELDS)
            + f", separated by {INFERRED_SEPARATOR!r}."
        ),
    )
    inferred_note = models.TextField(
        blank=True, help_text="How the inferred facts were inferred, from what."
    )

    # Derived from the facts above by derive_intervals(); never edited by hand.
    single_seat = models.BooleanField(
        default=False,
        editable=False,
        help_text="Copied from the role, for the exclusion constraint.",
    )
    has_certain_days = models.BooleanField(
        default=False, editable=False, help_text="False: no day is certain (certain bounds empty)."
    )
    certain_start = models.DateField(null=True, editable=False, help_text="First certain day.")
    certain_end = models.DateField(
        null=True, editable=False, help_text="Last certain day; empty: open (current)."
    )
    possible_start = models.DateField(
        null=True, editable=False, help_text="First possible day; empty: since ever."
    )
    possible_end = models.DateField(
        null=True, editable=False, help_text="Last possible day; empty: open."
    )
    last_confirmed = PartialDateField(
        null=True,
        editable=False,
        help_text="The latest of its attested days and its dated sources' dates; empty: none.",
    )
    history = record_history()

    objects = TenureQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                "person",
                "company",
                "role",
                Coalesce("start", Value(""), output_field=models.CharField()),
                name="tenure_unique",
                violation_error_message=(
                    "This person already has a tenure in this role at this company with this start."
                ),
            ),
            # Refuses an end surely before the start: end.last < start.first. Partial dates
            # are ISO text, so that is: end sorts before start and is not a prefix of it.
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(end__gte=F("start"))
                | Q(start__startswith=F("end")),
                name="tenure_end_not_before_start",
                violation_error_message="The end is surely before the start.",
            ),
            models.CheckConstraint(
                condition=Q(predecessor__isnull=True) | ~Q(predecessor=F("pk")),
                name="tenure_not_own_predecessor",
                violation_error_message="A tenure cannot succeed itself.",
            ),
        ]
        indexes = [
            # held_on / possibly_held_on for one company's timeline and the ?on= view.
            models.Index(
                fields=["company", "role", "certain_start"], name="tenure_company_certain"
            ),
            # A person's career path.
            models.Index(fields=["person", "start"], name="tenure_person_start"),
            # The admin's tenure list in its order (Meta.ordering): a page is a walk of this
            # index, and so is a page of its end reason filter.
            models.Index(fields=["start", "id"], name="tenure_start"),
            # The admin's role filter: a walk from the role, not past every other role's rows.
            models.Index(fields=["role", "start", "id"], name="tenure_role_start"),
            # The admin's status filter, "current" and "neither": a page is a walk of these.
            models.Index(fields=["start", "id"], condition=CURRENT, name="tenure_current_start"),
            models.Index(
                fields=["start", "id"],
                condition=NEITHER_CURRENT_NOR_ENDED,
                name="tenure_neither_start",
            ),
            # /quality/'s oldest unconfirmed tenures (oldest_unconfirmed: a range from the
            # index's start) and undated ones (undated_no_end: last_confirmed IS NULL, by id).
            models.Index(
                fields=["last_confirmed", "id"],
                condition=NO_END_RECORDED,
                name="tenure_unconfirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_label} ({self.dates_display})"

    def get_absolute_url(self) -> str:
        return url_with_key("company", self.company.slug) + f"#tenure-{self.pk}"

    @property
    def holder_label(self) -> str:
        """'Pat Anderson, President at Innovo Group Inc.': who held what where, without dates
        (which depend on derived columns a historical row may hold stale)."""
        person, company = self._related_label("person"), self._related_label("company")
        return f"{person}, {self.title or self._related_label('role')} at {company}"

    def _related_label(self, name: str) -> str:
        """The related record's name; in a past state taken after that record was deleted (a
        tenure deleted with its person), its last name in history, marked deleted."""
        try:
            return str(getattr(self, name))
        except ObjectDoesNotExist:
            field = self._meta.get_field(name)
            model = field.related_model
            last = (
                model.history.filter(**{model._meta.pk.attname: getattr(self, field.attname)})
                .order_by("-history_date", "-history_id")
                .first()
            )
            return f"{last.instance} (deleted)" if last else f"a deleted {model._meta.verbose_name}"

    def start_order(self) -> tuple:
        return start_order(self.start, self.certain_start, self.pk)

    @property
    def ended(self) -> bool:
        return self.end is not None or bool(self.end_reason)

    @property
    def is_current(self) -> bool:
        return self.has_certain_days and self.certain_end is None and self.possible_end is None

    def confirmation(self, today: datetime.date) -> Confirmation | None:
        """None when an end is recorded (a date, a reason or a successor); else whether recent
        evidence confirms it is held (settings.UNCONFIRMED_AFTER_MONTHS)."""
        if self.ended or self.possible_end is not None:
            return None
        cutoff = months_before(today, settings.UNCONFIRMED_AFTER_MONTHS)
        last = self.last_confirmed
        state = "undated" if last is None else "unconfirmed" if last.first < cutoff else "current"
        return Confirmation(state, last)

    @property
    def unsourced(self) -> bool:
        """Cites no source: pages mark it "unsourced". Reads an is_unsourced annotation
        (governance.pages.quality.with_unsourced_flag) or prefetched citations when there are."""
        if hasattr(self, "is_unsourced"):
            return self.is_unsourced
        return not self.citations.all()

    @property
    def dates_display(self) -> str:
        """'Jul 1990 – Sep 2004', 'Jan 1999 –', 'attested 7 Feb 2003 – 8 Sep 2004'."""
        if self.start is None and self.end is None and self.has_certain_days:
            first, last = self.certain_start, self.certain_end
            if first == last:
                return f"attested {PartialDate.from_date(first)}"
            return f"attested {PartialDate.from_date(first)} – {PartialDate.from_date(last)}"
        start = str(self.start) if self.start else "?"
        if self.end is not None:
            return f"{start} – {self.end}"
        if self.ended:
            return f"{start} – ended, date unknown"
        return f"{start} –"

    def derive_intervals(self, attested_days=None) -> Intervals:
        """This tenure's intervals from its facts; unsaved or changed facts are read as they are now."""
        if attested_days is None:
            attested_days = [a.day for a in self.attestations.all()] if self.pk else []
        latest_source_day = None
        successor_starts = []
        if self.pk:
            source_days = [c.source.date.last for c in self.citations.all() if c.source.date]
            latest_source_day = max(source_days, default=None)
            successor_starts = [
                s.certain_start for s in self.successors.all() if s.has_certain_days
            ]
        return derive_intervals(
            start=self.start,
            end=self.end,
            ended=self.ended,
            attested_days=attested_days,
            latest_source_day=latest_source_day,
            founded=self.company.founded if self.company_id else None,
            successor_certain_start=min(successor_starts, default=None),
        )

    def apply_intervals(self, intervals: Intervals) -> None:
        for name in INTERVAL_FIELDS:
            setattr(self, name, getattr(intervals, name))

    def derive_last_confirmed(self) -> PartialDate | None:
        """The latest evidence of this tenure, from its facts as they are now."""
        if not self.pk:
            return None
        attestations = list(self.attestations.all())
        sources = [c.source for c in self.citations.all()] + [a.source for a in attestations]
        return latest_evidence(
            [a.day for a in attestations], [s.date for s in sources if s and s.date]
        )

    def apply_derived(self) -> None:
        """Recompute every derived column from the facts: intervals and last confirmed."""
        self.apply_intervals(self.derive_intervals())
        self.last_confirmed = self.derive_last_confirmed()

    def first_conflict(self, attested_days=None) -> "Tenure | None":
        """The first single-seat tenure whose certain days overlap this one's by two or more."""
        if not (self.role_id and self.company_id and self.role.single_seat):
            return None
        return (
            Tenure.objects.single_seat_conflicts(
                self.company_id, self.role_id, self.derive_intervals(attested_days)
            )
            .exclude(pk=self.pk)
            .select_related("person", "company", "role")
            .first()
        )

    @staticmethod
    def conflict_message(other: "Tenure") -> str:
        return (
            f"{other.role} is a single-seat role and this tenure would overlap {other} "
            "by two or more certain days."
        )

    def clean(self):
        errors = {}
        if message := end_before_start(self.start, self.end):
            errors["end"] = f"{capfirst(message)}."
        errors |= self._predecessor_errors()
        if self.pk and not errors:
            # The same rule seen from the other end: an edit must not break a succession.
            errors |= self._successor_errors()
        if not errors:
            conflict = self.first_conflict()
            if conflict is not None:
                errors["__all__"] = self.conflict_message(conflict)
        if errors:
            raise ValidationError(errors)

    def _predecessor_errors(self) -> dict[str, str]:
        predecessor = self.predecessor
        if predecessor is None or not (self.role_id and self.company_id):
            return {}
        if predecessor.pk == self.pk:
            return {"predecessor": "A tenure cannot succeed itself."}
        if (predecessor.role_id, predecessor.company_id) != (self.role_id, self.company_id):
            return {
                "predecessor": (
                    f"The predecessor must hold the same role ({self.role}) at the same company "
                    f"({self.company}); {predecessor} does not."
                )
            }
        if start_key(predecessor.start) >= start_key(self.start):
            return {
                "predecessor": (
                    f"The predecessor must start before this tenure; {predecessor} does not."
                )
            }
        return {}

    def _successor_errors(self) -> dict[str, str]:
        errors = {}
        for successor in self.successors.select_related("person", "company", "role"):
            if (successor.role_id, successor.company_id) != (self.role_id, self.company_id):
                errors["__all__"] = (
                    f"{successor} succeeds it, so it must stay {successor.role} at "
                    f"{successor.company}."
                )
            elif start_key(self.start) >= start_key(successor.start):
                errors["start"] = (
                    f"{successor} succeeds it, so it must start before {successor.start or 'it'}."
                )
        return errors

    def save(self, *args, **kwargs):
        if not self.title and self.role_id:
            self.title = self.role.name
        if self.role_id:
            self.single_seat = self.role.single_seat
        previous_predecessor_id = (
            Tenure.objects.filter(pk=self.pk).values_list("predecessor_id", flat=True).first()
            if self.pk
            else None
        )
        self.apply_derived()
        super().save(*args, **kwargs)
        predecessors = {self.predecessor_id, previous_predecessor_id} - {None}
        if predecessors:
            Tenure.objects.filter(pk__in=predecessors).refresh_intervals()

    def refresh_intervals(self) -> None:
        Tenure.objects.filter(pk=self.pk).refresh_intervals()
        self.refresh_from_db(fields=DERIVED_FIELDS)


@receiver(post_delete, sender=Tenure)
@receiver(post_delete, sender=Citation)
@receiver(post_delete, sender=Attestation)
def _refresh_after_delete(sender, instance, **kwargs):
    """
    Recompute the intervals a deleted record bore on: a tenure's attested days and its
    sources' dates, a successor's certain start on its predecessor's possible end.

    A signal rather than delete(): a cascade (deleting a source, a person, a company) or a
    queryset's delete() never calls the model's delete(), but sends post_delete for each.
    """
    tenure_id = instance.predecessor_id if sender is Tenure else instance.tenure_id
    if tenure_id is not None:
        Tenure.objects.filter(pk=tenure_id).refresh_intervals()
