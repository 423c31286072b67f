// The review page: every analyst's spans aligned unit by unit; reviewers build the gold layer.
//
// Every action is sent to the API at once with a visible state. An action that fails because the server
// could not be reached stays pending and is retried (automatically and with the Retry button); a gold edit
// made stale by another reviewer reloads the article and says so, overwriting nothing.

import { ApiError, request } from "./api.js";
import { claimPanel } from "./claimlinks.js";
import { node } from "./dom.js";

const config = JSON.parse(document.getElementById("review-config").textContent);
const API = "/api/v1";
const el = (id) => document.getElementById(id);
const root = el("review");
const labelNames = new Map(config.labels.map((label) => [label.key, label.name]));
const showClaims = claimPanel(el("claim-panel"), { projectId: config.projectId });

const state = { data: null, active: 0, pending: null, retryTimer: null, editing: null };

// ---------------------------------------------------------------- sending actions

async function act(description, send) {
  state.pending = { description, send };
  setSave("saving", `${description}…`);
  try {
    await send();
    state.pending = null;
    await reload();
    setSave("saved", `${description}: saved`);
  } catch (error) {
    if (error instanceof ApiError && !error.isTransient) {
      state.pending = null;
      if (error.status === 412) {
        await reload();
        setSave("conflict", "Another reviewer changed this meanwhile: the page now shows the saved version.");
      } else {
        setSave("refused", `${description}: ${error.message}`);
      }
      return;
    }
    setSave("failed", `${description}: not saved (${error.message}). Retrying…`);
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(retry, 3000);
  }
}

function retry() {
  clearTimeout(state.retryTimer);
  if (state.pending) act(state.pending.description, state.pending.send);
}

function setSave(kind, text) {
  root.dataset.save = kind;
  el("save-state").textContent = text;
  el("retry").hidden = kind !== "failed";
}

async function reload() {
  state.data = await request("GET", `${API}/articles/${config.articleId}/review/`);
  render();
  if (!el("audit-panel").hidden && el("audit-panel").open) loadAudit();
}

// ---------------------------------------------------------------- actions

const post = (path, body) => request("POST", `${API}/articles/${config.articleId}/${path}`, body);

function acceptSpan(span) {
  return act(`Accept “${truncate(span.quote)}”`, () => post("gold/accept/", { span: span.id }));
}

function mergeUnit(unit) {
  const ids = Object.values(unit.spans).filter((s) => s.label === unit.majority_label).map((s) => s.id);
  return act("Merge the majority version", () => post("gold/merge/", { spans: ids }));
}

function rejectGold(unit) {
  const golds = state.data.gold.filter((g) => unit.gold.includes(g.id));
  if (!golds.length) return null;
  return act("Reject the gold span", () => Promise.all(golds.map((g) => request(
    "DELETE", `${API}/gold/${g.id}/`, undefined, { "If-Match": `"${g.version}"` }))));
}

function acceptMajority() {
  const k = Number(el("majority-k").value);
  return act(`Accept units where ${k} agree`, () => post("gold/majority/", { min_agreeing: k }));
}

function adjudicate() {
  return act("Mark adjudicated", () => post("adjudicate/"));
}

function reopenReview() {
  return act("Reopen the review", () => post("review/reopen/"));
}

function reopenAssignment(analyst) {
  const comment = window.prompt(`Why does ${analyst.analyst} need to look again? They will see this comment.`);
  if (!comment) return null;
  return act(`Reopen ${analyst.analyst}'s work`, () => post("reopen-assignment/", { assignment: analyst.assignment, comment }));
}

function saveVerdict(fields) {
  const review = state.data.review;
  const body = { credibility: review.credibility, comment: review.comment, ...fields };
  return act("Save the gold article score", () => request(
    "PUT", `${API}/articles/${config.articleId}/review/`, body,
    review.version ? { "If-Match": `"${review.version}"` } : {}));
}

function editGold(unit) {
  const existing = state.data.gold.find((g) => unit.gold.includes(g.id));
  const base = existing || { start: unit.start, end: unit.end, label: unit.majority_label, credibility: null, note: "" };
  state.editing = { unit, gold: existing || null };
  el("gold-start").value = base.start;
  el("gold-end").value = base.end;
  el("gold-label").value = base.label;
  el("gold-credibility").value = base.credibility ?? "";
  el("gold-note").value = base.note || "";
  el("gold-error").textContent = "";
  updateGoldQuote();
  el("gold-editor").hidden = false;
  el("gold-start").focus();
}

