// The annotate page: select text, label it, attribute and score it; every change saved through the API.
//
// Changes are applied on screen at once and queued; the queue is kept in localStorage until the server
// confirms each change, so a failed save, a server restart or a reload never loses work. Offsets are
// code points on the server and UTF-16 units in the DOM: offsets.js converts at this boundary.

import { ApiError, request } from "./api.js";
import { claimPanel } from "./claimlinks.js";
import { offsetTables, snapToWords, toCodePoint, toUtf16 } from "./offsets.js";

const config = JSON.parse(document.getElementById("workspace-config").textContent);
const API = "/api/v1";
const text = config.text;
const chars = Array.from(text);
const tables = offsetTables(text);
const labelsByKey = new Map(config.labels.map((label, index) => [label.key, { ...label, index }]));
const storageKey = `credence:pending:${config.assignmentId}`;

const el = (id) => document.getElementById(id);
const root = el("workspace");
const showClaims = claimPanel(el("claim-panel"), { projectId: config.projectId });
const textBox = el("article-text");

const state = {
  spans: new Map(),        // key -> span; key is "s<id>" once saved, "t<n>" before
  nextTemp: 1,
  queue: [],               // pending operations, oldest first
  busy: false,
  retryTimer: null,
  retryDelay: 1000,
  selection: null,         // {start, end} in code points, awaiting a label
  activeKey: null,
  undo: [],
  assessment: { credibility: null, comment: "", version: null },
  submitted: config.submitted,
  conflict: null,
  lastError: "",           // why the oldest change is not saved yet (network down, server error)
  suggestion: null,        // {key, sourceId, name} for the active span, from the words around it
};

// ---------------------------------------------------------------- persistence of the queue

function persist() {
  try {
    if (state.queue.length) {
      localStorage.setItem(storageKey, JSON.stringify({ queue: state.queue, nextTemp: state.nextTemp }));
    } else {
      localStorage.removeItem(storageKey);
    }
  } catch (storageError) {
    // Private mode or a full quota: the queue still lives in memory and the page warns before unload.
  }
}

function restore() {
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(storageKey) || "null");
  } catch (parseError) {
    saved = null;
  }
  if (!saved || !Array.isArray(saved.queue)) return;
  state.nextTemp = Math.max(state.nextTemp, saved.nextTemp || 1);
  for (const op of saved.queue) {
    if (op.type === "create") {
      state.spans.set(op.key, { ...op.fields, key: op.key, id: null, version: 0, status: "failed" });
    } else if (op.type === "update" && state.spans.has(op.key)) {
      Object.assign(state.spans.get(op.key), op.fields, { status: "failed" });
    } else if (op.type === "delete") {
      state.spans.delete(op.key);
    } else if (op.type === "assessment") {
      Object.assign(state.assessment, op.fields);
    }
    state.queue.push(op);
  }
}

// ---------------------------------------------------------------- the save queue

