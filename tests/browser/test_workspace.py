"""The annotate page in Chromium: select, label, attribute, score, persist, and never lose work."""

import re

import pytest
from playwright.sync_api import expect

from annotator.models import ArticleAssessment, AssignmentStatus, Span
from annotator.text import codepoint_to_utf16
from tests.browser.workspace import drag_select, open_workspace, wait_saved
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "Kyrylo Budanov said that more than 10,000 North Korean troops will fight. "
    "Kremlin spokesperson Dmitry Peskov called the reports fake news. "
    "Experts doubt the figures."
)


@pytest.fixture
def assignment(project, analyst):
    return AssignmentFactory(article=ArticleFactory(project=project, text=TEXT, title="Troops"), analyst=analyst)


def test_analyst_labels_a_dragged_selection_with_a_hotkey_and_finds_it_after_reload(
    open_page, live_server, assignment, analyst, project
):
    SourceFactory(project=project, name="Kyrylo Budanov", aliases=["head of Ukrainian intelligence"])
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)
    start, end = TEXT.index("more than"), TEXT.index(" will fight")

    drag_select(page, start, end)
    page.keyboard.press("1")
    wait_saved(page)
    page.keyboard.press("4")
    page.keyboard.press("s")
    page.keyboard.type("ukrainian intel")
    page.wait_for_selector("#source-options li[aria-selected=true]")
    page.keyboard.press("Enter")
    wait_saved(page)
    page.reload()
    page.wait_for_selector("#workspace[data-state=ready]")

    span = Span.objects.get()
    assert (span.start, span.end, span.quote) == (start, end, "more than 10,000 North Korean troops")
    assert (span.label.key, span.credibility, span.source.name) == ("claim", 4, "Kyrylo Budanov")
    item = page.locator("#span-list li").first
    assert "Claim" in item.inner_text() and "Kyrylo Budanov" in item.inner_text() and "★ 4" in item.inner_text()
    assert page.locator(".seg").first.inner_text() == "more than 10,000 North Korean troops"
    assert page.errors == []


def test_label_button_labels_the_selection_and_snaps_to_whole_words(open_page, live_server, assignment, analyst):
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)
    start = TEXT.index("Peskov") + 2  # from the middle of a word

    drag_select(page, start, TEXT.index(" called") - 1)
    page.click("button.label-button[data-label=denial]")
    wait_saved(page)

    span = Span.objects.get()
    assert span.quote == "Peskov"
    assert span.label.key == "denial"


def test_overlapping_and_nested_spans_are_all_visible_and_clickable(open_page, live_server, assignment, analyst):
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)
    outer = (TEXT.index("Kremlin"), TEXT.index(" called"))
    inner = (TEXT.index("Dmitry"), TEXT.index(" called"))

    drag_select(page, *outer)
    page.keyboard.press("2")
    wait_saved(page)
    page.keyboard.press("Escape")
    drag_select(page, *inner)
    page.keyboard.press("3")
    wait_saved(page)

    assert Span.objects.count() == 2
    shared = page.locator(".seg", has_text="Dmitry Peskov")
    expect(shared).to_have_attribute("data-keys", re.compile(r"^\S+ \S+$"))  # both spans, once drawn
    shared.click()
    first = page.locator("#editor-quote").inner_text()
    shared.click()
    second = page.locator("#editor-quote").inner_text()
    assert {first, second} == {"Dmitry Peskov", "Kremlin spokesperson Dmitry Peskov"}


def test_analyst_edits_and_deletes_a_span_and_undo_brings_it_back(open_page, live_server, assignment, analyst):
    span = SpanFactory(assignment=assignment, start=0, end=14)
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)

    page.locator("#span-list li").first.click()
    page.locator("#editor-labels button", has_text="Expert opinion").click()
    page.fill("#span-note", "Quoted second-hand")
    page.locator("#span-note").blur()
    wait_saved(page)
    span.refresh_from_db()
    assert (span.label.key, span.note, span.version) == ("expert_opinion", "Quoted second-hand", 3)

    page.click("#delete-span")
    wait_saved(page)
    assert not Span.objects.exists()

    page.click("#undo")
    wait_saved(page)
    restored = Span.objects.get()
    assert (restored.quote, restored.label.key, restored.note) == ("Kyrylo Budanov", "expert_opinion", "Quoted second-hand")