/** Show the claims of one analyst's span or gold span, to link it to a claim other articles state too. */
function openClaims(target, quote) {
  el("claims-section").hidden = false;
  el("claim-target").textContent = quote;
  showClaims(target, true);
  el("claims-section").scrollIntoView({ block: "nearest" });
}

function updateGoldQuote() {
  const chars = Array.from(state.data.article.text);
  const start = Number(el("gold-start").value);
  const end = Number(el("gold-end").value);
  el("gold-quote").textContent = end > start ? chars.slice(start, end).join("") : "";
}

function submitGold(event) {
  event.preventDefault();
  const { unit, gold } = state.editing;
  const credibility = el("gold-credibility").value === "" ? null : Number(el("gold-credibility").value);
  const body = { start: Number(el("gold-start").value), end: Number(el("gold-end").value),
    label: el("gold-label").value, credibility, note: el("gold-note").value };
  el("gold-editor").hidden = true;
  if (gold) {
    return act("Edit the gold span", () => request("PATCH", `${API}/gold/${gold.id}/`, body, { "If-Match": `"${gold.version}"` }));
  }
  const support = Object.values(unit.spans).map((s) => s.id);
  return act("Add a gold span", () => post("gold/", { ...body, supporting_spans: support }));
}

// ---------------------------------------------------------------- rendering

function truncate(text, size = 60) {
  return text.length > size ? `${text.slice(0, size - 1)}…` : text;
}

function render() {
  const { data } = state;
  const adjudicated = data.review.status === "adjudicated";
  root.dataset.status = data.review.status;
  el("review-status").textContent = adjudicated ? "Adjudicated" : "Open";
  el("review-status").className = `status status-${data.review.status}`;
  el("adjudicate").hidden = adjudicated;
  el("reopen-review").hidden = !adjudicated;
  el("accept-majority").disabled = adjudicated;
  const submitted = data.analysts.filter((a) => a.status === "submitted").length;
  const k = el("majority-k");
  const chosen = Number(k.value) || Math.max(1, Math.ceil((submitted + 1) / 2));
  k.replaceChildren(...Array.from({ length: Math.max(submitted, 1) }, (_, i) => node("option", { value: i + 1, text: `${i + 1} of ${submitted}` })));
  k.value = String(Math.min(chosen, Math.max(submitted, 1)));

  const list = el("units");
  list.replaceChildren();
  const names = data.analysts.map((a) => a.analyst);
  data.units.forEach((unit, index) => {
    const golds = data.gold.filter((g) => unit.gold.includes(g.id));
    const item = node("li", { class: `unit${golds.length ? " has-gold" : ""}`, role: "option", id: `unit-${index}`,
      "aria-selected": String(index === state.active), "data-index": String(index) });
    item.append(node("p", { class: "unit-quote", text: `“${truncate(unit.quote, 220)}”` }));
    const agreement = unit.agreement;
    item.append(node("p", { class: `unit-issues${agreement.is_unanimous ? " unanimous" : ""}`,
      text: agreement.is_unanimous ? `All ${agreement.of} agree` : agreement.issues.join(" · ") }));
    const table = node("table", { class: "lanes" });
    names.forEach((name, lane) => {
      const span = unit.spans[name];
      const row = node("tr", {}, node("th", { scope: "row", text: `${lane + 1}. ${name}` }));
      if (span) {
        row.append(node("td", { text: labelNames.get(span.label) || span.label }),
          node("td", { text: span.source_name || "no source" }),
          node("td", { text: span.credibility ? `★ ${span.credibility}` : "unscored" }),
          node("td", { text: `[${span.start}, ${span.end})` }),
          node("td", {}, node("button", { type: "button", text: "Accept", title: `Accept ${name}'s version (${lane + 1})`,
            on: () => acceptSpan(span) }), " ", node("button", { type: "button", class: "claim-open", text: "Claim…",
            title: `Link ${name}'s span to a claim`, on: () => openClaims({ span: span.id }, span.quote) })));
      } else {
        row.append(node("td", { class: "lane-missing", colspan: "5", text: "did not mark this" }));
      }
      table.append(row);
    });
    item.append(table);
    for (const g of golds) {
      item.append(node("p", { class: "gold-line", text: `Gold: ${labelNames.get(g.label) || g.label} · ${g.source_name || "no source"} · ${g.credibility ? `★ ${g.credibility}` : "unscored"} · “${truncate(g.quote)}” (${g.supporters.join(", ") || "reviewer"}) ` },
        node("button", { type: "button", class: "link claim-open", text: "Claim…", on: () => openClaims({ gold_span: g.id }, g.quote) })));
    }
    item.append(node("div", { class: "unit-actions" },
      node("button", { type: "button", text: "Merge majority", on: () => mergeUnit(unit) }),
      node("button", { type: "button", text: "Edit gold", on: () => editGold(unit) }),
      node("button", { type: "button", text: "Reject gold", on: () => rejectGold(unit) })));
    item.addEventListener("click", () => { state.active = index; markActive(); });
    list.append(item);
  });
  if (!data.units.length) list.append(node("li", { text: "No submitted spans on this article yet." }));

  const scores = el("verdict-scores");
  scores.replaceChildren();
  for (let score = config.scaleMin; score <= config.scaleMax; score += 1) {
    scores.append(node("button", { type: "button", class: "score", role: "radio", text: String(score),
      "aria-checked": String(data.review.credibility === score), on: () => saveVerdict({ credibility: score }) }));
  }
  if (document.activeElement !== el("verdict-comment")) el("verdict-comment").value = data.review.comment || "";

  const analysts = el("analysts");
  analysts.replaceChildren(...data.analysts.map((a) => node("li", {},
    node("strong", { text: a.analyst }), ` ${a.status.replace("_", " ")}`,
    node("br"), `Article score: ${a.credibility ?? "–"}${a.comment ? ` — ${a.comment}` : ""}`,
    ...(a.reopen_comment && a.status !== "submitted" ? [node("br"), `Reopened: ${a.reopen_comment}`] : []),
    ...(a.status === "submitted" && !adjudicated ? [node("br"), node("button", { type: "button", text: "Reopen with a comment",
      on: () => reopenAssignment(a) })] : []))));
  root.dataset.state = "ready";
}

