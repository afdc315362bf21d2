// The dashboard shell: login (keys mode), hash routing between the views and the polling
// loop that keeps the current view live without reloading the page.

import { ApiError, apiKey, clearApiKey, get, onUnauthorized, setApiKey } from "./api.js";
import { alertBox, clear, fill, h } from "./dom.js";
import { directoriesView, directoryView } from "./directories.js";
import { jobView } from "./job.js";
import { jobsView } from "./jobs.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const session = document.getElementById("session");
const projectLabel = document.getElementById("project");
const logout = document.getElementById("logout");
const banner = document.getElementById("banner");

let current = null; // the mounted view: {el, refresh, every, first?}
let timer = null;
let generation = 0;
let signedIn = false;
let loginMessage = "";

const ctx = {
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  /** Record filters in the address (shareable) without re-rendering the view. */
  replaceQuery(values) {
    const [path] = location.hash.split("?");
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v) query.set(k, v);
    const text = query.toString();
    history.replaceState(null, "", text ? `${path}?${text}` : path);
  },
};

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || "") };
}

function viewFor({ parts, params }) {
  const [section, id] = parts;
  if (section === "jobs" && id) return ["jobs", jobView(ctx, params, id)];
  if (section === "directories" && id) return ["directories", directoryView(ctx, params, id)];
  if (section === "directories") return ["directories", directoriesView(ctx, params)];
  return ["jobs", jobsView(ctx, params)];
}

function stopPolling() {
  if (timer) clearTimeout(timer);
  timer = null;
}

function schedule(view, mine) {
  timer = setTimeout(async () => {
    if (mine !== generation) return;
    if (!document.hidden) {
      try {
        await view.refresh();
      } catch (err) {
        console.warn("refresh failed", err && err.message);
      }
    }
    if (mine === generation) schedule(view, mine);
  }, view.every);
}

async function route() {
  if (!signedIn) return;
  stopPolling();
  const mine = ++generation;
  const [section, view] = viewFor(parseHash());
  current = view;
  for (const link of nav.querySelectorAll("a")) {
    link.classList.toggle("active", link.dataset.nav === section);
  }
  fill(main, view.el);
  await (view.first || view.refresh)();
  if (mine === generation && view.every) schedule(view, mine);
}

function showLogin() {
  signedIn = false;
  stopPolling();
  generation++;
  nav.hidden = true;
  session.hidden = true;
  const input = h("input", {
    type: "password", name: "api_key", id: "api-key", autocomplete: "off", required: true,
    placeholder: "llx-…", spellcheck: "false",
  });
  const message = h("div", { class: "notice-slot", id: "login-message" });
  if (loginMessage) message.append(alertBox(loginMessage));
  const submit = h("button", { type: "submit", text: "Sign in" });
  const form = h("form", {
    class: "login", id: "login-form",
    onsubmit: async (event) => {
      event.preventDefault();
      clear(message);
      submit.disabled = true;
      setApiKey(input.value.trim());
      input.value = "";
      // On a 401 `probe` shows this form again, with the reason.
      if (!(await probe())) submit.disabled = false;
    },
  },
  h("h1", { text: "Sign in to reams" }),
  h("p", { class: "muted", text: "This server checks API keys. Paste yours (reams keys create makes one). It stays in this tab only." }),
  h("label", { class: "field block" }, h("span", { text: "API key" }), input),
  message,
  submit);
  fill(main, form);
  input.focus();
}

/** Ask the API who we are; true when signed in (or open mode), else shows the login form. */
async function probe() {
  try {
    const projects = await get("api/v1/projects");
    signedIn = true;
    loginMessage = "";
    nav.hidden = false;
    session.hidden = false;
    const project = projects[0];
    projectLabel.textContent = project ? `Project: ${project.name}` : "";
    logout.hidden = !apiKey();
    banner.hidden = true;
    await route();
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      clearApiKey();
      loginMessage = err.detail === "invalid API key" ? "That API key is not valid." : err.detail;
      showLogin();
      return false;
    }
    banner.hidden = false;
    banner.textContent = `The API does not answer: ${err.message}. Retrying…`;
    setTimeout(probe, 3000);
    return false;
  }
}

onUnauthorized((err) => {
  if (!signedIn) return;
  clearApiKey();
  loginMessage = `Signed out: ${err.detail}`;
  showLogin();
});

logout.addEventListener("click", () => {
  clearApiKey();
  loginMessage = "";
  showLogin();
});

window.addEventListener("hashchange", route);
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && signedIn && current) current.refresh();
});

probe();
