// The API client of the dashboard: one `request` for every call. The API key lives in
// sessionStorage (gone when the tab closes) and travels only in the Authorization header,
// never in a URL, a log line or the DOM.

const KEY_SLOT = "reams.apiKey";

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY_SLOT);
}

export function setApiKey(key) {
  sessionStorage.setItem(KEY_SLOT, key);
}

export function clearApiKey() {
  sessionStorage.removeItem(KEY_SLOT);
}

let unauthorized = () => {};

/** Called with the ApiError of any 401 (the app shows the login form). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** The readable text of an error body: `detail` is a string, or FastAPI's list of
 * `{loc, msg}` for request validation. */
export function detailText(body, status) {
  const detail = body && typeof body === "object" ? body.detail : undefined;
  if (typeof detail === "string" && detail) return detail;
  if (Array.isArray(detail) && detail.length) {
    return detail
      .map((e) => {
        if (!e || typeof e !== "object") return String(e);
        const loc = Array.isArray(e.loc) ? e.loc.filter((p) => p !== "body").join(".") : "";
        const msg = typeof e.msg === "string" ? e.msg : JSON.stringify(e);
        return loc ? `${loc}: ${msg}` : msg;
      })
      .join("; ");
  }
  if (detail && typeof detail === "object") return JSON.stringify(detail);
  return `HTTP ${status}`;
}

/** A URL of this server for an API path ("api/v1/..."); relative, so a root path works. */
export function apiUrl(path, query) {
  const url = new URL(path.replace(/^\//, ""), document.baseURI);
  for (const [name, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === "") continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
  }
  return url;
}

export async function request(method, path, { query, json, form, raw, signal } = {}) {
  const headers = { Accept: "application/json" };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  let response;
  try {
    response = await fetch(apiUrl(path, query), {
      method, headers, body, signal, credentials: "omit", cache: "no-store",
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, "the server cannot be reached");
  }
  if (!response.ok) {
    let parsed = null;
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
    const error = new ApiError(response.status, detailText(parsed, response.status));
    if (response.status === 401) unauthorized(error);
    throw error;
  }
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

export const get = (path, query, options = {}) => request("GET", path, { ...options, query });
export const post = (path, json, options = {}) => request("POST", path, { ...options, json });

function filenameOf(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : fallback;
}

/** Download an API answer as a file: fetched with the key header, saved from a blob URL. */
export async function download(path, query, fallbackName) {
  const response = await request("GET", path, { query, raw: true });
  const blob = await response.blob();
  const name = filenameOf(response, fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}
