// Building DOM nodes from data: text always goes in as textContent, never as HTML.

/** An element with attributes ("text" sets textContent, "on" a click handler) and children. */
export function node(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") element.textContent = value;
    else if (name === "on") element.addEventListener("click", value);
    else element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}
