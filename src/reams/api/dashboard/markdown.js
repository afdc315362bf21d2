// A small Markdown renderer that builds DOM nodes (never HTML strings): headings, paragraphs,
// lists, block quotes, fenced code, pipe tables, rules; inline code, bold, italic, links
// (http/https only) and image placeholders. Raw HTML in the source shows as text.

import { h } from "./dom.js";

const INLINE = new RegExp(
  [
    String.raw`\\([\\\`*_{}\[\]()#+\-.!|<>])`, // 1 escaped character
    String.raw`(\`+)([\s\S]*?[^\`])\2(?!\`)`, // 2,3 code span
    String.raw`\*\*(?=\S)([\s\S]*?\S)\*\*`, // 4 bold
    String.raw`(?<![\w])__(?=\S)([\s\S]*?\S)__(?![\w])`, // 5 bold
    String.raw`\*(?=\S)([^*]*?\S)\*`, // 6 italic
    String.raw`(?<![\w])_(?=\S)([^_]*?\S)_(?![\w])`, // 7 italic
    String.raw`!\[([^\]]*)\]\(([^)\s]*)[^)]*\)`, // 8,9 image
    String.raw`\[([^\]]+)\]\(([^)\s]*)[^)]*\)`, // 10,11 link
    String.raw`<br\s*\/?>`, // line break (tables use it)
  ].join("|"),
  "g",
);

export function inline(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[3] !== undefined) out.push(h("code", { text: m[3].trim() || m[3] }));
    else if (m[4] !== undefined || m[5] !== undefined) out.push(h("strong", {}, inline(m[4] ?? m[5])));
    else if (m[6] !== undefined || m[7] !== undefined) out.push(h("em", {}, inline(m[6] ?? m[7])));
    else if (m[8] !== undefined) out.push(h("span", { class: "md-image", text: `[image: ${m[8] || m[9]}]` }));
    else if (m[10] !== undefined) out.push(link(m[10], m[11]));
    else out.push(h("br"));
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function link(label, href) {
  if (!/^https?:\/\//i.test(href)) return h("span", {}, inline(label));
  const a = h("a", { rel: "noopener noreferrer nofollow", target: "_blank" }, inline(label));
  a.setAttribute("href", href); // checked above: http(s) only, set as an attribute value
  return a;
}

const FENCE = /^\s{0,3}(```+|~~~+)\s*([\w+-]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

function cells(line) {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

function isTableStart(lines, i) {
  return lines[i].includes("|") && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]) &&
    lines[i + 1].includes("-");
}

function table(lines, i) {
  const head = cells(lines[i]);
  const rows = [];
  let j = i + 2;
  while (j < lines.length && lines[j].includes("|") && lines[j].trim()) rows.push(cells(lines[j++]));
  const el = h(
    "table",
    { class: "md-table" },
    h("thead", {}, h("tr", {}, head.map((c) => h("th", {}, inline(c))))),
    h("tbody", {}, rows.map((r) => h("tr", {}, head.map((_, k) => h("td", {}, inline(r[k] ?? "")))))),
  );
  return [el, j];
}

function list(lines, i) {
  const ordered = /\d/.test(ITEM.exec(lines[i])[2]);
  const el = h(ordered ? "ol" : "ul");
  let j = i;
  while (j < lines.length) {
    const m = ITEM.exec(lines[j]);
    if (!m || /\d/.test(m[2]) !== ordered) break;
    const text = [m[3]];
    j++;
    while (j < lines.length && lines[j].trim() && !ITEM.exec(lines[j]) && /^\s{2,}/.test(lines[j])) {
      text.push(lines[j++].trim());
    }
    const li = h("li", {}, inline(text.join(" ")));
    if (m[1].length >= 2) li.classList.add("md-nested");
    el.append(li);
  }
  return [el, j];
}

function block(lines, i) {
  const line = lines[i];
  const fence = FENCE.exec(line);
  if (fence) {
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(fence[1])) body.push(lines[j++]);
    return [h("pre", { class: "md-code" }, h("code", { text: body.join("\n") })), j + 1];
  }
  const heading = HEADING.exec(line);
  if (heading) return [h(`h${heading[1].length}`, {}, inline(heading[2])), i + 1];
  if (RULE.test(line)) return [h("hr"), i + 1];
  if (isTableStart(lines, i)) return table(lines, i);
  if (ITEM.test(line)) return list(lines, i);
  if (QUOTE.test(line)) {
    const body = [];
    let j = i;
    while (j < lines.length && QUOTE.test(lines[j])) body.push(QUOTE.exec(lines[j++])[1]);
    return [h("blockquote", {}, render(body.join("\n"))), j];
  }
  const para = [line.trim()];
  let j = i + 1;
  while (j < lines.length && lines[j].trim() && !startsBlock(lines, j)) para.push(lines[j++].trim());
  return [h("p", {}, inline(para.join("\n"))), j];
}

function startsBlock(lines, j) {
  const line = lines[j];
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || ITEM.test(line) ||
    QUOTE.test(line) || isTableStart(lines, j);
}

/** A DocumentFragment for `source`. */
export function render(source) {
  const lines = String(source ?? "").replace(/\r\n?/g, "\n").split("\n");
  const fragment = document.createDocumentFragment();
  let i = 0;
  while (i < lines.length) {
    if (!lines[i].trim()) {
      i++;
      continue;
    }
    const [el, next] = block(lines, i);
    fragment.append(el);
    i = Math.max(next, i + 1);
  }
  return fragment;
}
