"""Benchmark of the annotate page on a long article: first render, one more span, activating a span, DOM size.

Run from the repository root: ``.venv/bin/python bench/workspace_render.py``. It builds a throwaway SQLite
database in a temporary folder (an analyst, a 20,000-word article, 1,000 spans written through the services),
serves it with ``manage.py runserver``, drives Debian's Chromium with Playwright and prints the figures next to
their targets. It never fails on a slow figure: it prints, a person judges.
"""

import os
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _setup import free_port, start_server, stop_server  # noqa: E402  # bench/ is on the path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
WORDS = 20_000
SPANS = 1_000
REPEATS = 5
FIRST_RENDERS = 3
PASSWORD = "bench-password-not-secret"
SEED = 20_000

# ---------------------------------------------------------------- the article

VOCABULARY = """
the a an of to in on for with by from at as about after before over under between during against
and but or yet so because while although since though if when where which that who whose
government ministry official officials spokesperson president minister agency army troops border region
city village residents report reports statement statements claim claims figure figures evidence data
analyst analysts expert experts researcher researchers institute university study survey poll
election vote voters campaign party parliament committee commission court judge ruling law
economy inflation prices market markets budget deficit growth exports imports energy gas oil grid
attack attacks strike strikes drone drones missile missiles damage casualties civilians refugees aid
said says told added argued warned denied confirmed insisted suggested estimated reported announced
according sources source video footage images satellite document documents leaked interview briefing
new old several many few most some more less least first last next previous recent early late
large small major minor significant limited unclear likely unlikely possible impossible independent
public private foreign domestic regional national international local western eastern northern southern
week weeks month months year years day days morning evening night hour hours decade
percent million billion thousand hundred dozens number numbers rate rates level levels share
increase decrease rise fall drop surge decline shortage supply supplies delivery deliveries
would could should might must will can may did does do have has had been being was were is are
not never only also still already just even however instead meanwhile therefore
people person group groups team leaders leader member members family families workers company companies
security safety health hospital hospitals school schools road roads bridge bridges port ports
fake false true accurate misleading verified unverified baseless credible disputed exaggerated
""".split()
NAMES = ["Kyrylo Budanov", "Dmitry Peskov", "Maria Zakharova", "Antony Blinken", "Olaf Scholz",
         "Ursula von der Leyen", "Jens Stoltenberg", "Rafael Grossi", "Volker Türk", "Zoë Müller-Ødegaard"]
EMOJI = ["📈", "🇺🇦", "👍🏽", "🔥", "📉", "🛰️"]


def generate_article(words: int, rng: random.Random) -> str:
    """Paragraphs of about 80 words from the vocabulary, with curly quotes, names and a few emoji.

    ``words`` words of prose (names and possessives counted as written); emoji and punctuation are extra.
    """
    paragraphs: list[str] = []
    written = 0
    emoji_left = list(EMOJI)
    while written < words:
        target = min(rng.randint(65, 95), words - written)
        sentences: list[str] = []
        in_paragraph = 0
        while in_paragraph < target:
            length = min(rng.randint(6, 20), target - in_paragraph)
            chosen = [rng.choice(VOCABULARY) for _ in range(length)]
            roll = rng.random()
            if roll < 0.12 and length >= 6:
                name = rng.choice(NAMES)
                name_words = len(name.split())
                quoted = chosen[: max(1, length - name_words - 1)]
                sentence = f"“{' '.join(quoted).capitalize()},” said {name}."
                in_paragraph += len(quoted) + 1 + name_words
            elif roll < 0.22 and length >= 2:
                middle = rng.randrange(1, length)
                chosen[middle] = f"‘{chosen[middle]}’"
                sentence = " ".join(chosen).capitalize() + "."
                in_paragraph += length
            elif roll < 0.27:
                sentence = " ".join(chosen).capitalize().replace(" ", "’s ", 1) + "."
                in_paragraph += length
            else:
                sentence = " ".join(chosen).capitalize() + rng.choice([".", ".", ".", "?", ";"])
                in_paragraph += length
            if emoji_left and rng.random() < 0.01:
                sentence += f" {emoji_left.pop()}"
            sentences.append(sentence)
        paragraphs.append(" ".join(sentences))
        written += in_paragraph
    return "\n\n".join(paragraphs) + "\n"