def test_article_score_comment_and_submit_lock_the_assignment(open_page, live_server, assignment, analyst):
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)

    page.locator("#article-scores button", has_text="2").click()
    page.fill("#article-comment", "Single anonymous source")
    page.locator("#article-comment").blur()
    wait_saved(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-assignment")
    page.wait_for_selector("#workspace[data-submitted=true]")

    assignment.refresh_from_db()
    assessment = ArticleAssessment.objects.get(assignment=assignment)
    assert (assessment.credibility, assessment.comment) == (2, "Single anonymous source")
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert page.locator("#locked-note").is_visible()
    assert page.locator(".label-button").first.is_disabled()


def test_selection_on_emoji_and_combining_marks_has_python_offsets(open_page, live_server, project, analyst):
    text = "Peskov 🇷🇺 said “fake news” 👩🏽‍💻 about e\u0301lite units. Zelenskyy’s café disagreed."
    assignment = AssignmentFactory(article=ArticleFactory(project=project, text=text), analyst=analyst)
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)
    start, end = text.index("e\u0301lite"), text.index(" units")

    drag_select(page, start, end)
    page.keyboard.press("1")
    wait_saved(page)
    drag_select(page, text.index("Zelenskyy’s"), text.index(" disagreed"))
    page.keyboard.press("2")
    wait_saved(page)

    quotes = {(s.start, s.end, s.quote) for s in Span.objects.all()}
    assert quotes == {
        (start, end, text[start:end]),
        (text.index("Zelenskyy’s"), text.index(" disagreed"), "Zelenskyy’s café"),
    }
    assert text[start:end] == "e\u0301lite"


ROUND_TRIP_TEXTS = [
    "Peskov 🇷🇺 said “fake news” 👩🏽‍💻 about e\u0301lite units.",
    "𝐁𝐨𝐥𝐝 math, 漢字, ﷺ and a lone combining mark \u0301 at the start of nothing",
    "line one\nline two\n\n🙂🙂🙂 three astral smileys in a row",
]


@pytest.mark.parametrize("sample", ROUND_TRIP_TEXTS, ids=["emoji-and-marks", "astral-letters", "newlines"])
def test_offsets_js_agrees_with_python_at_every_offset(open_page, live_server, analyst, sample):
    # Security case T36: the page converts selections (UTF-16) to code points exactly as annotator/text.py.
    page = open_page(analyst)

    tables = page.evaluate("""async (text) => {
      const { offsetTables, toCodePoint, toUtf16 } = await import('/static/annotator/offsets.js');
      const tables = offsetTables(text);
      const units = [], back = [];
      for (let cp = 0; cp <= tables.length; cp += 1) {
        units.push(toUtf16(tables, cp));
        back.push(toCodePoint(tables, toUtf16(tables, cp)));
      }
      return { length: tables.length, units, back };
    }""", sample)

    assert tables["length"] == len(sample)
    assert tables["units"] == [codepoint_to_utf16(sample, offset) for offset in range(len(sample) + 1)]
    assert tables["back"] == list(range(len(sample) + 1))


def test_blind_analyst_sees_none_of_another_analysts_work(open_page, live_server, project, analyst, analyst_b):
    article = ArticleFactory(project=project, text=TEXT)
    mine = AssignmentFactory(article=article, analyst=analyst)
    theirs = AssignmentFactory(article=article, analyst=analyst_b)
    SpanFactory(assignment=mine, start=0, end=14, note="A's private note")
    ArticleAssessment.objects.create(assignment=mine, credibility=5, comment="A's verdict")
    page = open_page(analyst_b)
    api_calls = []
    page.on("response", lambda response: api_calls.append(response.url) if "/api/" in response.url else None)

    open_workspace(page, live_server.url, theirs.id)
    content = page.content()

    assert page.locator("#span-list li").count() == 0
    assert "A's private note" not in content and "A's verdict" not in content
    assert all(f"/assignments/{mine.id}/" not in url for url in api_calls)
    response = page.goto(f"{live_server.url}/assignments/{mine.id}/annotate/")
    assert response.status == 404


