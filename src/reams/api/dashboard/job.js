// One job: live progress, actions (cancel, retry failed items, export), the items table
// (paged; status filter on the server, error-code filter on the loaded rows) and a detail
// panel per item: its error, or a preview of its result.

import { ApiError, download, get, post } from "./api.js";
import {
  alertBox, badge, clear, fill, fmtCount, fmtTime, h, progressBar, select,
} from "./dom.js";
import { FINISHED, countsLine, eta, fmtRate, throughput } from "./jobs.js";
import { render as renderMarkdown } from "./markdown.js";

const ITEM_STATUSES = ["pending", "processing", "completed", "failed", "skipped", "cancelled"];
const ITEM_PAGE = 50;
const CODE_SCAN = 1000; // failed items read per request when filtering by error code
const SLOW_POLL_MS = 10_000;

export function jobView(ctx, params, jobId) {
  const base = `api/v1/beta/batch-processing/${encodeURIComponent(jobId)}`;
  const state = {
    job: null,
    progress: 0,
    itemStatus: params.get("status") || "",
    errorCode: params.get("error_code") || "",
    offset: 0,
    codes: new Set(),
    selected: null,
    lastFull: 0,
    finishedSeen: false,
    confirming: false,
  };
  if (state.errorCode) state.codes.add(state.errorCode);

  const title = h("h1", { class: "mono", text: jobId });
  const summary = h("div", { class: "summary", id: "job-summary" });
  const actions = h("div", { class: "actions", id: "job-actions" });
  const notice = h("div", { class: "notice-slot" });
  const itemsBody = h("div", { class: "table-wrap", id: "items" });
  const itemsPager = h("div", { class: "pager" });
  const codeField = h("label", { class: "field" });
  const detail = h("aside", { class: "detail", id: "item-detail", hidden: true, "aria-live": "polite" });
  const statusField = select("Item status", ITEM_STATUSES, state.itemStatus, (v) => {
    state.itemStatus = v;
    state.offset = 0;
    syncQuery();
    loadItems();
  }, { name: "item_status" });

  const el = h(
    "section",
    { class: "view" },
    h("p", { class: "crumbs" }, h("a", { href: "#/jobs", text: "← Jobs" })),
    h("div", { class: "view-head" }, title, actions),
    notice,
    summary,
    h("div", { class: "split" },
      h("div", { class: "items-pane" },
        h("div", { class: "view-head" },
          h("h2", { text: "Items" }),
          h("div", { class: "filters" }, statusField, codeField)),
        itemsBody,
        itemsPager),
      detail),
  );

  function syncQuery() {
    ctx.replaceQuery({ status: state.itemStatus, error_code: state.errorCode });
  }

  function say(message, kind = "error") {
    fill(notice, alertBox(message, kind));
  }

  // ---- summary and actions -------------------------------------------------------------

  function renderSummary() {
    const job = state.job;
    const rows = [
      ["Type", job.job_type],
      ["Status", badge(job.status)],
      ["Items", countsLine(job)],
      ["Throughput", fmtRate(throughput(job))],
      [FINISHED.has(job.status) ? "Duration" : "ETA", eta(job)],
      ["Directory", job.directory_id
        ? h("a", { href: `#/directories/${encodeURIComponent(job.directory_id)}`, class: "mono", text: job.directory_id })
        : "—"],
      ["Created", fmtTime(job.created_at)],
      ["Started", fmtTime(job.started_at)],
      ["Finished", fmtTime(job.completed_at)],
    ];
    fill(summary,
      progressBar(state.progress, job.status),
      h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", { text: k }), h("dd", {}, v)])),
      job.error_message ? alertBox(`Job error: ${job.error_message}`) : null,
      // reams extension: the workflow could not be started yet (not waiting for workers).
      job.dispatch_error
        ? alertBox(`Waiting for the orchestrator since ${fmtTime(job.dispatch_error_at)}: `
          + `the job's workflow could not be started yet; it starts by itself when `
          + `the orchestrator answers.\n${job.dispatch_error}`, "info")
        : null,
    );
  }

  function renderActions() {
    const job = state.job;
    const buttons = [];
    if (!FINISHED.has(job.status)) {
      if (state.confirming) {
        buttons.push(
          h("button", { type: "button", class: "danger", text: "Confirm cancel", onclick: cancelJob }),
          h("button", { type: "button", text: "Keep running", onclick: () => { state.confirming = false; renderActions(); } }),
        );
      } else {
        buttons.push(h("button", {
          type: "button", class: "danger", text: "Cancel job",
          onclick: () => { state.confirming = true; renderActions(); },
        }));
      }
    }
    if (job.failed_items && (job.status === "running" || job.status === "completed")) {
      const label = state.errorCode ? `Retry failed (${state.errorCode})` : "Retry failed items";
      buttons.push(h("button", { type: "button", text: label, onclick: retryFailed }));
    }
    for (const fmt of ["jsonl", "csv", "zip"]) {
      buttons.push(h("button", {
        type: "button", class: "secondary", text: `Export ${fmt.toUpperCase()}`,
        dataset: { export: fmt }, onclick: () => exportAs(fmt),
      }));
    }
    fill(actions, buttons);
  }

  async function cancelJob() {
    state.confirming = false;
    try {
      const answer = await post(`${base}/cancel`, { reason: "cancelled from the dashboard" });
      say(`Job ${answer.status}: pending items cancelled; items in flight finish.`, "info");
    } catch (err) {
      say(`Cancel failed: ${err.message}`);
    }
    await refresh(true);
  }

  async function retryFailed() {
    const body = state.errorCode ? { error_codes: [state.errorCode] } : {};
    try {
      const answer = await post(`${base}/retry`, body);
      say(`${fmtCount(answer.retried_items)} failed item(s) sent round again.`, "info");
      state.finishedSeen = false;
    } catch (err) {
      say(`Retry failed: ${err.message}`);
    }
    await refresh(true);
  }

  async function exportAs(fmt) {
    try {
      const name = await download(`${base}/export`, { format: fmt }, `${jobId}.${fmt}`);
      say(`Downloaded ${name}.`, "info");
    } catch (err) {
      say(`Export failed: ${err.message}`);
    }
  }

  // ---- items ---------------------------------------------------------------------------

  function renderCodeFilter() {
    const codes = [...state.codes].sort();
    fill(codeField,
      h("span", { text: "Error code" }),
      h("select", {
        name: "error_code",
        value: state.errorCode,
        onchange: (e) => {
          state.errorCode = e.target.value;
          state.offset = 0;
          syncQuery();
          renderActions();
          loadItems();
        },
      },
      h("option", { value: "", text: "any" }),
      codes.map((c) => h("option", { value: c, text: c }))),
    );
  }

  async function fetchItems() {
    if (!state.errorCode) {
      const page = await get(`${base}/items`, {
        limit: ITEM_PAGE, offset: state.offset, status: state.itemStatus,
      });
      return { rows: page.items, total: page.total_size, scanned: null };
    }
    // The API filters items by status only: read failed items a chunk at a time and keep
    // those with the code.
    const page = await get(`${base}/items`, { limit: CODE_SCAN, offset: state.offset, status: "failed" });
    const rows = page.items.filter((i) => i.error_code === state.errorCode);
    return { rows, total: page.total_size, scanned: page.items.length };
  }

  async function loadItems() {
    let result;
    try {
      result = await fetchItems();
    } catch (err) {
      if (err.status !== 401) fill(itemsBody, alertBox(`Could not load the items: ${err.message}`));
      return;
    }
    for (const item of result.rows) if (item.error_code) state.codes.add(item.error_code);
    renderCodeFilter();
    fill(itemsBody, itemsTable(result.rows));
    renderItemsPager(result);
    if (state.selected) {
      const fresh = result.rows.find((i) => i.item_id === state.selected.item_id);
      if (fresh && fresh.status !== state.selected.status) showItem(fresh);
    }
  }

  function itemsTable(items) {
    if (!items.length) return h("p", { class: "muted empty", text: "No items match." });
    return h(
      "table",
      { class: "grid items" },
      h("thead", {}, h("tr", {}, ["File", "Status", "Error", "Attempts", "Finished", ""].map((t) => h("th", { text: t })))),
      h("tbody", {}, items.map((item) => {
        const open = () => showItem(item);
        return h(
          "tr",
          {
            class: state.selected && state.selected.item_id === item.item_id ? "selected" : "",
            dataset: { itemId: item.item_id, status: item.status },
          },
          h("td", { class: "name", text: item.item_name }),
          h("td", {}, badge(item.status)),
          h("td", { class: "error-cell" },
            item.error_code ? h("code", { class: "error-code", text: item.error_code }) : null,
            item.error_message ? h("span", { class: "error-message", text: item.error_message }) : null,
            item.skip_reason ? h("span", { class: "muted", text: item.skip_reason }) : null),
          h("td", { text: item.attempts ?? "—" }),
          h("td", { text: fmtTime(item.completed_at) }),
          h("td", {}, h("button", {
            type: "button", class: "small", text: item.status === "completed" ? "Preview" : "Details",
            onclick: open,
          })),
        );
      })),
    );
  }

  function renderItemsPager({ rows, total, scanned }) {
    const step = scanned === null ? ITEM_PAGE : CODE_SCAN;
    const end = Math.min(total, state.offset + step);
    const text = scanned === null
      ? (total ? `${state.offset + 1}–${end} of ${fmtCount(total)}` : "")
      : `${fmtCount(rows.length)} with ${state.errorCode} among failed items ${state.offset + 1}–${end} of ${fmtCount(total)}`;
    fill(itemsPager,
      h("span", { class: "muted", text }),
      h("button", {
        type: "button", text: "Previous", disabled: state.offset === 0,
        onclick: () => { state.offset = Math.max(0, state.offset - step); loadItems(); },
      }),
      h("button", {
        type: "button", text: "Next", disabled: end >= total,
        onclick: () => { state.offset += step; loadItems(); },
      }),
    );
  }

  // ---- one item ------------------------------------------------------------------------

  function showItem(item) {
    state.selected = item;
    for (const row of itemsBody.querySelectorAll("tr[data-item-id]")) {
      row.classList.toggle("selected", row.dataset.itemId === item.item_id);
    }
    const facts = [
      ["Item", h("span", { class: "mono", text: item.item_id })],
      ["Status", badge(item.status)],
      ["Attempts", item.attempts ?? "—"],
      ["Started", fmtTime(item.started_at)],
      ["Finished", fmtTime(item.completed_at)],
      item.skip_reason ? ["Skipped", item.skip_reason] : null,
      item.job_id ? ["Result", h("span", { class: "mono", text: item.job_id })] : null,
    ].filter(Boolean);
    const preview = h("div", { class: "preview" });
    fill(detail,
      h("div", { class: "detail-head" },
        h("h2", { text: item.item_name }),
        h("button", { type: "button", class: "link", text: "Close", onclick: closeItem })),
      h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", { text: k }), h("dd", {}, v)])),
      item.status === "failed"
        ? h("div", { class: "item-error", role: "alert" },
          h("code", { class: "error-code", text: item.error_code || "error" }),
          h("p", { class: "error-message", text: item.error_message || "(no message)" }))
        : null,
      preview,
    );
    detail.hidden = false;
    if (item.status === "completed" && item.job_id) loadPreview(item, preview);
  }

  function closeItem() {
    state.selected = null;
    detail.hidden = true;
    for (const row of itemsBody.querySelectorAll("tr.selected")) row.classList.remove("selected");
  }

  async function loadPreview(item, slot) {
    slot.append(h("p", { class: "muted", text: "Loading the result…" }));
    const id = encodeURIComponent(item.job_id);
    try {
      const type = state.job.job_type;
      let view;
      if (type === "parse") {
        view = parsePreview(await get(`api/v2/parse/${id}`, { expand: "markdown_full" }));
      } else if (type === "classify") {
        view = classifyPreview(await get(`api/v2/classify/${id}`));
      } else {
        view = extractPreview(await get(`api/v2/extract/${id}`, { expand: "extract_metadata" }));
      }
      if (state.selected && state.selected.item_id === item.item_id) fill(slot, view);
    } catch (err) {
      fill(slot, alertBox(`Could not load the result: ${err.message}`));
    }
  }

  return { el, refresh, every: 1000 };

  // ---- polling -------------------------------------------------------------------------

  async function refresh(force = false) {
    const now = Date.now();
    const finished = state.job && FINISHED.has(state.job.status);
    if (!force && finished && state.finishedSeen && now - state.lastFull < SLOW_POLL_MS) return;
    let status;
    try {
      status = await get(base);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        fill(summary, alertBox(`No job ${jobId} in this project.`));
        clear(actions);
        return;
      }
      if (err.status !== 401) say(`Could not load the job: ${err.message}`);
      return;
    }
    state.lastFull = now;
    state.job = status.job;
    state.progress = status.progress_percentage;
    renderSummary();
    renderActions();
    await loadItems();
    if (FINISHED.has(state.job.status)) state.finishedSeen = true;
  }
}