function enqueue(op) {
  // Also the operation's Idempotency-Key: kept with the queue (and in localStorage), so that a save whose
  // answer was lost is sent again with the same key and the server replays its answer instead of writing twice.
  op.opId = `${config.assignmentId}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  if (op.type === "assessment") {
    // Only the latest article score matters: drop queued ones that have not started.
    state.queue = state.queue.filter((queued, index) => queued.type !== "assessment" || (index === 0 && state.busy));
  }
  state.queue.push(op);
  persist();
  renderSaveState();
  pump();
}

async function pump() {
  if (state.busy || !state.queue.length || state.conflict) return;
  state.busy = true;
  const op = state.queue[0];
  markOp(op, "saving");
  renderSaveState();
  try {
    await run(op);
    state.queue.shift();
    state.retryDelay = 1000;
    state.lastError = "";
    markOp(op, "saved");
  } catch (error) {
    if (!(error instanceof ApiError) || error.isTransient) {
      markOp(op, "failed");
      scheduleRetry();
      state.busy = false;
      state.lastError = error instanceof ApiError ? error.message : String(error);
      render();
      return;
    }
    handleRefusal(op, error);
  }
  state.busy = false;
  persist();
  render();
  pump();
}

function scheduleRetry() {
  clearTimeout(state.retryTimer);
  state.retryTimer = setTimeout(() => pump(), state.retryDelay);
  state.retryDelay = Math.min(state.retryDelay * 2, 15000);
}

function retryNow() {
  clearTimeout(state.retryTimer);
  state.retryDelay = 1000;
  pump();
}

function markOp(op, status) {
  const span = op.key && state.spans.get(op.key);
  if (span) span.status = status;
}

function spanPayload(span) {
  return {
    start: span.start, end: span.end, quote: span.quote, label: span.label,
    source: span.source ?? null, credibility: span.credibility ?? null, note: span.note || "",
  };
}

async function run(op) {
  const span = op.key && state.spans.get(op.key);
  const once = { "Idempotency-Key": `"${op.opId}"` };
  if (op.type === "create") {
    if (!span) return;                       // deleted locally before it was ever saved
    try {
      // The body as queued, not the span now: a retry must repeat the request exactly (later edits are
      // queued as updates behind it).
      const body = op.fields || spanPayload(span);
      const saved = await request("POST", `${API}/assignments/${config.assignmentId}/spans/`, body, once);
      adoptServerSpan(op.key, saved);
    } catch (error) {
      // A create whose answer was lost and is sent again finds its own span: take that one.
      if (error instanceof ApiError && error.code === "duplicate_span") {
        const existing = (await loadServerSpans()).find(
          (s) => s.start === span.start && s.end === span.end && s.label === span.label,
        );
        if (existing && !findKeyById(existing.id)) {
          adoptServerSpan(op.key, existing);
          if (differs(span, existing)) enqueue({ type: "update", key: op.key, fields: editableFields(span) });
          return;
        }
      }
      throw error;
    }
  } else if (op.type === "update") {
    if (!span || span.id === null) return;
    const saved = await request("PATCH", `${API}/spans/${span.id}/`, op.fields,
      { "If-Match": `"${span.version}"`, ...once });
    span.version = saved.version;
    span.quote = saved.quote;
    span.sourceName = saved.source_name;
  } else if (op.type === "delete") {
    if (op.id === null || op.id === undefined) return;
    try {
      await request("DELETE", `${API}/spans/${op.id}/`, undefined, { "If-Match": `"${op.version}"`, ...once });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;   // already gone
    }
  } else if (op.type === "assessment") {
    await saveAssessment({ credibility: op.fields.credibility, comment: op.fields.comment }, once);
  }
}

// The version this page loaded goes with every save, "0" while none is stored, so a score saved meanwhile in
// another tab or window is never silently replaced: the server answers 412 and the analyst is told.
async function saveAssessment(body, once) {
  const url = `${API}/assignments/${config.assignmentId}/assessment/`;
  try {
    const saved = await request("PUT", url, body, { "If-Match": `"${state.assessment.version}"`, ...once });
    state.assessment.version = saved.version;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 412) throw error;
    const stored = await request("GET", url);
    state.assessment.version = stored.version;
    // Already stored as sent: an earlier attempt of this save landed and its answer was lost.
    if (stored.credibility === body.credibility && stored.comment === body.comment) return;
    Object.assign(state.assessment, { credibility: stored.credibility, comment: stored.comment });
    throw error;
  }
}

function handleRefusal(op, error) {
  const span = op.key && state.spans.get(op.key);
  state.queue.shift();
  if (error.status === 412 && span) {
    openConflict(span, op.fields);
    return;
  }
  if (error.status === 412 && op.type === "assessment") {
    const score = (value) => (value === null || value === undefined ? "none" : value);
    el("assessment-error").textContent = `Not saved: the article score was changed in another tab or window `
      + `to ${score(state.assessment.credibility)} (yours: ${score(op.fields.credibility)}). `
      + "It shows the saved score now; choose again to replace it.";
    return;
  }
  if (error.code === "assignment_locked") {
    state.submitted = true;
  }
  if (span) {
    span.status = "error";
    span.error = error.message;
  }
  showEditorError(error.message);
}

function adoptServerSpan(key, saved) {
  const span = state.spans.get(key);
  if (!span) {
    // Deleted on screen while its create was on the way: delete it on the server too.
    enqueue({ type: "delete", key: null, id: saved.id, version: saved.version });
    return;
  }
  const newKey = `s${saved.id}`;
  const server = fromServer(saved);
  // Edits made while the create was on its way are queued behind it as updates: they stay on screen, and
  // the server's answer gives only what it owns (id, version, quote) until they land.
  const edited = state.queue.some((op) => op.key === key && op.type === "update");
  Object.assign(span, edited ? { id: server.id, version: server.version, quote: server.quote } : server,
    { key: newKey, status: "saved" });
  state.spans.delete(key);
  state.spans.set(newKey, span);
  for (const op of state.queue) if (op.key === key) op.key = newKey;
  for (const entry of state.undo) if (entry.key === key) entry.key = newKey;
  if (state.activeKey === key) state.activeKey = newKey;
  if (state.suggestion && state.suggestion.key === key) state.suggestion.key = newKey;
}

function findKeyById(id) {
  return state.spans.has(`s${id}`) ? `s${id}` : null;
}

function fromServer(s) {
  return {
    id: s.id, start: s.start, end: s.end, quote: s.quote, label: s.label, source: s.source,
    sourceName: s.source_name, credibility: s.credibility, note: s.note, version: s.version,
  };
}

function editableFields(span) {
  return { label: span.label, source: span.source ?? null, credibility: span.credibility ?? null, note: span.note || "" };
}

function differs(span, server) {
  const mine = editableFields(span);
  return mine.label !== server.label || mine.source !== server.source
    || mine.credibility !== server.credibility || mine.note !== server.note;
}

async function loadServerSpans() {
  return request("GET", `${API}/assignments/${config.assignmentId}/spans/`);
}

// ---------------------------------------------------------------- actions (each one undoable)

function createSpan(fields, { undoable = true } = {}) {
  const key = `t${state.nextTemp++}`;
  const span = { key, id: null, version: 0, status: "saving", source: null, sourceName: null,
    credibility: null, note: "", ...fields };
  state.spans.set(key, span);
  if (undoable) state.undo.push({ type: "create", key });
  enqueue({ type: "create", key, fields: spanPayload(span) });
  selectSpan(key);
  return key;
}

function updateSpan(key, fields, { undoable = true } = {}) {
  const span = state.spans.get(key);
  if (!span || state.submitted) return;
  const before = {};
  for (const name of Object.keys(fields)) before[name] = span[name];
  if (undoable) state.undo.push({ type: "update", key, before });
  Object.assign(span, fields);
  const sent = { ...fields };
  delete sent.sourceName;
  enqueue({ type: "update", key, fields: sent });
  render();
}

function deleteSpan(key, { undoable = true } = {}) {
  const span = state.spans.get(key);
  if (!span || state.submitted) return;
  if (undoable) state.undo.push({ type: "delete", snapshot: { ...span } });
  state.spans.delete(key);
  if (span.id === null) {
    // Never saved: drop its queued create and edits instead of sending a delete.
    state.queue = state.queue.filter((op, index) => op.key !== key || (index === 0 && state.busy));
    persist();
  } else {
    enqueue({ type: "delete", key, id: span.id, version: span.version });
  }
  if (state.activeKey === key) state.activeKey = null;
  render();
}

function undo() {
  const entry = state.undo.pop();
  if (!entry || state.submitted) return;
  if (entry.type === "create") deleteSpan(entry.key, { undoable: false });
  else if (entry.type === "update") updateSpan(entry.key, entry.before, { undoable: false });
  else if (entry.type === "delete") {
    const s = entry.snapshot;
    createSpan({ start: s.start, end: s.end, quote: s.quote, label: s.label, source: s.source,
      sourceName: s.sourceName, credibility: s.credibility, note: s.note }, { undoable: false });
  }
  render();
}

function labelSelection(labelKey) {
  if (!state.selection || state.submitted) return;
  const { start, end } = state.selection;
  const duplicate = [...state.spans.values()].find((s) => s.start === start && s.end === end && s.label === labelKey);
  clearSelection();
  if (duplicate) {
    selectSpan(duplicate.key);
    showEditorError("This passage already has that label.");
    return;
  }
  createSpan({ start, end, quote: chars.slice(start, end).join(""), label: labelKey });
}

function setAssessment(fields) {
  if (state.submitted) return;
  el("assessment-error").textContent = "";
  Object.assign(state.assessment, fields);
  enqueue({ type: "assessment", fields: { credibility: state.assessment.credibility, comment: state.assessment.comment } });
  renderAssessment();
}

async function submitAssignment() {
  if (state.submitted) return;
  if (state.queue.length) {
    renderSaveState("Wait until every change is saved before submitting.");
    retryNow();
    return;
  }
  if (!window.confirm("Submit this article? It is then locked until a reviewer reopens it.")) return;
  try {
    await request("POST", `${API}/assignments/${config.assignmentId}/submit/`);
    state.submitted = true;
    render();
  } catch (error) {
    renderSaveState(error.message);
  }
}

// ---------------------------------------------------------------- conflicts (412)

async function openConflict(span, mineFields) {
  let theirs;
  try {
    theirs = fromServer(await request("GET", `${API}/spans/${span.id}/`));
  } catch (error) {
    showEditorError(error.message);
    return;
  }
  const mine = { ...editableFields(span), ...mineFields };
  if (!differs(mine, theirs)) {
    // Stored as this tab wanted: an earlier attempt of the same save landed and its answer was lost.
    Object.assign(span, theirs, { key: span.key, status: "saved" });
    render();
    return;
  }
  state.conflict = { key: span.key, mine, theirs };
  selectSpan(span.key);
  const describe = (fields) => [
    ["Label", labelsByKey.get(fields.label)?.name || fields.label],
    ["Source", fields.sourceName || (fields.source ? `#${fields.source}` : "none")],
    ["Credibility", fields.credibility ?? "none"],
    ["Note", fields.note || ""],
  ];
  fillDl(el("conflict-mine"), describe({ ...state.conflict.mine, sourceName: span.sourceName }));
  fillDl(el("conflict-theirs"), describe(theirs));
  el("conflict").hidden = false;
  renderSaveState();
}