def test_article_text_with_html_and_script_is_shown_as_text_and_runs_nothing(open_page, live_server, project, analyst):
    hostile = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> <a href="javascript:alert(1)">x</a>'
    article = ArticleFactory(project=project, title='<img src=x onerror="window.pwned = 3">', text=hostile)
    assignment = AssignmentFactory(article=article, analyst=analyst)
    page = open_page(analyst)

    open_workspace(page, live_server.url, assignment.id)

    assert page.evaluate("window.pwned") is None
    assert page.locator("#article-text").inner_text() == hostile
    assert page.locator("#article-text img, #article-text script, #article-text a").count() == 0
    assert page.locator("h1#article-title").inner_text() == '<img src=x onerror="window.pwned = 3">'
    assert page.errors == []


def test_span_saved_while_the_server_is_unreachable_stays_on_screen_and_saves_on_retry(
    open_page, live_server, assignment, analyst
):
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)
    page.route(re.compile(r".*/api/v1/assignments/\d+/spans/$"), lambda route: route.abort("connectionrefused"))

    drag_select(page, 0, 14)
    page.keyboard.press("1")
    page.wait_for_selector("#workspace[data-save=failed]")
    assert page.locator("#span-list li").count() == 1
    assert "not saved" in page.locator("#save-state").inner_text()
    assert not Span.objects.exists()

    page.unroute(re.compile(r".*/api/v1/assignments/\d+/spans/$"))
    page.click("#retry")
    wait_saved(page)

    assert Span.objects.get().quote == "Kyrylo Budanov"


def test_a_save_whose_answer_was_lost_is_retried_with_its_key_and_lands_once(open_page, live_server, assignment,
                                                                            analyst):
    # The first POST reaches the server and writes; its answer never reaches the page. The retry carries the
    # same Idempotency-Key and gets the stored answer back instead of a second write.
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)
    sent = []

    def lose_the_first_answer(route):
        sent.append(route.request.headers.get("idempotency-key"))
        if len(sent) == 1:
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/api/v1/assignments/\d+/spans/$"),
               lambda route: lose_the_first_answer(route) if route.request.method == "POST" else route.continue_())
    drag_select(page, 0, 14)
    page.keyboard.press("1")
    page.wait_for_selector("#workspace[data-save=failed]")
    with page.expect_response(re.compile(r".*/spans/$")) as retried:
        page.click("#retry")
    wait_saved(page)

    assert len(sent) == 2 and sent[0] and sent[0] == sent[1]
    assert retried.value.headers.get("idempotent-replayed") == "true"
    assert Span.objects.filter(assignment=assignment).count() == 1
    assert page.locator("#span-list li").count() == 1 and page.errors == []


def test_unsaved_span_survives_a_reload_and_is_saved_after_it(open_page, live_server, assignment, analyst):
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)
    page.route(re.compile(r".*/api/v1/assignments/\d+/spans/$"),
               lambda route: route.abort("connectionrefused") if route.request.method == "POST" else route.continue_())
    drag_select(page, 0, 14)
    page.keyboard.press("1")
    page.wait_for_selector("#workspace[data-save=failed]")
    page.unroute(re.compile(r".*/api/v1/assignments/\d+/spans/$"))

    page.reload()
    page.wait_for_selector("#workspace[data-state=ready]")
    wait_saved(page)

    assert Span.objects.get().quote == "Kyrylo Budanov"
    assert page.locator("#span-list li").count() == 1


def test_two_tabs_editing_one_span_show_a_conflict_and_overwrite_nothing_silently(
    open_page, live_server, assignment, analyst
):
    span = SpanFactory(assignment=assignment, start=0, end=14)
    first = open_page(analyst)
    open_workspace(first, live_server.url, assignment.id)
    second = first.context.new_page()
    open_workspace(second, live_server.url, assignment.id)

    first.locator("#span-list li").first.click()
    first.keyboard.press("2")
    wait_saved(first)
    second.locator("#span-list li").first.click()
    second.keyboard.press("5")
    second.wait_for_selector("#conflict:not([hidden])")

    span.refresh_from_db()
    assert span.credibility == 2
    assert "2" in second.locator("#conflict-theirs").inner_text()
    second.click("#keep-mine")
    wait_saved(second)
    span.refresh_from_db()
    assert (span.credibility, span.version) == (5, 3)


