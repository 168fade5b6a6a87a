// The one place that talks HTTP: bearer token, idempotency keys, problem+json errors.

import { actingRole, token } from "./session.js";

export class Problem extends Error {
  constructor(status, body) {
    const title = body.title || `The server answered ${status}`;
    super(body.detail ? `${title}: ${body.detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = body.detail || "";
    this.errors = Array.isArray(body.errors) ? body.errors : [];
  }
}

async function problemFrom(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = { title: response.statusText || "Request failed" };
  }
  if (typeof body.detail !== "string" && body.detail !== undefined) {
    body = { ...body, detail: JSON.stringify(body.detail) };
  }
  return new Problem(response.status, body);
}

// One key per click: a retry of the same request must not record anything twice.
function idempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Read models follow commands within moments. A command answers with the event log
// position it reached; a read answers with the position its read models have reached
// (X-Trellis-Read-Position). A read that is behind our own last command is asked again,
// a bounded number of times, so a page never shows the state from before our own action.
let lastCommandPosition = 0;
const READ_RETRIES = [50, 100, 200, 400, 800, 1600];

function behind(response) {
  const header = response.headers.get("X-Trellis-Read-Position");
  return header !== null && Number(header) < lastCommandPosition;
}

async function send(method, path, headers, body) {
  try {
    return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Problem(0, { title: "The server could not be reached", detail: "check the connection and try again" });
  }
}

export async function request(method, path, body, { accept = "application/json", paged = false } = {}) {
  const headers = { Accept: `${accept}, application/problem+json` };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (bearer && actingRole()) headers["X-Trellis-Role"] = actingRole();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method === "POST") headers["Idempotency-Key"] = idempotencyKey();
  let response = await send(method, path, headers, body);
  for (const pause of method === "GET" ? READ_RETRIES : []) {
    if (!behind(response) || response.status === 401 || response.status === 403) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    response = await send(method, path, headers, body);
  }
  if (!response.ok) throw await problemFrom(response);
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  const result = type.includes("json") ? await response.json() : await response.text();
  if (method === "POST" && result && Number.isInteger(result.position)) {
    lastCommandPosition = Math.max(lastCommandPosition, result.position);
  }
  // A paged list: its items, and the cursor of the next page (null on the last).
  if (paged) return { items: result, next: response.headers.get("X-Next-Cursor") };
  return result;
}

export const get = (path) => request("GET", path);
export const getPage = (path) => request("GET", path, undefined, { paged: true });
export const post = (path, body = {}) => request("POST", path, body);
