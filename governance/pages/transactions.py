"""Related-party transactions as pages tell them: a sentence naming the parties and, computed
from the record, the roles each person held at the company that day ("a director"), with
the same certain/possible honesty as the rest of the record."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from governance.history.record_time import held_on
from governance.models import Role, Tenure, Transaction, TransactionParty


def _role_phrase(tenure: Tenure) -> str:
    """'a director', 'the Chief Financial Officer': a seat among several, or the one seat."""
    if tenure.role.single_seat:
        return f"the {tenure.title or tenure.role.name}"
    title = tenure.title or tenure.role.name
    return f"a {title.lower()}" if tenure.role.kind == Role.Kind.BOARD else f"a {title}"


def roles_on(person_id: int, transaction: Transaction, tenures: Iterable[Tenure]) -> str:
    """The person's roles at the transaction's company on its date: 'a director', 'a director
    and possibly the President'; '' when the record shows none or the date is unknown."""
    if transaction.date is None:
        return ""
    theirs = [
        t for t in tenures if t.person_id == person_id and t.company_id == transaction.company_id
    ]
    on_first = held_on(theirs, transaction.date.first)
    on_last = held_on(theirs, transaction.date.last)
    # Certain on every day the date may mean; possible on some day of it.
    certain = [t for t in on_first.certain if t in on_last.certain]
    maybe = on_first.certain + on_first.only_possible + on_last.certain + on_last.only_possible
    possible = [t for t in theirs if t in maybe and t not in certain]
    phrases = [_role_phrase(t) for t in certain]
    phrases += [f"possibly {_role_phrase(t)}" for t in possible]
    return " and ".join(phrases)


@dataclass
class PartyLine:
    party: TransactionParty
    roles: str  # the person's roles at the company that day, or ''

    @property
    def name(self) -> str:
        return str(self.party.person or self.party.company)

    @property
    def record(self):
        return self.party.person or self.party.company

    @property
    def text(self) -> str:
        """'Marc B. Crossman (lender), a director'."""
        text = f"{self.name} ({self.party.get_part_display()})"
        return f"{text}, {self.roles}" if self.roles else text


@dataclass
class TransactionStory:
    transaction: Transaction
    parties: list[PartyLine]
    sources: list  # the documents stating it, in order

    @property
    def pk(self) -> int:
        return self.transaction.pk

    def _party(self, part: str) -> PartyLine | None:
        return next((p for p in self.parties if p.party.part == part), None)

    @property
    def sentence(self) -> str:
        """'Innovo Group Inc. issued a $250,000 promissory note at 8% to Marc B. Crossman, a
        director; due 8 Aug 2003'."""
        tx = self.transaction
        lender, borrower = self._party("lender"), self._party("borrower")
        terms = " ".join(part for part in [tx.amount_display, tx.instrument or "loan"] if part)
        if tx.rate_display:
            terms += f" at {tx.rate_display}"
        if tx.kind == Transaction.Kind.LOAN and lender and borrower:
            who = f"{lender.name}, {lender.roles}" if lender.roles else lender.name
            if borrower.party.company_id == tx.company_id:
                sentence = f"{borrower.name} issued {_article(terms)} {terms} to {who}"
            else:
                sentence = f"{lender.name} lent {borrower.name} {terms}"
        else:
            parts = "; ".join(line.text for line in self.parties)
            sentence = f"{tx.company}: {tx.kind_label}" + (f" with {parts}" if parts else "")
        if tx.due:
            sentence += f"; due {tx.due}"
            if tx.extended_due:
                sentence += f", extendable to {tx.extended_due}"
        return sentence

    @property
    def kind_note(self) -> str:
        """'loan (inferred: …)' where the documents do not name the kind."""
        tx = self.transaction
        if not tx.kind_inferred:
            return tx.kind_label
        return f"{tx.kind_label} (inferred{': ' + tx.inferred_note if tx.inferred_note else ''})"

    @property
    def details(self) -> list[str]:
        """The lines a timeline mark shows on hover or focus."""
        tx = self.transaction
        labels = [source.short_label for source in self.sources]
        return [
            f"{tx.date or 'Date unknown'}: {self.sentence}",
            "Parties: " + "; ".join(line.text for line in self.parties),
            f"Kind: {self.kind_note}",
            "Sources: " + "; ".join(labels) if labels else "No source cited",
        ]


def _article(words: str) -> str:
    return "an" if words[:1].lower() in "aeiou" else "a"


def stories(
    transactions: Iterable[Transaction], tenures: Iterable[Tenure]
) -> list[TransactionStory]:
    """Each transaction told with its parties' roles on its date, from tenures (those of the
    company, or of the person, already fetched: no query per transaction)."""
    tenures = list(tenures)
    return [
        TransactionStory(
            tx,
            [
                PartyLine(party, roles_on(party.person_id, tx, tenures) if party.person_id else "")
                for party in tx.parties.all()
            ],
            [citation.source for citation in tx.citations.all()],
        )
        for tx in transactions
    ]


def stated_by(source) -> list[TransactionStory]:
    """The transactions whose terms source states, told: a fixed number of queries."""
    transactions = list(Transaction.objects.stated_by(source).for_display())
    people = {p.person_id for tx in transactions for p in tx.parties.all() if p.person_id}
    tenures = Tenure.objects.filter(
        person_id__in=people, company_id__in={tx.company_id for tx in transactions}
    ).select_related("role")
    return stories(transactions, tenures if people else [])