function resolveConflict(keepMine) {
  const { key, mine, theirs } = state.conflict;
  const span = state.spans.get(key);
  state.conflict = null;
  el("conflict").hidden = true;
  if (span) {
    Object.assign(span, theirs, { key, status: "saved" });
    if (keepMine) updateSpan(key, mine, { undoable: false });
  }
  render();
  pump();
}

function fillDl(dl, rows) {
  dl.replaceChildren();
  for (const [term, value] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = String(value);
    dl.append(dt, dd);
  }
}

// ---------------------------------------------------------------- selection in the text

function readSelection() {
  const selection = window.getSelection();
  if (!selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  if (range.collapsed || !textBox.contains(range.startContainer) || !textBox.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.setStart(textBox, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const startUnit = before.toString().length;
  const endUnit = startUnit + range.toString().length;
  let start = toCodePoint(tables, startUnit);
  let end = toCodePoint(tables, endUnit);
  if (el("snap-words").checked) [start, end] = snapToWords(chars, start, end);
  while (start < end && /\s/u.test(chars[start])) start += 1;
  while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
  return end > start ? { start, end } : null;
}

function onSelectionGesture() {
  if (state.submitted) return;
  const picked = readSelection();
  state.selection = picked;
  renderSelection();
}

function clearSelection() {
  state.selection = null;
  window.getSelection().removeAllRanges();
  renderSelection();
}

function onTextClick(event) {
  if (state.selection) return;
  const segment = event.target.closest(".seg");
  if (!segment) return;
  const keys = segment.dataset.keys.split(" ");
  // Repeated clicks on a place where spans overlap go through them, innermost first.
  const index = keys.indexOf(state.activeKey);
  selectSpan(keys[(index + 1) % keys.length]);
}

function selectSpan(key) {
  state.activeKey = key;
  showEditorError("");
  render();
  const item = el("span-list").querySelector(`[data-key="${key}"]`);
  if (item) item.scrollIntoView({ block: "nearest", container: "nearest" });  // scroll the list, not the panel
}

function scrollToSpan(key) {
  const segment = textBox.querySelector(`.seg[data-keys~="${key}"]`);
  if (segment) segment.scrollIntoView({ block: "center" });
}

function moveActive(step) {
  const ordered = sortedSpans();
  if (!ordered.length) return;
  const index = ordered.findIndex((s) => s.key === state.activeKey);
  const next = ordered[(index + step + ordered.length) % ordered.length];
  selectSpan(next.key);
  scrollToSpan(next.key);
}

// ---------------------------------------------------------------- keyboard

function onKeyDown(event) {
  const typing = event.target.matches("input, textarea, select");
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !typing) {
    event.preventDefault();
    undo();
    return;
  }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) {
    if (event.key === "Escape" && event.target.id === "source-input") closeOptions();
    return;
  }
  if (state.selection) {
    const label = config.labels.find((l) => l.hotkey && l.hotkey === event.key);
    if (label) {
      event.preventDefault();
      labelSelection(label.key);
      return;
    }
  }
  const active = state.activeKey && state.spans.get(state.activeKey);
  if (/^[0-9]$/.test(event.key) && active && !state.selection) {
    const score = Number(event.key);
    if (score >= config.scaleMin && score <= config.scaleMax) {
      event.preventDefault();
      updateSpan(active.key, { credibility: score });
    }
    return;
  }
  const key = event.key.toLowerCase();
  if (event.key === "Escape") {
    clearSelection();
    state.activeKey = null;
    render();
  } else if ((event.key === "Delete" || event.key === "Backspace") && active) {
    event.preventDefault();
    deleteSpan(active.key);
  } else if (key === "a" && active && !state.submitted && state.suggestion?.key === active.key) {
    event.preventDefault();
    acceptSuggestion();
  } else if (key === "s" && active && !state.submitted) {
    event.preventDefault();
    el("source-input").focus();
  } else if (key === "n" && active && !state.submitted) {
    event.preventDefault();
    el("span-note").focus();
  } else if (key === "w") {
    event.preventDefault();
    el("snap-words").checked = !el("snap-words").checked;
  } else if (event.key === "]") {
    event.preventDefault();
    moveActive(1);
  } else if (event.key === "[") {
    event.preventDefault();
    moveActive(-1);
  }
}

// ---------------------------------------------------------------- source type-ahead

let sourceTimer = null;
let sourceOptions = [];
let sourceIndex = -1;

function onSourceInput() {
  clearTimeout(sourceTimer);
  sourceTimer = setTimeout(searchSources, 150);
}

async function searchSources() {
  const typed = el("source-input").value.trim();
  let found = [];
  try {
    found = await request("GET", `${API}/projects/${config.projectId}/sources/?search=${encodeURIComponent(typed)}`);
  } catch (error) {
    showEditorError(error.message);
  }
  sourceOptions = found.slice(0, 12).map((s) => ({ id: s.id, name: s.name, detail: [s.kind, ...s.aliases].join(" · ") }));
  if (typed && !found.some((s) => s.name.toLowerCase() === typed.toLowerCase())) {
    sourceOptions.push({ create: typed, name: `Create source “${typed}”`, detail: "adds it to the project registry" });
  }
  sourceIndex = sourceOptions.length ? 0 : -1;
  renderOptions();
}

function renderOptions() {
  const list = el("source-options");
  list.replaceChildren();
  sourceOptions.forEach((option, index) => {
    const li = document.createElement("li");
    li.id = `source-option-${index}`;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", String(index === sourceIndex));
    const name = document.createElement("span");
    name.className = "option-name";
    name.textContent = option.name;
    const detail = document.createElement("small");
    detail.textContent = option.detail;
    li.append(name, detail);
    li.addEventListener("mousedown", (event) => {
      event.preventDefault();
      chooseSource(option);
    });
    list.append(li);
  });
  list.hidden = !sourceOptions.length;
  el("source-input").setAttribute("aria-expanded", String(!list.hidden));
  el("source-input").setAttribute("aria-activedescendant", sourceIndex >= 0 ? `source-option-${sourceIndex}` : "");
}

function closeOptions() {
  sourceOptions = [];
  sourceIndex = -1;
  renderOptions();
}

function onSourceKey(event) {
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (!sourceOptions.length) return;
    sourceIndex = (sourceIndex + (event.key === "ArrowDown" ? 1 : -1) + sourceOptions.length) % sourceOptions.length;
    renderOptions();
  } else if (event.key === "Enter") {
    event.preventDefault();
    if (sourceIndex >= 0) chooseSource(sourceOptions[sourceIndex]);
  } else if (event.key === "Escape") {
    closeOptions();
    el("source-input").blur();
  }
}

