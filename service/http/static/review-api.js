// Calls to the declass API. The key lives in sessionStorage (this tab only,
// gone when it closes), travels only as the Authorization header, and never
// in a URL; requests go to this origin only (the page's CSP says so too).

const KEY_ITEM = "declass.apiKey";

export function storedKey() {
  return sessionStorage.getItem(KEY_ITEM) || "";
}

export function storeKey(key) {
  if (key) {
    sessionStorage.setItem(KEY_ITEM, key);
  } else {
    sessionStorage.removeItem(KEY_ITEM);
  }
}

/** An API refusal: the problem document's code, title and detail. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

async function problemOf(response) {
  let code = "http-" + response.status;
  let detail = response.statusText || "the request failed";
  try {
    const problem = await response.json();
    code = problem.code || code;
    detail = problem.detail || problem.title || detail;
  } catch {
    // not a problem document: keep the status line
  }
  if (response.status === 401) {
    detail = "the service needs an API key: enter it at the top of the page";
  }
  return new ApiError(response.status, code, detail);
}

/** GET ``path``, or POST ``json`` (an object) or ``form`` (FormData) to it; ``accept`` picks a format. */
export async function call(path, { json, form, accept } = {}) {
  const headers = {};
  if (accept) {
    headers.Accept = accept;
  }
  const key = storedKey();
  if (key) {
    headers.Authorization = "Bearer " + key;
  }
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  let response;
  try {
    response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers,
      body,
      cache: "no-store",
      credentials: "omit",
      referrerPolicy: "no-referrer",
    });
  } catch {
    throw new ApiError(0, "unreachable", "the service did not answer");
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response;
}

/** The file name a response offers (``Content-Disposition``), else ``fallback``. */
export function fileName(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const match = /filename="([A-Za-z0-9._-]+)"/.exec(header);
  return match ? match[1] : fallback;
}
