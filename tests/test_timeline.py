import datetime

from governance.models import Company, Tenure
from governance.pages.events import company_events, start_verb
from governance.pages.timeline import Axis, axis_for, build_chart

TODAY = datetime.date(2026, 11, 25)


def test_axis_maps_days_to_percentages_and_clamps():
    axis = Axis(datetime.date(2000, 1, 1), datetime.date(2010, 1, 1))
    assert axis.x(datetime.date(2000, 1, 1)) == 0
    assert axis.x(datetime.date(2010, 1, 1)) == 100
    assert 49 < axis.x(datetime.date(2005, 1, 1)) < 51
    assert axis.x(datetime.date(1990, 1, 1)) == 0


def test_axis_takes_whole_years_and_thins_labels():
    axis = axis_for([datetime.date(1989, 6, 1), None, TODAY])
    assert (axis.start, axis.end) == (datetime.date(1989, 1, 1), datetime.date(2027, 1, 1))
    labelled = [year for _, year, labelled, _ in axis.years() if labelled]
    assert labelled == [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2025]
    anchors = {
        year: anchor for _, year, _, anchor in axis_for([datetime.date(1990, 7, 1), TODAY]).years()
    }
    assert (anchors[1990], anchors[2000], anchors[2027]) == ("start", "middle", "end")


def test_axis_takes_in_the_first_and_last_days_a_date_can_name():
    # 9999-12-31 is a valid end: the axis must not reach for 1 January 10000 (was a 500).
    axis = axis_for([datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])
    assert (axis.start, axis.end) == (datetime.date(1, 1, 1), datetime.date(9999, 12, 31))
    assert axis.x(datetime.date(9999, 12, 31)) == 100
    assert axis.years()[-1][1] == 9999


def test_a_tenure_to_9999_12_31_is_drawn(demo):
    from governance.models import Role
    from governance.models.partial_date import PartialDate
    from people.models import Person

    Tenure.objects.create(
        person=Person.objects.create(name="Edge Case"),
        company=Company.objects.get(slug="innovo-group"),
        role=Role.objects.get(slug="secretary"),
        start=PartialDate(1),
        end=PartialDate(9999, 12, 31),
    )
    bar = bars(demo_chart())[("Edge Case", "secretary")]
    assert bar.possible_x + bar.possible_width == 100


def demo_chart(**kwargs):
    tenures = list(Tenure.objects.filter(company__slug="innovo-group").for_display())
    lanes = {}
    for tenure in tenures:
        lanes.setdefault(tenure.role.name, []).append(tenure)
    return build_chart(list(lanes.items()), today=TODAY, label=lambda t: t.person.name, **kwargs)


def bars(chart):
    return {(bar.label, bar.tenure.role.slug): bar for lane in chart.lanes for bar in lane.bars}


def test_month_precision_ends_are_fuzzy_never_precise(demo):
    anderson = bars(demo_chart())[("Pat Anderson", "president")]
    assert anderson.fuzzy_start and anderson.fuzzy_end
    # Certain up to 1 Sep 2004, possible up to 8 Sep 2004 (Crossman's certain start).
    assert anderson.certain_end_x < anderson.possible_end_x


def test_an_unknown_start_is_drawn_from_the_founding_not_a_guessed_date(demo):
    chart = demo_chart()
    furrow = bars(chart)[("Samuel J. Furrow, Jr.", "ceo")]
    assert furrow.start_unknown
    assert furrow.possible_x == 0  # 1 Jan 1989: the company was founded in 1989
    assert furrow.certain_x == chart.axis.x(datetime.date(2003, 2, 7))
    assert furrow.certain_end_x == chart.axis.x(datetime.date(2004, 9, 8))


def test_current_tenures_run_to_today(demo, settings):
    settings.UNCONFIRMED_AFTER_MONTHS = 12 * 100
    chart = demo_chart()
    crossman = bars(chart)[("Marc B. Crossman", "director")]
    assert crossman.open_end and crossman.certain_end_x == chart.today_x


def test_overlapping_tenures_get_separate_tracks(demo):
    chart = demo_chart()
    director_lane = next(lane for lane in chart.lanes if lane.title == "Director")
    assert sorted(bar.track for bar in director_lane.bars) == [0, 1]
    assert (
        director_lane.height
        > next(lane for lane in chart.lanes if lane.title == "President").height
    )


def test_an_end_note_stops_short_of_the_successors_name_on_its_track(demo):
    """Anderson's "resigned" ended where Crossman's name began: "resignedMarc B. Crossman"."""
    from governance.pages.timeline import NOTE_GAP, _text_width

    president = next(lane for lane in demo_chart().lanes if lane.title == "President")
    anderson, crossman = sorted(president.bars, key=lambda bar: bar.possible_x)
    assert anderson.track == crossman.track and anderson.ended_note == "resigned"
    assert anderson.note_x is not None
    assert anderson.note_x <= crossman.label_x - NOTE_GAP
    assert anderson.label_x + _text_width(anderson.label) < anderson.note_x


def test_the_on_day_is_marked(demo):
    day = datetime.date(2004, 9, 8)
    chart = demo_chart(on_day=day)
    assert chart.on_label == "8 Sep 2004"
    assert chart.on_x == chart.axis.x(day)


def test_no_tenures_no_chart():
    assert build_chart([], today=TODAY, label=str) is None


def test_start_verb_reads_the_cited_passage(demo):
    tenures = {(t.person.slug, t.role.slug): t for t in Tenure.objects.for_display()}
    assert start_verb(tenures[("marc-b-crossman", "president")]) == "elected"
    # "the newly elected President, Mr. Crossman, has served as a Director" is no election.
    assert start_verb(tenures[("marc-b-crossman", "director")]) == "became"


def test_company_events_are_in_date_order_with_hand_overs_ends_first(demo):
    company = Company.objects.get(slug="innovo-group")
    tenures = list(Tenure.objects.at(company).for_display())
    events = company_events(company, tenures, company.founders.select_related("person"))
    summary = [(str(e.date), e.person.name, e.kind) for e in events]
    assert summary[0] == ("1989", "Pat Anderson", "founding")
    assert summary[-2:] == [
        ("8 Sep 2004", "Samuel J. Furrow, Jr.", "attested"),
        ("8 Sep 2004", "Marc B. Crossman", "start"),
    ]