function parsePreview(result) {
  const source = result.markdown_full ?? "";
  const rendered = h("div", { class: "markdown", id: "markdown-preview" }, renderMarkdown(source));
  const raw = h("pre", { class: "md-source", hidden: true, text: source });
  const toggle = h("button", {
    type: "button", class: "small secondary", text: "Show source",
    onclick: () => {
      raw.hidden = !raw.hidden;
      rendered.hidden = !raw.hidden;
      toggle.textContent = raw.hidden ? "Show source" : "Show rendered";
    },
  });
  return h("div", {}, h("div", { class: "detail-head" }, h("h3", { text: "Markdown" }), toggle), rendered, raw);
}

function classifyPreview(job) {
  const r = job.result || {};
  const confidence = typeof r.confidence === "number" ? `${(r.confidence * 100).toFixed(1)} %` : "—";
  return h("div", { class: "classification" },
    h("h3", { text: "Classification" }),
    h("dl", { class: "facts" },
      h("dt", { text: "Type" }), h("dd", { class: "class-type", text: r.type ?? "(below the threshold)" }),
      h("dt", { text: "Confidence" }), h("dd", { text: confidence }),
      h("dt", { text: "Reasoning" }), h("dd", { class: "reasoning", text: r.reasoning ?? "—" })));
}