def word_offsets(article: str) -> list[tuple[int, int]]:
    """[start, end) of every word in code points (Python str indices), as the server counts them."""
    return [match.span() for match in re.finditer(r"[\w’'-]+", article)]


@dataclass(frozen=True, slots=True)
class PlannedSpan:
    start: int
    end: int
    label: str
    is_plain: bool  # no other span touches it: one segment of its own, safe to click


def plan_spans(words: Sequence[tuple[int, int]], count: int, labels: Sequence[str], reserved: set[int],
               rng: random.Random) -> list[PlannedSpan]:
    """``count`` spans over the words: 80% apart from each other, then nested and partly overlapping ones.

    Words whose index is in ``reserved`` are left free of spans (the benchmark labels them later).
    """
    base: list[tuple[int, int]] = []  # word index ranges [first, last]
    index = rng.randint(3, 20)
    while len(base) < count * 8 // 10 and index < len(words):
        length = rng.randint(1, 12)
        last = min(index + length - 1, len(words) - 1)
        if not any(i in reserved for i in range(index - 1, last + 2)):
            base.append((index, last))
        index = last + 1 + rng.randint(5, 30)
    touched: set[int] = set()
    planned: dict[tuple[int, int, str], PlannedSpan] = {}

    def add(first: int, last: int, label: str) -> None:
        start, end = words[first][0], words[last][1]
        planned.setdefault((start, end, label), PlannedSpan(start, end, label, False))

    for first, last in base:
        add(first, last, rng.choice(labels))
    while len(planned) < count:
        host = rng.randrange(len(base))
        first, last = base[host]
        if rng.random() < 0.5 and last - first >= 2:  # nested: strictly inside its host
            inner_first = rng.randint(first + 1, last - 1)
            add(inner_first, rng.randint(inner_first, last - 1), rng.choice(labels))
        else:  # overlapping: starts inside its host, ends a few words after it
            tail = last + rng.randint(1, 4)
            if tail >= len(words) or any(i in reserved for i in range(last, tail + 2)):
                continue
            add(rng.randint(first, last), tail, rng.choice(labels))
        touched.add(host)
    plain = {(words[first][0], words[last][1]) for host, (first, last) in enumerate(base) if host not in touched}
    return [PlannedSpan(s.start, s.end, s.label, (s.start, s.end) in plain) for s in planned.values()]


# ---------------------------------------------------------------- the database, through the services

@dataclass(frozen=True, slots=True)
class Fixture:
    assignment_id: int
    text: str
    free_ranges: list[tuple[int, int]]   # code points with no span: where the benchmark adds one
    plain_keys: list[str]                # keys ("s<id>") of spans drawn as a segment of their own
    seed_seconds: float


def configure_environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="1",
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="core.settings",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)
    return env


