"""Helpers that act on the annotate page the way a person does: drag to select, press keys."""

from playwright.sync_api import Page

# Client rectangles of the characters at code-point offsets start and end-1 of the article text.
_CHAR_BOXES = """([start, end]) => {
  const box = document.getElementById('article-text');
  const text = box.textContent;
  const toUnit = (cp) => Array.from(text).slice(0, cp).join('').length;
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const locate = (unit) => {
    let node, seen = 0;
    while ((node = walker.nextNode())) {
      if (unit < seen + node.length) return [node, unit - seen];
      seen += node.length;
    }
  };
  const rect = (unit) => {
    walker.currentNode = box;
    const [node, offset] = locate(unit);
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    const r = range.getClientRects()[0];
    return {x: r.left, y: r.top + r.height / 2, w: r.width};
  };
  return [rect(toUnit(start)), rect(toUnit(end) - 1)];
}"""


def drag_select(page: Page, start: int, end: int) -> None:
    """Select text[start:end] (code points) with a real mouse drag from the first to the last character."""
    page.locator("#article-text").scroll_into_view_if_needed()
    first, last = page.evaluate(_CHAR_BOXES, [start, end])
    page.mouse.move(first["x"] + 1, first["y"])
    page.mouse.down()
    page.mouse.move(last["x"] + last["w"] - 1, last["y"], steps=5)
    page.mouse.up()


def open_workspace(page: Page, live_server_url: str, assignment_id: int) -> None:
    page.goto(f"{live_server_url}/assignments/{assignment_id}/annotate/")
    page.wait_for_selector("#workspace[data-state=ready]")


def wait_saved(page: Page) -> None:
    page.wait_for_selector("#workspace[data-save=saved]")
