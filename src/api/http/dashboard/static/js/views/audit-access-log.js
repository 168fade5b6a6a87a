// Who read personal data: every read the API served, by reader, role, route and object, and
// when — never what was read. Filtered and paged by entry number. The auditor's and the
// data-protection officer's; only the auditor's links lead on to an object's timeline.

import { h, table } from "../dom.js";
import { audit, q } from "../audit-api.js";
import { area } from "../session.js";
import { filterForm, input, pageNumber, pager, readQuery, select } from "../audit-form.js";
import { shortId, when, words } from "../format.js";

const BASE = "#/audit/access-log";
const FILTERS = ["reader", "reader_role", "object_kind", "object_id", "route", "since", "until"];
const PAGE = 50;
const KINDS = ["person", "case", "partnership", "mentor", "request", "history", "programme_cases",
  "programme_partnerships", "programme_mentors", "programme_history", "line_manager_reports", "data_protection", "access_log"];
const ROLES = ["administrator", "line_manager", "mentor", "mentee", "auditor", "dpo"];
const OBJECT_PAGES = {
  case: "case", partnership: "partnership", mentor: "mentor", programme_cases: "programme",
  programme_partnerships: "programme", programme_mentors: "programme", programme_history: "programme",
};

function objectCell(e) {
  if (!e.object_id) return `${words(e.object_kind)} (the whole service)`;
  const kind = OBJECT_PAGES[e.object_kind];
  const text = `${words(e.object_kind)} ${shortId(e.object_id)}…`;
  return kind && area() === "audit" ? h("a", { href: `#/audit/objects/${kind}/${e.object_id}` }, text, h("span", { class: "visually-hidden" }, ` (${e.object_id})`)) : text;
}

export async function render(query) {
  const chosen = readQuery(query, FILTERS);
  const after = pageNumber(readQuery(query, ["after"]).after);
  const found = await audit.accessLog(chosen, after, PAGE + 1);
  const entries = found.slice(0, PAGE);
  return h("div", {},
    h("h1", {}, "Access log"),
    h("p", {}, "Every read of personal data or session records, oldest first: who read, in which role, through "
      + "which route, what and when. Never the content. Reading this log is itself recorded."),
    filterForm("Filter the log", BASE, [
      ["Reader", input("reader", chosen.reader), "Their opaque id (p-…)."],
      ["Their role", select("reader_role", chosen.reader_role, [["", "Any role"], ...ROLES.map((r) => [r, words(r)])])],
      ["What was read", select("object_kind", chosen.object_kind, [["", "Anything"], ...KINDS.map((k) => [k, words(k)])])],
      ["Object id", input("object_id", chosen.object_id, { size: 40 })],
      ["Route", input("route", chosen.route, { size: 40 }), "As the log shows it, for example GET /cases/{case_id}."],
      ["From", h("input", { type: "date", name: "since", value: chosen.since }), "The first day, inclusive (UTC)."],
      ["To", h("input", { type: "date", name: "until", value: chosen.until }), "The last day, inclusive (UTC)."],
    ]),
    h("h2", {}, "Reads"),
    table("Reads, oldest first", [
      { label: "Entry", cell: (e) => String(e.entry), num: true },
      { label: "When", cell: (e) => when(e.at) },
      { label: "Reader", cell: (e) => e.reader_id },
      { label: "Role", cell: (e) => words(e.reader_role) },
      { label: "Route", cell: (e) => h("code", {}, e.route) },
      { label: "What", cell: objectCell },
    ], entries, { empty: "No read matches these filters." }),
    pager("Pages of the access log", [
      ["First page", after ? `${BASE}${q(chosen)}` : null],
      ["Next page", found.length > PAGE ? `${BASE}${q({ ...chosen, after: entries[entries.length - 1].entry })}` : null],
    ]));
}