async function chooseSource(option) {
  const key = state.activeKey;
  if (!key) return;
  let chosen = option;
  if (option.create) {
    try {
      const created = await request("POST", `${API}/projects/${config.projectId}/sources/`, { name: option.create });
      chosen = { id: created.id, name: created.name };
    } catch (error) {
      showEditorError(error.message);
      return;
    }
  }
  closeOptions();
  el("source-input").value = "";
  updateSpan(key, { source: chosen.id, sourceName: chosen.name });
  textBox.focus();
}

// ---------------------------------------------------------------- suggested source

let suggestionFor = null;

async function loadSuggestion(span) {
  if (!span || span.source || state.submitted) return;
  const wanted = `${span.key}:${span.start}-${span.end}`;
  if (suggestionFor === wanted) return;
  suggestionFor = wanted;
  try {
    const found = await request(
      "GET", `${API}/assignments/${config.assignmentId}/source-suggestions/?start=${span.start}&end=${span.end}`);
    if (suggestionFor !== wanted || !found.length) return;
    state.suggestion = { key: span.key, sourceId: found[0].source_id, name: found[0].name };
    renderEditor();
  } catch (error) {
    // A suggestion is a convenience: without one the analyst picks the source by hand.
  }
}

function acceptSuggestion() {
  const { key, sourceId, name } = state.suggestion;
  state.suggestion = null;
  updateSpan(key, { source: sourceId, sourceName: name });
}

