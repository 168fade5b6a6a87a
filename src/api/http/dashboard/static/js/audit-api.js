// Every JSON API path the auditor's workspace uses, and its one file download (an export).

import { get, post, Problem } from "./http.js";
import { actingRole, token } from "./session.js";

export const q = (params) => {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const text = search.toString();
  return text ? `?${text}` : "";
};

const TIMELINES = { case: "cases", partnership: "partnerships", mentor: "mentors", programme: "programmes" };

export const audit = {
  programmes: () => get("/programmes"),
  history: (filters, page) => get(`/audit/history${q({ ...filters, ...page })}`),
  timeline: (kind, id, after, limit) => get(`/${TIMELINES[kind]}/${id}/timeline${q({ after, limit })}`),
  asOf: (kind, id, moment) => get(`/audit/${TIMELINES[kind]}/${id}/as-of${q(moment)}`),
  boardAsOf: (programmeId, moment) => get(`/audit/programmes/${programmeId}/board/as-of${q(moment)}`),
  lastVerification: () => get("/audit/verification"),
  verify: () => post("/audit/verification"),
  checkpoints: (limit) => get(`/audit/checkpoints${q({ limit })}`),
  accessLog: (filters, after, limit) => get(`/audit/access-log${q({ ...filters, after, limit })}`),
};

// A file the API streams (an export): fetched with the bearer token, then saved from memory.
export async function fetchFile(path, accept) {
  const headers = { Accept: `${accept}, application/problem+json`, Authorization: `Bearer ${token()}` };
  if (actingRole()) headers["X-Trellis-Role"] = actingRole();
  let response;
  try {
    response = await fetch(path, { headers });
  } catch {
    throw new Problem(0, { title: "The server could not be reached", detail: "check the connection and try again" });
  }
  if (!response.ok) {
    let body = {};
    try {
      body = await response.json();
    } catch {
      body = { title: response.statusText || "Request failed" };
    }
    throw new Problem(response.status, typeof body.detail === "string" || body.detail === undefined ? body : { ...body, detail: JSON.stringify(body.detail) });
  }
  const disposition = response.headers.get("Content-Disposition") || "";
  const named = disposition.match(/filename="([^"]+)"/);
  return {
    text: await response.text(),
    filename: named ? named[1] : "trellis-export",
    type: response.headers.get("Content-Type") || "application/octet-stream",
    through: response.headers.get("X-Trellis-Through-Position"),
    checkpoint: response.headers.get("X-Trellis-Checkpoint-Position"),
  };
}