function markActive() {
  for (const item of el("units").querySelectorAll(".unit")) {
    item.setAttribute("aria-selected", String(Number(item.dataset.index) === state.active));
  }
  const active = el(`unit-${state.active}`);
  if (active) active.scrollIntoView({ block: "nearest" });
  el("units").setAttribute("aria-activedescendant", `unit-${state.active}`);
}

async function loadAudit() {
  const entries = await request("GET", `${API}/articles/${config.articleId}/audit/`);
  const verbs = { "+": "created", "~": "changed", "-": "deleted" };
  el("audit").replaceChildren(...entries.slice(0, 200).map((e) => node("li", {
    text: `${new Date(e.at).toLocaleString()} · ${e.by || "system"} ${verbs[e.action] || e.action} ${e.kind} #${e.object_id}: ${Object.entries(e.values).map(([k, v]) => `${k}=${v === null ? "–" : v}`).join(", ").slice(0, 160)}` })));
}

function onKeyDown(event) {
  if (event.target.matches("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
  const units = state.data ? state.data.units : [];
  const unit = units[state.active];
  const key = event.key.toLowerCase();
  if (key === "j" || key === "k") {
    event.preventDefault();
    state.active = Math.max(0, Math.min(units.length - 1, state.active + (key === "j" ? 1 : -1)));
    markActive();
  } else if (key === "m") {
    event.preventDefault();
    acceptMajority();
  } else if (unit && /^[1-9]$/.test(event.key)) {
    const name = state.data.analysts[Number(event.key) - 1]?.analyst;
    if (name && unit.spans[name]) {
      event.preventDefault();
      acceptSpan(unit.spans[name]);
    }
  } else if (unit && key === "a") {
    event.preventDefault();
    mergeUnit(unit);
  } else if (unit && key === "r") {
    event.preventDefault();
    rejectGold(unit);
  } else if (unit && key === "e") {
    event.preventDefault();
    editGold(unit);
  }
}

async function start() {
  el("accept-majority").addEventListener("click", acceptMajority);
  el("adjudicate").addEventListener("click", adjudicate);
  el("reopen-review").addEventListener("click", reopenReview);
  el("retry").addEventListener("click", retry);
  el("gold-form").addEventListener("submit", submitGold);
  el("gold-cancel").addEventListener("click", () => { el("gold-editor").hidden = true; });
  el("gold-start").addEventListener("input", updateGoldQuote);
  el("gold-end").addEventListener("input", updateGoldQuote);
  el("verdict-comment").addEventListener("change", (event) => saveVerdict({ comment: event.target.value }));
  el("audit-panel").addEventListener("toggle", () => { if (el("audit-panel").open) loadAudit(); });
  document.addEventListener("keydown", onKeyDown);
  window.addEventListener("online", retry);
  try {
    await reload();
    setSave("saved", "Up to date");
  } catch (error) {
    root.dataset.state = "error";
    setSave("failed", `Could not load the article: ${error.message}`);
  }
}

start();
