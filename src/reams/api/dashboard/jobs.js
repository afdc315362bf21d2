// The jobs view: every batch job of the project, newest first, refreshed by short polling.

import { get } from "./api.js";
import {
  alertBox, badge, fill, fmtCount, fmtDuration, fmtRelative, fmtTime, h, progressBar, select,
} from "./dom.js";

export const JOB_STATUSES = ["pending", "dispatched", "running", "completed", "failed", "cancelled"];
export const JOB_TYPES = ["parse", "classify", "extract"];
export const FINISHED = new Set(["completed", "failed", "cancelled"]);
const PAGE = 25;

export function terminalItems(job) {
  return (job.processed_items || 0) + (job.failed_items || 0) + (job.skipped_items || 0) +
    (job.cancelled_items || 0);
}

/** 100 × terminal items / total, as the API's progress_percentage; 100 for an empty
 * finished job. */
export function progressOf(job) {
  if (!job.total_items) return FINISHED.has(job.status) ? 100 : 0;
  return (100 * terminalItems(job)) / job.total_items;
}

/** Items worked per second since the job started (skipped items cost nothing: left out). */
export function throughput(job) {
  if (!job.started_at) return null;
  const end = job.completed_at ? new Date(job.completed_at) : new Date();
  const seconds = (end.getTime() - new Date(job.started_at).getTime()) / 1000;
  const worked = (job.processed_items || 0) + (job.failed_items || 0);
  if (!(seconds > 0.5) || worked === 0) return null;
  return worked / seconds;
}

export function fmtRate(rate) {
  if (rate === null || rate === undefined) return "—";
  if (rate >= 1) return `${rate.toFixed(rate >= 10 ? 0 : 1)} items/s`;
  return `${(rate * 60).toFixed(1)} items/min`;
}

export function eta(job) {
  if (FINISHED.has(job.status)) {
    return job.started_at && job.completed_at
      ? `took ${fmtDuration((new Date(job.completed_at) - new Date(job.started_at)) / 1000)}`
      : "—";
  }
  return job.estimated_completion_at ? fmtRelative(job.estimated_completion_at) : "—";
}

export function countsLine(job) {
  const parts = [`${fmtCount(job.processed_items)} done`];
  if (job.failed_items) parts.push(`${fmtCount(job.failed_items)} failed`);
  if (job.skipped_items) parts.push(`${fmtCount(job.skipped_items)} skipped`);
  if (job.cancelled_items) parts.push(`${fmtCount(job.cancelled_items)} cancelled`);
  if (job.processing_items) parts.push(`${fmtCount(job.processing_items)} in flight`);
  return `${parts.join(" · ")} / ${fmtCount(job.total_items)}`;
}

/** "bjb-066b3373-1bf7-…" → "bjb-066b3373…" (the full id is the link's title). */
export function shortId(id) {
  const match = /^([a-z]+-[0-9a-f]{8})[0-9a-f-]{20,}$/.exec(id);
  return match ? `${match[1]}…` : id;
}

/** The jobs table, shared by this view and the directory view. */
export function jobsTable(jobs) {
  if (!jobs.length) return h("p", { class: "muted empty", text: "No jobs." });
  return h(
    "table",
    { class: "grid jobs" },
    h(
      "thead",
      {},
      h("tr", {}, ["Job", "Type", "Status", "Progress", "Items", "Throughput", "ETA", "Created"]
        .map((t) => h("th", { text: t }))),
    ),
    h(
      "tbody",
      {},
      jobs.map((job) =>
        h(
          "tr",
          { dataset: { jobId: job.id, status: job.status } },
          h("td", {}, h("a", {
            href: `#/jobs/${encodeURIComponent(job.id)}`, class: "mono", title: job.id, text: shortId(job.id),
          })),
          h("td", { text: job.job_type }),
          h("td", {}, badge(job.status)),
          h("td", { class: "progress-cell" }, progressBar(progressOf(job), job.status)),
          h("td", { class: "counts", text: countsLine(job) }),
          h("td", { text: fmtRate(throughput(job)) }),
          h("td", { text: eta(job) }),
          h("td", { text: fmtTime(job.created_at) }),
        ),
      ),
    ),
  );
}

export function jobsView(ctx, params) {
  const state = {
    status: params.get("status") || "",
    type: params.get("type") || "",
    offset: Math.max(0, Number(params.get("offset")) || 0),
  };
  const body = h("div", { class: "table-wrap" });
  const pager = h("div", { class: "pager" });
  const setFilter = (name) => (value) => {
    state[name] = value;
    state.offset = 0;
    ctx.replaceQuery({ status: state.status, type: state.type });
    refresh();
  };
  const el = h(
    "section",
    { class: "view", "aria-labelledby": "jobs-title" },
    h("div", { class: "view-head" },
      h("h1", { id: "jobs-title", text: "Jobs" }),
      h("div", { class: "filters" },
        select("Status", JOB_STATUSES, state.status, setFilter("status"), { name: "status" }),
        select("Type", JOB_TYPES, state.type, setFilter("type"), { name: "job_type" }),
      ),
    ),
    body,
    pager,
  );

  async function refresh() {
    try {
      const page = await get("api/v1/beta/batch-processing", {
        limit: PAGE, offset: state.offset, status: state.status, job_type: state.type,
      });
      fill(body, jobsTable(page.items));
      renderPager(page.total_size);
    } catch (err) {
      if (err.status !== 401) fill(body, alertBox(`Could not load the jobs: ${err.message}`));
    }
  }

  function renderPager(total) {
    const last = Math.min(total, state.offset + PAGE);
    fill(pager,
      h("span", { class: "muted", text: total ? `${state.offset + 1}–${last} of ${fmtCount(total)}` : "" }),
      h("button", {
        type: "button", text: "Previous", disabled: state.offset === 0,
        onclick: () => { state.offset = Math.max(0, state.offset - PAGE); refresh(); },
      }),
      h("button", {
        type: "button", text: "Next", disabled: last >= total,
        onclick: () => { state.offset += PAGE; refresh(); },
      }),
    );
  }

  return { el, refresh, every: 2000 };
}