// ---------------------------------------------------------------- rendering

// What the last render drew, so the next one rewrites only what changed: rebuilding every segment and list
// item on each change made one more span cost a full style and layout of the page with 1,000 spans
// (bench/workspace_render.py). A node is reused only while it shows the same text as it would be built with.
const drawn = {
  pieces: new Map(),  // "from-to" (code points) -> {node, look}: a text node (look null) or a .seg
  items: new Map(),   // span key -> {node, look}: its list item and the values it shows
};

function sortedSpans() {
  return [...state.spans.values()].sort((a, b) => a.start - b.start || b.end - a.end || a.key.localeCompare(b.key));
}

function renderText() {
  const spans = sortedSpans();
  const cuts = new Set([0, tables.length]);
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const previous = drawn.pieces;
  drawn.pieces = new Map();
  const nodes = [];
  let next = 0;
  let open = [];
  for (let i = 0; i < points.length - 1; i += 1) {
    const from = points[i];
    const to = points[i + 1];
    open = open.filter((s) => s.end > from);
    while (next < spans.length && spans[next].start <= from) {
      if (spans[next].end > from) open.push(spans[next]);
      next += 1;
    }
    const piece = text.slice(toUtf16(tables, from), toUtf16(tables, to));
    const id = `${from}-${to}`;
    const old = previous.get(id);
    if (!open.length) {
      const node = old && !old.look && old.node.data === piece ? old.node : document.createTextNode(piece);
      drawn.pieces.set(id, { node, look: null });
      nodes.push(node);
      continue;
    }
    // Innermost (shortest) span first: it gives the background; every covering span adds an underline.
    const covering = [...open].sort((a, b) => (a.end - a.start) - (b.end - b.start));
    const inner = labelsByKey.get(covering[0].label);
    const classes = ["seg", `label-${(inner ? inner.index : 0) + 1}`];
    if (covering.some((s) => s.key === state.activeKey)) classes.push("active");
    if (covering.some((s) => s.status === "failed" || s.status === "error")) classes.push("unsaved");
    const starting = covering.filter((s) => s.start === from);
    const look = {
      className: classes.join(" "),
      keys: covering.map((s) => s.key).join(" "),
      background: tint(inner ? inner.color : "#888888", covering.length > 1 ? 0.32 : 0.22),
      shadow: covering
        .map((s, depth) => `inset 0 -${2 + depth * 3}px 0 0 ${(labelsByKey.get(s.label) || {}).color || "#888"}`)
        .join(", "),
      tag: starting.length ? starting.map((s) => (labelsByKey.get(s.label)?.name || s.label)[0]).join("") : null,
      title: covering.map((s) => describeSpan(s)).join("\n"),
    };
    const reuse = old && old.look && old.node.textContent === piece;
    const seg = reuse ? old.node : document.createElement("span");
    drawSegment(seg, look, reuse ? old.look : {});
    if (!reuse) seg.textContent = piece;
    drawn.pieces.set(id, { node: seg, look });
    nodes.push(seg);
  }
  placeChildren(textBox, nodes);
}

