// Directories: the list (create one), and one directory with its files, uploads (drag and
// drop or the file picker, many at once), its jobs and the form that starts a job on it.

import { get, post, request } from "./api.js";
import { alertBox, clear, fill, fmtCount, fmtTime, h } from "./dom.js";
import { jobsTable } from "./jobs.js";

const DIR_PAGE = 50;
const FILE_PAGE = 100;
const UPLOAD_PARALLEL = 3;

export function directoriesView(ctx) {
  const list = h("div", { class: "table-wrap", id: "directories" });
  const more = h("div", { class: "pager" });
  const formMessage = h("div", { class: "notice-slot" });
  const nameInput = h("input", { name: "name", required: true, placeholder: "contracts", autocomplete: "off" });
  const form = h("form", { class: "inline-form", id: "new-directory", onsubmit: create },
    h("label", { class: "field" }, h("span", { text: "New directory" }), nameInput),
    h("button", { type: "submit", text: "Create" }));
  const el = h("section", { class: "view" },
    h("div", { class: "view-head" }, h("h1", { text: "Directories" }), form),
    formMessage, list, more);
  let rows = [];
  let token = null;

  async function create(event) {
    event.preventDefault();
    clear(formMessage);
    try {
      const dir = await post("api/v1/beta/directories", { name: nameInput.value.trim() });
      ctx.navigate(`#/directories/${encodeURIComponent(dir.id)}`);
    } catch (err) {
      formMessage.append(alertBox(err.message));
    }
  }

  async function load(append = false) {
    try {
      const page = await get("api/v1/beta/directories", {
        page_size: DIR_PAGE, page_token: append ? token : undefined,
      });
      rows = append ? rows.concat(page.items) : page.items;
      token = page.next_page_token;
      render();
    } catch (err) {
      if (err.status !== 401) fill(list, alertBox(`Could not load the directories: ${err.message}`));
    }
  }

  function render() {
    fill(list, rows.length
      ? h("table", { class: "grid" },
        h("thead", {}, h("tr", {}, ["Name", "Id", "Description", "Created"].map((t) => h("th", { text: t })))),
        h("tbody", {}, rows.map((d) => h("tr", { dataset: { directoryId: d.id } },
          h("td", {}, h("a", { href: `#/directories/${encodeURIComponent(d.id)}`, text: d.name })),
          h("td", { class: "mono", text: d.id }),
          h("td", { text: d.description ?? "" }),
          h("td", { text: fmtTime(d.created_at) })))))
      : h("p", { class: "muted empty", text: "No directories yet: create one above, then upload files into it." }));
    fill(more, token
      ? h("button", { type: "button", text: "Load more", onclick: () => load(true) })
      : null);
  }

  // A directory list changes only when someone creates one: refresh it slowly.
  return { el, refresh: () => load(false), every: 15_000 };
}

