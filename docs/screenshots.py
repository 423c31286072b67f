"""Screenshots for the documentation: the login page, an analyst's home, the annotate page and the admin.

Run from the repository root: ``.venv/bin/python docs/screenshots.py``. It seeds a throwaway SQLite database
with ``seed_demo`` in a temporary folder, serves it with ``manage.py runserver``, drives Debian's Chromium with
Playwright at 1280x800 and writes docs/screenshots/{login,home,annotate,admin}.png.

The demo submits every demo analyst's assignments, so the annotate page is locked at first: the reviewer
reopens analyst1's first assignment on the review page (with a comment, as a reviewer would), and analyst1
then labels four passages, attributes them and scores them, all through the page.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.workspace import drag_select  # noqa: E402  # needs ROOT on the path

sys.path.insert(0, str(ROOT / "bench"))
from _setup import free_port, start_server, stop_server  # noqa: E402  # the benchmarks' server helpers

OUTPUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}
REOPEN_COMMENT = "Please also mark who doubts the troop reports, and attribute each statement."


@dataclass(frozen=True, slots=True)
class SpanToDraw:
    quote: str            # the passage, found in the article text
    hotkey: str           # the label key: 1 claim, 2 denial, 3 expert opinion
    source_search: str    # typed into the source box ("" for no source)
    source: str           # the option to pick: a registry name, or a new source to create
    credibility: str      # digit pressed while the span is selected ("" for none)
    note: str = ""


# In the first article of the demo (seeds/000_...), passages the demo annotations leave out. The last one
# stays selected, so the screenshot shows its editor.
SPANS = [
    SpanToDraw("remains doubtful that this mobilization would already be effective", "3",
               "Monday", "Chris Monday", "3"),
    SpanToDraw("Neither a corpse nor a captured prisoner has yet served as undeniable proof of the presence of "
               "North Korean soldiers on the Ukrainian front", "2", "RFI", "RFI", "4"),
    SpanToDraw("the North Korean press agency remains silent", "1", "", "", ""),
    SpanToDraw("men from Pyongyang are fighting alongside the Russians", "1",
               "Ukrainian intel", "Ukrainian military intelligence (HUR)", "2",
               note="The outlet cites unnamed intelligence sources; no figure is given here."),
]
ARTICLE_SCORE = 2


# ---------------------------------------------------------------- database and server

def demo_password() -> str:
    with open(ROOT / "fixtures" / "demo_users.json", encoding="utf-8") as handle:
        return str(json.load(handle)["demo_password"])


def environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'demo.sqlite3'}",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="1",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        OTP_REQUIRED_ROLES="",  # as `make demo`: the demo reviewer and admin log in with a password
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def open_page(browser: Browser) -> Page:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.set_default_timeout(20_000)
    page.errors = []  # type: ignore[attr-defined]  # JavaScript errors, reported at the end
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    return page


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def shoot(page: Page, name: str) -> None:
    page.mouse.move(0, VIEWPORT["height"] - 1)  # no hover styles on the picture
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(OUTPUT / name))
    print(f"  wrote {(OUTPUT / name).relative_to(ROOT)}")


def reopen_as_reviewer(page: Page, article_title: str, analyst: str) -> None:
    page.click("a:text-is('Review queue')")
    page.locator("#queue a", has_text=article_title).click()
    page.wait_for_selector("#review[data-state=ready]")
    page.once("dialog", lambda dialog: dialog.accept(REOPEN_COMMENT))
    page.locator("#analysts li", has=page.locator(f"strong:text-is('{analyst}')")).locator("button").click()
    page.wait_for_selector("#review[data-save=saved]")


def select_passage(page: Page, start: int, end: int) -> None:
    """Drag over text[start:end] (code points) after scrolling it into the middle of the window."""
    page.evaluate(
        """(cp) => {
          const box = document.getElementById("article-text");
          const unit = Array.from(box.textContent).slice(0, cp).join("").length;
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          let node, seen = 0;
          while ((node = walker.nextNode()) && unit >= seen + node.length) seen += node.length;
          const range = document.createRange();
          range.setStart(node, unit - seen);
          range.setEnd(node, unit - seen + 1);
          window.scrollBy(0, range.getBoundingClientRect().top - window.innerHeight / 2);
        }""",
        start,
    )
    drag_select(page, start, end)
    page.wait_for_selector(f"#workspace[data-selection='{start}-{end}']")


def draw_span(page: Page, article_text: str, span: SpanToDraw) -> None:
    start = article_text.index(span.quote)
    select_passage(page, start, start + len(span.quote))
    page.keyboard.press(span.hotkey)
    page.wait_for_selector("#workspace[data-save=saved]")
    if span.source:
        page.keyboard.press("s")
        page.keyboard.type(span.source_search)
        option = page.locator("#source-options li .option-name")
        option.filter(has_text=span.source).first.click()  # "RFI" also matches "Create source “RFI”"
        page.wait_for_selector(f"#current-source:text('Attributed to {span.source}')")
        page.wait_for_selector("#workspace[data-save=saved]")
    if span.credibility:
        page.keyboard.press(span.credibility)
        page.wait_for_selector(f"#span-scores button[aria-checked=true]:text-is('{span.credibility}')")
        page.wait_for_selector("#workspace[data-save=saved]")
    if span.note:
        page.keyboard.press("n")
        page.keyboard.type(span.note)
        page.locator("#span-note").blur()  # the note is saved on change
        page.wait_for_selector("#workspace[data-save=saved]")


def annotate(page: Page, base: str, href: str) -> None:
    page.goto(f"{base}{href}")
    page.wait_for_selector("#workspace[data-state=ready]")
    article_text = page.evaluate("JSON.parse(document.getElementById('workspace-config').textContent).text")
    for span in SPANS:
        draw_span(page, article_text, span)
    score = page.locator(f"#article-scores button[aria-label='Credibility {ARTICLE_SCORE} of 5']")
    if score.get_attribute("aria-checked") != "true":  # a second click would clear the score
        score.click()
        page.wait_for_selector("#workspace[data-save=saved]")
    # Selecting a span scrolls its list item into view, which also scrolls the side pane past the editor;
    # the picture shows the top of both panes, as after the analyst scrolls back up.
    page.evaluate("window.scrollTo(0, 0); document.querySelector('.side-pane').scrollTop = 0")


def take_screenshots(base: str, password: str) -> list[str]:
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            visitor = open_page(browser)
            visitor.goto(f"{base}/login/")
            shoot(visitor, "login.png")

            analyst = open_page(browser)
            log_in(analyst, base, "analyst1", password)
            first = analyst.locator("table.list tbody tr a").first
            href, title = first.get_attribute("href"), first.inner_text()
            assert href is not None, "analyst1 has no assignment: did seed_demo run?"

            reviewer = open_page(browser)
            log_in(reviewer, base, "reviewer", password)
            reopen_as_reviewer(reviewer, title, "analyst1")

            annotate(analyst, base, href)
            shoot(analyst, "annotate.png")
            analyst.goto(f"{base}/")
            shoot(analyst, "home.png")

            admin = open_page(browser)
            log_in(admin, base, "admin", password)
            # Django's navigation sidebar leaves the changelist a third of the width at 1280: start it closed.
            admin.evaluate("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
            admin.goto(f"{base}/admin/annotator/article/")
            shoot(admin, "admin.png")
            for page in (visitor, analyst, reviewer, admin):
                errors.extend(page.errors)  # type: ignore[attr-defined]
        finally:
            browser.close()
    return errors


def main() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="credence-screenshots-"))
    server = None
    try:
        env = environment(workdir)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "seed_demo")
        port = free_port()
        server = start_server(env, port, workdir / "server.log")
        print(f"Demo served on 127.0.0.1:{port}; taking screenshots at {VIEWPORT['width']}x{VIEWPORT['height']}:")
        errors = take_screenshots(f"http://127.0.0.1:{port}", demo_password())
        if errors:
            print(f"JavaScript errors on the pages: {errors}")
    finally:
        stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