/** Write to a segment only the attributes whose value differs from what was written before. */
function drawSegment(seg, look, before) {
  if (look.className !== before.className) seg.className = look.className;
  if (look.keys !== before.keys) seg.dataset.keys = look.keys;
  if (look.background !== before.background) seg.style.backgroundColor = look.background;
  if (look.shadow !== before.shadow) seg.style.boxShadow = look.shadow;
  if (look.tag !== before.tag) {
    if (look.tag === null) delete seg.dataset.tag;
    else seg.dataset.tag = look.tag;
  }
  if (look.title !== before.title) seg.title = look.title;
}

/** Make ``nodes`` the children of ``container``, in order, moving only what is new or gone. */
function placeChildren(container, nodes) {
  const keep = new Set(nodes);
  for (const child of [...container.childNodes]) if (!keep.has(child)) child.remove();
  let cursor = container.firstChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextSibling;
    else container.insertBefore(node, cursor);
  }
}

function tint(hex, alpha) {
  const value = parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

function describeSpan(s) {
  const label = labelsByKey.get(s.label)?.name || s.label;
  const source = s.sourceName ? ` · ${s.sourceName}` : "";
  const score = s.credibility ? ` · credibility ${s.credibility}` : "";
  return `${label}${source}${score}`;
}

function renderList() {
  const list = el("span-list");
  const spans = sortedSpans();
  el("span-count").textContent = String(spans.length);
  const previous = drawn.items;
  drawn.items = new Map();
  const items = spans.map((s) => {
    const look = [
      `span-item label-${(labelsByKey.get(s.label)?.index ?? 0) + 1} status-${s.status || "saved"}`,
      labelsByKey.get(s.label)?.name || s.label,
      labelsByKey.get(s.label)?.color || "#888",
      [s.sourceName || "no source", s.credibility ? `★ ${s.credibility}` : "unscored"].join(" · "),
      { saving: "saving…", failed: "not saved", error: "refused" }[s.status] || "",
      s.quote.length > 160 ? `${s.quote.slice(0, 159)}…` : s.quote,
    ];
    const selected = String(s.key === state.activeKey);
    const old = previous.get(s.key);
    let li;
    if (old && old.look.every((value, index) => value === look[index])) {
      li = old.node;
      if (li.getAttribute("aria-selected") !== selected) li.setAttribute("aria-selected", selected);
    } else {
      li = listItem(s.key, look, selected);
    }
    drawn.items.set(s.key, { node: li, look });
    return li;
  });
  placeChildren(list, items);
  list.setAttribute("aria-activedescendant", state.activeKey ? `item-${state.activeKey}` : "");
}

/** A new item of the span list showing ``look``, the values renderList computed for it. */
function listItem(key, [className, labelName, color, metaText, statusText, quoteText], selected) {
  const li = document.createElement("li");
  li.setAttribute("role", "option");
  li.dataset.key = key;
  li.id = `item-${key}`;
  li.setAttribute("aria-selected", selected);
  li.className = className;
  const head = document.createElement("div");
  head.className = "item-head";
  const label = document.createElement("span");
  label.className = "item-label";
  label.textContent = labelName;
  label.style.borderColor = color;
  const meta = document.createElement("span");
  meta.className = "item-meta";
  meta.textContent = metaText;
  const status = document.createElement("span");
  status.className = "item-status";
  status.textContent = statusText;
  head.append(label, meta, status);
  const quote = document.createElement("q");
  quote.textContent = quoteText;
  li.append(head, quote);
  li.addEventListener("click", () => {
    selectSpan(key);
    scrollToSpan(key);
  });
  return li;
}

function renderEditor() {
  const span = state.activeKey && state.spans.get(state.activeKey);
  const editor = el("span-editor");
  editor.hidden = !span;
  if (!span) return;
  el("editor-quote").textContent = span.quote;
  const labels = el("editor-labels");
  labels.replaceChildren(...config.labels.map((label) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label.name;
    button.className = `chip label-${labelsByKey.get(label.key).index + 1}`;
    button.setAttribute("role", "radio");
    button.setAttribute("aria-checked", String(span.label === label.key));
    button.disabled = state.submitted;
    button.addEventListener("click", () => {
      if (span.label === label.key) return;
      if ([...state.spans.values()].some((s) => s !== span && s.start === span.start && s.end === span.end && s.label === label.key)) {
        showEditorError("This passage already has that label.");
        return;
      }
      updateSpan(span.key, { label: label.key });
    });
    return button;
  }));
  el("current-source").textContent = span.sourceName ? `Attributed to ${span.sourceName}` : "No source yet.";
  const suggested = !span.source && state.suggestion && state.suggestion.key === span.key;
  el("source-suggestion").hidden = !suggested || state.submitted;
  if (suggested) el("accept-suggestion").textContent = state.suggestion.name;
  else loadSuggestion(span);
  el("source-input").disabled = state.submitted;
  renderScores(el("span-scores"), span.credibility, (score) => updateSpan(span.key, { credibility: score }));
  const note = el("span-note");
  if (document.activeElement !== note) note.value = span.note || "";
  note.disabled = state.submitted;
  el("delete-span").disabled = state.submitted;
  showClaims(span.id === null ? null : { span: span.id }, !state.submitted);
}