def seed_database(workdir: Path) -> Fixture:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from annotator.models import Span
    from annotator.services import articles, assignments, projects, sources, spans

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(SEED)
    article_text = generate_article(WORDS, rng)
    article_file = workdir / "long-article.txt"
    article_file.write_text("A very long article about many claims\n\n" + article_text, encoding="utf-8")

    project = projects.create_project(name="Bench", slug="bench", overlap=1)
    # No service creates accounts (the admin and seed_demo do); Django's manager hashes the password.
    analyst = get_user_model().objects.create_user(username="analyst", password=PASSWORD)
    projects.add_member(project=project, user=analyst, role="analyst")
    article = articles.load_articles(project=project, paths=[article_file]).created[0]
    assignment = assignments.create_assignment(article=article, analyst=analyst)
    registry = [sources.create_source(project=project, name=name) for name in NAMES]
    labels = {label.key: label for label in project.labels.all()}

    words = word_offsets(article.text)
    free_words = [len(words) * (2 * k + 1) // (2 * REPEATS) for k in range(REPEATS)]
    reserved = {i for first in free_words for i in range(first - 3, first + 9)}
    planned = plan_spans(words, SPANS, sorted(labels), reserved, rng)
    items = [
        {"start": s.start, "end": s.end, "label": labels[s.label],
         "source": rng.choice(registry) if rng.random() < 0.4 else None,
         "credibility": rng.randint(1, 5) if rng.random() < 0.6 else None}
        for s in planned
    ]
    began = time.perf_counter()
    spans.create_spans(assignment=assignment, items=items)
    seed_seconds = time.perf_counter() - began

    plain = {(s.start, s.end) for s in planned if s.is_plain}
    plain_keys = [f"s{span_id}" for span_id, start, end in
                  Span.objects.filter(assignment=assignment).order_by("start").values_list("id", "start", "end")
                  if (start, end) in plain]
    free_ranges = [(words[first][0], words[first + 4][1]) for first in free_words]
    connections.close_all()
    return Fixture(assignment.pk, article.text, free_ranges, plain_keys, seed_seconds)


# ---------------------------------------------------------------- the server

# ---------------------------------------------------------------- in-page probes

# Runs in every document before the page's own scripts. workspace.js sets data-state=ready and then calls
# render() in the same task, so the mutation observer (a microtask) runs once every span is drawn.
FIRST_RENDER_PROBE = """(() => {
  const bench = (window.__bench = { ready: null, painted: null, spansDrawn: 0 });
  const observer = new MutationObserver(() => {
    const root = document.getElementById("workspace");
    if (!root || root.dataset.state === "loading" || bench.ready !== null) return;
    bench.ready = performance.now();
    bench.state = root.dataset.state;
    const keys = new Set();
    for (const seg of document.querySelectorAll("#article-text .seg")) {
      for (const key of seg.dataset.keys.split(" ")) keys.add(key);
    }
    bench.spansDrawn = keys.size;
    observer.disconnect();
    // The callback after the next frame: style, layout and paint of the new text are done.
    requestAnimationFrame(() => setTimeout(() => { bench.painted = performance.now(); }, 0));
  });
  observer.observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
})()"""

NAVIGATION_TIMES = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const api = performance.getEntriesByType("resource").filter((r) => r.name.includes("/api/v1/assignments/"));
  const spans = api.find((r) => r.name.endsWith("/spans/"));
  return { html: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd,
           spansRequested: spans ? spans.startTime : null, spansApi: spans ? spans.responseEnd - spans.startTime : null,
           lastApi: Math.max(...api.map((r) => r.responseEnd)) };
}"""

# Armed just before an input: the input event's own timestamp starts the clock; a mutation observer on the
# article text stops it when ``done`` (a CSS selector) matches, then once more after the next frame.
ARM_PROBE = """([eventType, done]) => {
  const box = document.getElementById("article-text");
  const probe = (window.__probe = { start: null, dom: null, painted: null });
  window.addEventListener(eventType, (event) => { probe.start = event.timeStamp; }, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    const now = performance.now();
    if (probe.start === null || !box.querySelector(done)) return;
    probe.dom = now;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { probe.painted = performance.now(); }, 0));
  });
  observer.observe(box, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
}"""

SCROLL_TO_OFFSET = """(cp) => {
  const box = document.getElementById("article-text");
  const unit = Array.from(box.textContent).slice(0, cp).join("").length;
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode()) && unit >= seen + node.length) seen += node.length;
  const range = document.createRange();
  range.setStart(node, unit - seen);
  range.setEnd(node, unit - seen + 1);
  window.scrollBy(0, range.getBoundingClientRect().top - window.innerHeight / 2);
}"""

SEGMENT_CENTRE = """(key) => {
  const seg = document.querySelector(`#article-text .seg[data-keys="${key}"]`);
  seg.scrollIntoView({ block: "center" });
  const box = seg.getClientRects()[0];
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
}"""

DOM_SIZE = """() => {
  const count = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    let elements = 0, texts = 0;
    while (walker.nextNode()) walker.currentNode.nodeType === 1 ? (elements += 1) : (texts += 1);
    return { elements, texts };
  };
  return { text: count(document.getElementById("article-text")), list: count(document.getElementById("span-list")),
           page: document.getElementsByTagName("*").length };
}"""


# ---------------------------------------------------------------- measurements

@dataclass(frozen=True, slots=True)
class Timing:
    dom: float      # ms from the input (or navigation start) until the change is in the DOM
    painted: float  # ms until the frame after it
    wall: float     # ms seen from Python, round trips included


def wait_until_true(page: Any, expression: str, timeout: float = 30) -> None:
    """Poll ``expression`` in the page. (wait_for_function evaluates strings with eval, which the CSP refuses.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {expression}")
        time.sleep(0.01)


def measure_first_render(page: Any, url: str) -> tuple[Timing, dict[str, Any]]:
    began = time.perf_counter()
    page.goto(url, wait_until="commit")
    wait_until_true(page, "window.__bench && window.__bench.painted !== null", timeout=60)
    wall = (time.perf_counter() - began) * 1000
    bench = page.evaluate("window.__bench")
    if bench["state"] != "ready":
        raise RuntimeError(f"the workspace did not load: data-state={bench['state']}")
    details = page.evaluate(NAVIGATION_TIMES) | {"spansDrawn": bench["spansDrawn"]}
    details["render"] = bench["ready"] - details["lastApi"]
    return Timing(bench["ready"], bench["painted"], wall), details


def measure_input(page: Any, event_type: str, done: str, act: Callable[[], None]) -> Timing:
    page.evaluate(ARM_PROBE, [event_type, done])
    began = time.perf_counter()
    act()
    wait_until_true(page, "window.__probe.painted !== null")
    wall = (time.perf_counter() - began) * 1000
    probe = page.evaluate("window.__probe")
    return Timing(probe["dom"] - probe["start"], probe["painted"] - probe["start"], wall)


def measure_one_more_span(page: Any, start: int, end: int) -> Timing:
    from tests.browser.workspace import drag_select

    page.evaluate(SCROLL_TO_OFFSET, start)
    drag_select(page, start, end)
    page.wait_for_selector(f"#workspace[data-selection='{start}-{end}']")
    timing = measure_input(page, "keydown", '.seg[data-keys^="t"], .seg[data-keys*=" t"]',
                           lambda: page.keyboard.press("1"))
    page.wait_for_selector("#workspace[data-save=saved]")
    return timing


def measure_activate(page: Any, key: str) -> Timing:
    centre = page.evaluate(SEGMENT_CENTRE, key)
    return measure_input(page, "mouseup", f'.seg.active[data-keys~="{key}"]',
                         lambda: page.mouse.click(centre["x"], centre["y"]))


def run_browser(base_url: str, fixture: Fixture) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    url = f"{base_url}/assignments/{fixture.assignment_id}/annotate/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.add_init_script(FIRST_RENDER_PROBE)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.set_default_timeout(30_000)
            page.goto(f"{base_url}/login/")
            page.fill("#id_username", "analyst")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base_url}/")

            first = [measure_first_render(page, url) for _ in range(FIRST_RENDERS)]
            dom_size = page.evaluate(DOM_SIZE)
            added = [measure_one_more_span(page, start, end) for start, end in fixture.free_ranges]
            page.keyboard.press("Escape")
            step = max(1, len(fixture.plain_keys) // (REPEATS + 1))
            activated = [measure_activate(page, key) for key in fixture.plain_keys[step::step][:REPEATS]]
            return {"first": first, "dom": dom_size, "added": added, "activated": activated, "errors": errors}
        finally:
            browser.close()


# ---------------------------------------------------------------- report

def print_report(fixture: Fixture, results: dict[str, Any]) -> None:
    def row(name: str, values: Sequence[float], target: float | None) -> None:
        median, worst = statistics.median(values), max(values)
        verdict = "" if target is None else ("meets" if worst < target else "misses" if median >= target else "mixed")
        goal = "" if target is None else f"< {target:,.0f} ms"
        print(f"  {name:<44} {median:>9,.0f} {worst:>9,.0f}   {goal:<11} {verdict}")

    first = results["first"]
    print()
    print(f"Article: {WORDS:,} words, {len(fixture.text):,} code points; {SPANS:,} spans; "
          f"create_spans took {fixture.seed_seconds:.1f} s ({fixture.seed_seconds / SPANS * 1000:.1f} ms a span).")
    print(f"Machine: {os.cpu_count()} CPU cores; Chromium {CHROMIUM}; all times in ms.")
    print()
    print(f"  {'figure':<44} {'median':>9} {'max':>9}   {'target':<11}")
    print(f"  (a) first render, {len(first)} loads")
    row("navigation start -> ready, all spans in DOM", [t.dom for t, _ in first], 2000)
    row("navigation start -> next frame painted", [t.painted for t, _ in first], 2000)
    row("wall clock: goto -> next frame painted", [t.wall for t, _ in first], 2000)
    row("  of which: HTML received", [d["html"] for _, d in first], None)
    row("  of which: page scripts start, ask for spans", [d["spansRequested"] for _, d in first], None)
    row("  of which: GET spans (1,000) in the API", [d["spansApi"] for _, d in first], None)
    row("  of which: last API answer -> ready (JS)", [d["render"] for _, d in first], None)
    print(f"  (b) one more span, {len(results['added'])} times: drag, then the label key")
    row("key press -> new segment in DOM", [t.dom for t in results["added"]], 100)
    row("key press -> next frame painted", [t.painted for t in results["added"]], 100)
    row("wall clock (Playwright round trips)", [t.wall for t in results["added"]], None)
    print(f"  (c) activate an existing span, {len(results['activated'])} times: click it")
    row("click -> segment marked active in DOM", [t.dom for t in results["activated"]], 100)
    row("click -> next frame painted", [t.painted for t in results["activated"]], 100)
    row("wall clock (Playwright round trips)", [t.wall for t in results["activated"]], None)
    dom = results["dom"]
    print("  (d) DOM size after the first render")
    print(f"  {'nodes in #article-text':<44} {dom['text']['elements'] + dom['text']['texts']:>9,}"
          f"   ({dom['text']['elements']:,} elements, {dom['text']['texts']:,} text nodes)")
    print(f"  {'nodes in #span-list':<44} {dom['list']['elements'] + dom['list']['texts']:>9,}")
    print(f"  {'elements in the whole page':<44} {dom['page']:>9,}")
    print(f"  spans drawn at first render: {', '.join(str(d['spansDrawn']) for _, d in first)} (of {SPANS:,})")
    if results["errors"]:
        print(f"  JavaScript errors: {results['errors']}")


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="credence-bench-"))
    server = None
    try:
        env = configure_environment(workdir)
        print(f"Seeding a throwaway database in {workdir} ...", flush=True)
        fixture = seed_database(workdir)
        port = free_port()
        server = start_server(env, port, workdir / "server.log")
        print(f"Serving on 127.0.0.1:{port}; measuring in Chromium ...", flush=True)
        results = run_browser(f"http://127.0.0.1:{port}", fixture)
        print_report(fixture, results)
    finally:
        stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
