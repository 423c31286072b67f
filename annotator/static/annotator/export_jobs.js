// The dashboard's background exports: queue an export with the form's parameters, then list the project's
// recent jobs, refreshed while one is queued or running, with a download link once a job is done.

import { request } from "./api.js";

const button = document.getElementById("export-background");
const form = document.getElementById("export-form");
const table = document.getElementById("export-jobs");
const status = document.getElementById("export-jobs-status");
const POLL_MS = 2000;
let timer = null;

const isPending = (job) => job.status === "queued" || job.status === "running";

function cell(row, text) {
  const td = row.insertCell();
  td.textContent = text;
  return td;
}

function statusText(job) {
  const name = job.status.charAt(0).toUpperCase() + job.status.slice(1);
  if (job.status === "running" && job.articles_total) return `${name} (${job.articles_done} of ${job.articles_total} articles)`;
  if (job.status === "failed") return `${name}: ${job.error}`;
  return name;
}

function render(jobs) {
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const job of jobs.slice(0, 10)) {
    const row = body.insertRow();
    row.dataset.status = job.status;
    cell(row, job.created_at.slice(0, 16).replace("T", " "));
    cell(row, job.format);
    cell(row, job.layer);
    cell(row, job.requested_by || "—");
    cell(row, statusText(job));
    const file = cell(row, "");
    if (job.download_url) {
      const link = document.createElement("a");
      link.href = job.download_url;
      link.textContent = "Download";
      file.append(link);
    }
  }
  table.hidden = jobs.length === 0;
}

async function refresh() {
  timer = null;
  try {
    const jobs = await request("GET", button.dataset.url);
    render(jobs);
    if (jobs.some(isPending)) timer = setTimeout(refresh, POLL_MS);
  } catch (error) {
    status.textContent = `Could not refresh the background exports: ${error.message}`;
    timer = setTimeout(refresh, POLL_MS * 5);
  }
}

button.addEventListener("click", async () => {
  const fields = new FormData(form);
  button.disabled = true;
  try {
    const job = await request("POST", button.dataset.url, {
      format: fields.get("format"),
      layer: fields.get("layer"),
      min_agreement: Number(fields.get("min_agreement")),
    });
    status.textContent = `Export ${job.format} (${job.layer}) queued; the file appears below when it is ready.`;
    if (timer) clearTimeout(timer);
    await refresh();
  } catch (error) {
    status.textContent = `The export was not queued: ${error.message}`;
  } finally {
    button.disabled = false;
  }
});

if ([...table.tBodies[0].rows].some((row) => isPending(row.dataset))) {
  timer = setTimeout(refresh, POLL_MS);
}