function renderScores(container, current, onPick) {
  container.replaceChildren();
  for (let score = config.scaleMin; score <= config.scaleMax; score += 1) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "score";
    button.textContent = String(score);
    button.setAttribute("role", "radio");
    button.setAttribute("aria-checked", String(current === score));
    button.setAttribute("aria-label", `Credibility ${score} of ${config.scaleMax}`);
    button.disabled = state.submitted;
    button.addEventListener("click", () => onPick(current === score ? null : score));
    container.append(button);
  }
}

function renderAssessment() {
  renderScores(el("article-scores"), state.assessment.credibility, (score) => setAssessment({ credibility: score }));
  const comment = el("article-comment");
  if (document.activeElement !== comment) comment.value = state.assessment.comment || "";
  comment.disabled = state.submitted;
  el("submit-assignment").disabled = state.submitted;
  el("submit-assignment").textContent = state.submitted ? "Submitted" : "Submit";
}

function renderSelection() {
  const ready = Boolean(state.selection) && !state.submitted;
  for (const button of document.querySelectorAll(".label-button")) button.disabled = !ready;
  root.dataset.selection = ready ? `${state.selection.start}-${state.selection.end}` : "";
}

function renderSaveState(message) {
  const pending = state.queue.length;
  let save = "saving";
  if (state.conflict) save = "conflict";
  else if (!pending) save = "saved";
  else if (state.lastError && !state.busy) save = "failed";
  const plural = pending > 1 ? "s" : "";
  const text = {
    conflict: "Conflict: choose a version",
    saved: "All changes saved",
    failed: `${pending} change${plural} not saved: ${state.lastError} Retrying…`,
    saving: `Saving… (${pending})`,
  }[save];
  el("save-state").textContent = message || text;
  root.dataset.save = save;
  el("retry").hidden = save !== "failed";
}