export function directoryView(ctx, params, directoryId) {
  const base = `api/v1/beta/directories/${encodeURIComponent(directoryId)}`;
  const title = h("h1", { text: directoryId });
  const files = h("div", { class: "table-wrap", id: "files" });
  const filesPager = h("div", { class: "pager" });
  const jobs = h("div", { class: "table-wrap", id: "directory-jobs" });
  const uploads = h("ul", { class: "uploads", id: "uploads" });
  const picker = h("input", { type: "file", multiple: true, id: "file-input", class: "visually-hidden", onchange: () => {
    uploadAll([...picker.files]);
    picker.value = "";
  } });
  const drop = h("div", {
    class: "dropzone", id: "dropzone", tabindex: "0", role: "button",
    "aria-label": "Upload files: drop them here or press to choose",
    onclick: () => picker.click(),
    onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); picker.click(); } },
    ondragenter: (e) => { e.preventDefault(); drop.classList.add("over"); },
    ondragover: (e) => { e.preventDefault(); e.dataTransfer.dropEffect = "copy"; },
    ondragleave: () => drop.classList.remove("over"),
    ondrop: (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      uploadAll([...(e.dataTransfer?.files || [])]);
    },
  }, h("strong", { text: "Drop files here" }), h("span", { class: "muted", text: " or click to choose (many at once)" }), picker);

  const el = h("section", { class: "view" },
    h("p", { class: "crumbs" }, h("a", { href: "#/directories", text: "← Directories" })),
    h("div", { class: "view-head" }, title, h("span", { class: "mono muted", text: directoryId })),
    h("div", { class: "columns" },
      h("div", {},
        h("h2", { text: "Files" }),
        drop,
        uploads,
        files,
        filesPager),
      h("div", {},
        h("h2", { text: "Start a job" }),
        jobForm(ctx, directoryId),
        h("h2", { text: "Jobs on this directory" }),
        jobs)),
  );

  const fileState = { tokens: [null], index: 0 };

  async function loadFiles() {
    try {
      const page = await get(`${base}/files`, {
        page_size: FILE_PAGE, page_token: fileState.tokens[fileState.index] ?? undefined,
      });
      fileState.tokens[fileState.index + 1] = page.next_page_token;
      fill(files, page.items.length
        ? h("table", { class: "grid files" },
          h("thead", {}, h("tr", {}, ["Name", "Unique id", "Added"].map((t) => h("th", { text: t })))),
          h("tbody", {}, page.items.map((f) => h("tr", { dataset: { fileId: f.id } },
            h("td", { class: "name", text: f.display_name }),
            h("td", { class: "mono", text: f.unique_id }),
            h("td", { text: fmtTime(f.created_at) })))))
        : h("p", { class: "muted empty", text: "No files yet." }));
      fill(filesPager,
        h("span", { class: "muted", text: `page ${fileState.index + 1}` }),
        h("button", { type: "button", text: "Previous", disabled: fileState.index === 0,
          onclick: () => { fileState.index--; loadFiles(); } }),
        h("button", { type: "button", text: "Next", disabled: !page.next_page_token,
          onclick: () => { fileState.index++; loadFiles(); } }));
    } catch (err) {
      if (err.status !== 401) fill(files, alertBox(`Could not load the files: ${err.message}`));
    }
  }

  async function loadJobs() {
    try {
      const page = await get("api/v1/beta/batch-processing", { directory_id: directoryId, limit: 10 });
      fill(jobs, jobsTable(page.items));
    } catch (err) {
      if (err.status !== 401) fill(jobs, alertBox(`Could not load the jobs: ${err.message}`));
    }
  }

  async function uploadOne(file) {
    const row = h("li", { class: "upload", dataset: { state: "queued" } },
      h("span", { class: "name", text: file.name }), " ",
      h("span", { class: "state muted", text: "queued" }));
    uploads.append(row);
    const setState = (name, text) => {
      row.dataset.state = name;
      row.querySelector(".state").textContent = text;
    };
    return async () => {
      setState("uploading", "uploading…");
      const form = new FormData();
      form.append("upload_file", file, file.name);
      try {
        await request("POST", `${base}/files/upload`, { form });
        setState("done", `uploaded (${fmtCount(file.size)} bytes)`);
      } catch (err) {
        setState("failed", `failed: ${err.message}`);
      }
    };
  }

  async function uploadAll(list) {
    if (!list.length) return;
    const tasks = await Promise.all(list.map(uploadOne));
    const queue = [...tasks];
    const workers = Array.from({ length: Math.min(UPLOAD_PARALLEL, queue.length) }, async () => {
      while (queue.length) await queue.shift()();
    });
    await Promise.all(workers);
    await loadFiles();
  }

  async function refresh() {
    try {
      const dir = await get(base);
      title.textContent = dir.name;
    } catch (err) {
      if (err.status === 404) title.textContent = "No such directory";
    }
    await Promise.all([loadFiles(), loadJobs()]);
  }

  // Files change through this page (reloaded after each upload); the job list shows progress.
  return { el, refresh: loadJobs, first: refresh, every: 3000 };
}