/** Field path → metadata entry ({citation: [{page, matching_text}], confidence, reasoning}). */
function citations(meta, path = "", out = []) {
  if (Array.isArray(meta)) {
    meta.forEach((m, i) => citations(m, `${path}[${i}]`, out));
  } else if (meta && typeof meta === "object") {
    if ("citation" in meta || "confidence" in meta) out.push([path || "(document)", meta]);
    else for (const [k, v] of Object.entries(meta)) citations(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

function extractPreview(job) {
  const meta = job.extract_metadata || {};
  const fields = citations(meta.document_metadata ?? meta.page_metadata ?? meta.row_metadata ?? {});
  return h("div", { class: "extraction" },
    h("h3", { text: "Extracted data" }),
    h("pre", { class: "json", id: "extract-json", text: JSON.stringify(job.extract_result ?? null, null, 2) }),
    fields.length
      ? h("table", { class: "grid citations" },
        h("thead", {}, h("tr", {}, ["Field", "Confidence", "Page", "Source text"].map((t) => h("th", { text: t })))),
        h("tbody", {}, fields.map(([path, entry]) => {
          const cites = Array.isArray(entry.citation) ? entry.citation : [];
          return h("tr", {},
            h("td", { class: "mono", text: path }),
            h("td", { text: typeof entry.confidence === "number" ? entry.confidence.toFixed(2) : "—" }),
            h("td", { text: cites.map((c) => c.page).filter((p) => p !== undefined).join(", ") || "—" }),
            h("td", { text: cites.map((c) => c.matching_text).filter(Boolean).join(" … ") || "—" }));
        })))
      : null);
}