function showEditorError(message) {
  el("editor-error").textContent = message || "";
}

function render() {
  renderText();
  renderList();
  renderEditor();
  renderAssessment();
  renderSelection();
  renderSaveState();
  el("undo").disabled = !state.undo.length || state.submitted;
  el("locked-note").hidden = !state.submitted;
  root.dataset.submitted = String(state.submitted);
  textBox.setAttribute("aria-readonly", "true");
}

// ---------------------------------------------------------------- start

function wire() {
  for (const swatch of document.querySelectorAll(".swatch")) swatch.style.backgroundColor = swatch.dataset.color;
  // The text is editable only so that the keyboard can move a caret and select: every edit is refused.
  textBox.addEventListener("beforeinput", (event) => event.preventDefault());
  textBox.addEventListener("paste", (event) => event.preventDefault());
  textBox.addEventListener("drop", (event) => event.preventDefault());
  textBox.addEventListener("mouseup", onSelectionGesture);
  textBox.addEventListener("keyup", (event) => {
    if (event.shiftKey || event.key.startsWith("Arrow")) onSelectionGesture();
  });
  textBox.addEventListener("click", onTextClick);
  document.addEventListener("keydown", onKeyDown);
  for (const button of document.querySelectorAll(".label-button")) {
    button.addEventListener("mousedown", (event) => event.preventDefault());   // keep the text selection
    button.addEventListener("click", () => labelSelection(button.dataset.label));
  }
  el("undo").addEventListener("click", undo);
  el("accept-suggestion").addEventListener("click", () => state.suggestion && acceptSuggestion());
  el("retry").addEventListener("click", retryNow);
  el("delete-span").addEventListener("click", () => state.activeKey && deleteSpan(state.activeKey));
  el("keep-mine").addEventListener("click", () => resolveConflict(true));
  el("take-theirs").addEventListener("click", () => resolveConflict(false));
  el("source-input").addEventListener("input", onSourceInput);
  el("source-input").addEventListener("focus", onSourceInput);
  el("source-input").addEventListener("keydown", onSourceKey);
  el("source-input").addEventListener("blur", () => setTimeout(closeOptions, 150));
  el("span-note").addEventListener("change", (event) => {
    if (state.activeKey) updateSpan(state.activeKey, { note: event.target.value });
  });
  el("article-comment").addEventListener("change", (event) => setAssessment({ comment: event.target.value }));
  el("submit-assignment").addEventListener("click", submitAssignment);
  window.addEventListener("online", retryNow);
  window.addEventListener("beforeunload", (event) => {
    if (state.queue.length) event.preventDefault();
  });
}

async function start() {
  wire();
  try {
    for (const s of await loadServerSpans()) state.spans.set(`s${s.id}`, { ...fromServer(s), key: `s${s.id}`, status: "saved" });
    const assessment = await request("GET", `${API}/assignments/${config.assignmentId}/assessment/`);
    Object.assign(state.assessment, { credibility: assessment.credibility, comment: assessment.comment, version: assessment.version });
  } catch (error) {
    root.dataset.state = "error";
    el("save-state").textContent = `Could not load your spans: ${error.message} Reload to try again.`;
    return;
  }
  restore();
  root.dataset.state = "ready";
  render();
  pump();
}

start();
