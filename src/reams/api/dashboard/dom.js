// DOM helpers. Every string from the server reaches the page through textContent (text nodes)
// or an attribute set with setAttribute; nothing is ever assigned to innerHTML.

const PROPS = new Set(["value", "checked", "disabled", "selected", "hidden", "open"]);
const SAFE_HREF = /^(#|blob:|dashboard-assets\/|docs$)/;

/** h("tr", {class: "x", onclick: fn}, "text", child, [more]) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  const later = [];
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = String(value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (PROPS.has(name)) later.push([name, value]);
    else if (name === "href" && !SAFE_HREF.test(String(value))) continue;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  for (const [name, value] of later) el[name] = value;
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Replace the children of `el` (arrays flattened; null, undefined and false skipped). */
export function fill(el, ...children) {
  return append(clear(el), children);
}

export function fmtTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const hours = Math.floor(s / 3600);
  return `${hours} h ${Math.floor((s % 3600) / 60)} min`;
}

export function fmtRelative(iso) {
  if (!iso) return "—";
  const delta = (new Date(iso).getTime() - Date.now()) / 1000;
  if (!Number.isFinite(delta)) return "—";
  return delta >= 0 ? `in ${fmtDuration(delta)}` : `${fmtDuration(-delta)} ago`;
}

export function fmtCount(n) {
  return (n ?? 0).toLocaleString();
}

/** A <progress>-like bar whose width and label follow `percent`. */
export function progressBar(percent, status) {
  const value = Math.max(0, Math.min(100, Number(percent) || 0));
  const label = `${value.toFixed(value > 0 && value < 10 ? 1 : 0)} %`;
  const fill = h("div", { class: `fill status-${status || "none"}` });
  fill.style.width = `${value}%`;
  return h(
    "div",
    {
      class: "bar",
      role: "progressbar",
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "aria-valuenow": value.toFixed(1),
      title: label,
    },
    fill,
    h("span", { class: "bar-label", text: label }),
  );
}

export function badge(status) {
  return h("span", { class: `badge status-${status}`, text: status });
}

/** A labelled <select> with "" meaning any. */
export function select(label, options, value, onchange, extra = {}) {
  const el = h(
    "select",
    { onchange: (e) => onchange(e.target.value), value: value || "", ...extra },
    h("option", { value: "", text: "any" }),
    options.map((o) => h("option", { value: o, text: o })),
  );
  return h("label", { class: "field" }, h("span", { text: label }), el);
}

/** An error/notice line; `role=alert` so assistive tech (and tests) find it. */
export function alertBox(message, kind = "error") {
  return h("div", { class: `alert alert-${kind}`, role: "alert", text: message });
}
