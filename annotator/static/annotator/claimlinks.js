// "Same claim as…": the claims a span states, suggested claims (one click links), a search, and a new claim.
// Used by the annotate page (an analyst's own span) and the review page (any span or gold span).

import { request } from "./api.js";
import { node } from "./dom.js";

const API = "/api/v1";

/** Mount the panel in ``container``; returns show(target, editable) with target {span}, {gold_span} or null. */
export function claimPanel(container, { projectId }) {
  const claimsUrl = `${API}/projects/${projectId}/claims/`;
  const linked = node("ul", { class: "claim-linked", "aria-label": "Claims this span states" });
  const suggested = node("ul", { class: "claim-suggested", "aria-label": "Suggested claims" });
  const search = node("input", { type: "text", class: "claim-search", maxlength: "500",
    placeholder: "Search claims, or word a new one", "aria-label": "Claim wording" });
  const found = node("ul", { class: "claim-found", "aria-label": "Claims found" });
  const create = node("button", { type: "button", class: "claim-new", text: "New claim" });
  const message = node("p", { class: "field-error claim-message", role: "status" });
  const editing = node("div", { class: "claim-edit" }, node("h4", { text: "Suggested" }), suggested,
    node("div", { class: "claim-create" }, search, create), found);
  container.replaceChildren(node("h3", { text: "Same claim as…" }), linked, editing, message);
  let current = { key: "", target: null, editable: false };
  let searchTimer = null;

  const say = (text) => { message.textContent = text || ""; };

  async function act(send) {
    say("");
    try {
      await send();
      await refresh();
    } catch (error) {
      say(error.message);
    }
  }

  const link = (claim) => act(() => request("POST", `${API}/claims/${claim.id}/links/`, current.target));

  function claimItem(claim, extra) {
    return node("li", { "data-claim": String(claim.id) },
      node("a", { href: `/claims/${claim.id}/`, text: claim.wording }), " ", ...extra);
  }

  function linkButton(claim, label) {
    return node("button", { type: "button", class: "link", text: label, on: () => link(claim) });
  }

  async function refresh() {
    const { target } = current;
    if (!target) return;
    const query = new URLSearchParams(target).toString();
    const [mine, suggestions] = await Promise.all([
      request("GET", `${claimsUrl}?${query}`),
      current.editable ? request("GET", `${claimsUrl}suggestions/?${query}`) : Promise.resolve([]),
    ]);
    if (current.target !== target) return;   // another span was chosen meanwhile
    linked.replaceChildren(...mine.map((claim) => claimItem(claim, current.editable
      ? [node("button", { type: "button", class: "link", text: "Unlink", "aria-label": `Unlink from ${claim.wording}`,
        on: () => act(() => request("DELETE", `${API}/claims/${claim.id}/links/${claim.link}/`)) })]
      : [])));
    if (!mine.length) linked.append(node("li", { class: "muted", text: "Not linked to a claim." }));
    suggested.replaceChildren(...suggestions.map((claim) => claimItem(claim, [
      node("small", { text: `${Math.round(claim.score * 100)}% alike` }), " ", linkButton(claim, "Link")])));
    if (!suggestions.length) suggested.append(node("li", { class: "muted", text: "No similar claim yet." }));
  }

  async function onSearch() {
    const words = search.value.trim();
    if (!words) {
      found.replaceChildren();
      return;
    }
    const matches = await request("GET", `${claimsUrl}?${new URLSearchParams({ search: words })}`);
    found.replaceChildren(...matches.slice(0, 8).map((claim) => claimItem(claim, [linkButton(claim, "Link")])));
  }

  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => onSearch().catch((error) => say(error.message)), 200);
  });
  create.addEventListener("click", () => {
    const wording = search.value.trim();
    if (!wording) {
      say("Word the claim first, e.g. “North Korea sent 10,000 soldiers to Russia”.");
      search.focus();
      return;
    }
    act(async () => {
      await request("POST", claimsUrl, { wording, ...current.target });
      search.value = "";
      found.replaceChildren();
    });
  });

  return function show(target, editable) {
    const key = target ? `${JSON.stringify(target)}:${editable}` : "";
    if (key === current.key) return;
    current = { key, target, editable };
    container.hidden = !target;
    editing.hidden = !editable;
    say("");
    linked.replaceChildren();
    suggested.replaceChildren();
    if (target) refresh().catch((error) => say(error.message));
  };
}