def test_two_tabs_scoring_the_article_keep_the_first_score_and_tell_the_second(
    open_page, live_server, assignment, analyst
):
    first = open_page(analyst)
    open_workspace(first, live_server.url, assignment.id)
    second = first.context.new_page()
    open_workspace(second, live_server.url, assignment.id)

    first.locator("#article-scores button", has_text="2").click()
    wait_saved(first)
    second.locator("#article-scores button", has_text="4").click()
    second.wait_for_selector("#assessment-error:has-text('another tab')")

    assert ArticleAssessment.objects.get(assignment=assignment).credibility == 2
    assert "to 2 (yours: 4)" in second.locator("#assessment-error").inner_text()
    assert second.locator("#article-scores button[aria-checked=true]").inner_text() == "2"
    second.locator("#article-scores button", has_text="4").click()
    wait_saved(second)
    assessment = ArticleAssessment.objects.get(assignment=assignment)
    assert (assessment.credibility, assessment.version) == (4, 2)
    assert second.locator("#assessment-error").inner_text() == ""


def test_score_whose_answer_was_lost_is_sent_again_without_a_false_conflict(
    open_page, live_server, assignment, analyst
):
    span = SpanFactory(assignment=assignment, start=0, end=14)
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)

    def save_then_cut(route):
        route.fetch()  # the server stores the change; the page never hears back
        route.abort("connectionreset")

    page.route(re.compile(r".*/api/v1/spans/\d+/$"), save_then_cut, times=1)
    page.locator("#span-list li").first.click()
    page.keyboard.press("3")
    page.wait_for_selector("#span-list li.status-saved")  # retried, answered 412, found stored as sent
    wait_saved(page)

    span.refresh_from_db()
    assert (span.credibility, span.version) == (3, 2)
    assert page.locator("#conflict").is_hidden()


def test_keyboard_only_analyst_selects_with_shift_arrows_and_labels(open_page, live_server, assignment, analyst):
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)
    page.uncheck("#snap-words")

    page.focus("#article-text")
    page.keyboard.press("Control+Home")
    for _ in range(len("Kyrylo Budanov")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("3")
    wait_saved(page)
    page.keyboard.press("5")
    wait_saved(page)

    span = Span.objects.get()
    assert (span.start, span.end, span.quote, span.label.key, span.credibility) == (
        0, 14, "Kyrylo Budanov", "expert_opinion", 5)
    focused = page.evaluate("document.activeElement.id")
    assert focused == "article-text"


def test_suggested_source_is_accepted_with_one_key(open_page, live_server, assignment, analyst, project):
    budanov = SourceFactory(project=project, name="Kyrylo Budanov")
    SourceFactory(project=project, name="Dmitry Peskov")
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)

    drag_select(page, TEXT.index("more than"), TEXT.index(" will fight"))
    page.keyboard.press("1")
    page.wait_for_selector("#source-suggestion:not([hidden])")
    assert page.locator("#accept-suggestion").inner_text() == "Kyrylo Budanov"
    page.keyboard.press("a")
    page.wait_for_selector("#current-source:has-text('Attributed to Kyrylo Budanov')")
    wait_saved(page)

    assert Span.objects.get().source == budanov
    assert page.locator("#source-suggestion").is_hidden()


def test_a_source_chosen_while_the_span_is_still_being_created_stays_chosen(open_page, live_server, assignment,
                                                                             analyst, project):
    budanov = SourceFactory(project=project, name="Kyrylo Budanov")
    page = open_page(analyst)
    open_workspace(page, live_server.url, assignment.id)
    held = []
    page.route("**/api/v1/assignments/*/spans/", lambda route: held.append(route))  # the create waits

    drag_select(page, TEXT.index("more than"), TEXT.index(" will fight"))
    page.keyboard.press("1")
    page.wait_for_selector("#source-suggestion:not([hidden])")
    page.keyboard.press("a")  # queued behind the create, which has not been answered yet
    page.wait_for_selector("#current-source:has-text('Attributed to Kyrylo Budanov')")
    page.wait_for_timeout(100)
    for route in held:
        route.continue_()
    page.unroute("**/api/v1/assignments/*/spans/")
    wait_saved(page)
    page.wait_for_load_state("networkidle")

    assert Span.objects.get().source == budanov
    assert page.locator("#source-suggestion").is_hidden()
    assert page.locator("#current-source").inner_text() == "Attributed to Kyrylo Budanov"