const RULES_EXAMPLE = [
  { type: "invoice", description: "A bill asking for payment, with amounts and a due date" },
  { type: "contract", description: "An agreement between parties with terms and signatures" },
];
const SCHEMA_EXAMPLE = {
  type: "object",
  properties: {
    title: { type: "string", description: "The document's title" },
    date: { type: "string", description: "The main date in the document" },
  },
};

function ruleRow(rule = { type: "", description: "" }) {
  const row = h("div", { class: "rule" },
    h("input", { name: "rule_type", placeholder: "type", value: rule.type, "aria-label": "Rule type" }),
    h("input", { name: "rule_description", placeholder: "description", value: rule.description, "aria-label": "Rule description", class: "grow" }),
    h("button", { type: "button", class: "link", text: "Remove", onclick: () => row.remove() }));
  return row;
}

/** The start-a-job form; validation messages are the API's own `detail`. */
function jobForm(ctx, directoryId) {
  const message = h("div", { class: "notice-slot", id: "job-form-message" });
  const typeSelect = h("select", { name: "job_type", onchange: () => show(typeSelect.value) },
    ["parse", "classify", "extract"].map((t) => h("option", { value: t, text: t })));
  const maxPages = h("input", { name: "max_pages", type: "number", min: "1", placeholder: "all pages" });
  const rules = h("div", { class: "rules", id: "rules" }, RULES_EXAMPLE.map(ruleRow));
  const schema = h("textarea", {
    name: "data_schema", rows: "10", spellcheck: "false", class: "mono",
    value: JSON.stringify(SCHEMA_EXAMPLE, null, 2), "aria-label": "JSON Schema",
  });
  const sections = {
    parse: h("div", { class: "params" },
      h("label", { class: "field" }, h("span", { text: "Max pages (optional)" }), maxPages)),
    classify: h("div", { class: "params" },
      h("p", { class: "muted", text: "Rules: a type and a natural-language description each." }),
      rules,
      h("button", { type: "button", class: "secondary small", text: "Add rule", onclick: () => rules.append(ruleRow()) })),
    extract: h("div", { class: "params" },
      h("label", { class: "field block" }, h("span", { text: "Data schema (JSON Schema)" }), schema)),
  };
  const submit = h("button", { type: "submit", text: "Start job" });
  const form = h("form", { class: "job-form", id: "job-form", onsubmit: start },
    h("label", { class: "field" }, h("span", { text: "Job type" }), typeSelect),
    Object.values(sections), message, submit);
  show("parse");

  function show(type) {
    for (const [name, section] of Object.entries(sections)) section.hidden = name !== type;
  }

  function config(type) {
    if (type === "parse") {
      const parameters = maxPages.value ? { max_pages: Number(maxPages.value) } : {};
      return { job_name: "parse_raw_file_job", parameters };
    }
    if (type === "classify") {
      const list = [...rules.querySelectorAll(".rule")].map((row) => ({
        type: row.querySelector("[name=rule_type]").value.trim(),
        description: row.querySelector("[name=rule_description]").value.trim(),
      }));
      return { rules: list };
    }
    let parsed;
    try {
      parsed = JSON.parse(schema.value);
    } catch (err) {
      throw new Error(`the schema is not valid JSON: ${err.message}`);
    }
    return { data_schema: parsed, extract_config: {} };
  }

  async function start(event) {
    event.preventDefault();
    clear(message);
    let jobConfig;
    try {
      jobConfig = config(typeSelect.value);
    } catch (err) {
      message.append(alertBox(err.message));
      return;
    }
    submit.disabled = true;
    try {
      const job = await post("api/v1/beta/batch-processing", { job_config: jobConfig, directory_id: directoryId });
      ctx.navigate(`#/jobs/${encodeURIComponent(job.id)}`);
    } catch (err) {
      message.append(alertBox(`The job was not created: ${err.message}`));
    } finally {
      submit.disabled = false;
    }
  }

  return form;
}
