// Any object's history for the auditor: its timeline (a page at a time) and its state as it
// stood at a past moment — a day's end or a position in the event log. Never content: the API
// shows only what each role may see.

import { h } from "../dom.js";
import { Problem } from "../http.js";
import { audit, q } from "../audit-api.js";
import { filterForm, input, pageNumber, pager, readQuery, select } from "../audit-form.js";
import { shortId, today, when, words } from "../format.js";
import { timeline } from "./timeline.js";

const BASE = "#/audit/objects";
const PAGE = 50;
const KINDS = [["case", "Case"], ["partnership", "Partnership"], ["mentor", "Mentor record"], ["programme", "Programme"]];
const WORDED = new Set(["stage", "status", "partnership_status", "closed_reason", "end_reason", "audience", "matching"]);
const LINKED = { case_id: "case", partnership_id: "partnership", mentor_id: "mentor", programme_id: "programme" };

function openForm(kind, id) {
  const kindControl = select("kind", kind || "case", KINDS);
  const idControl = input("id", id || "", { size: 40, required: true, pattern: "[0-9a-fA-F-]{36}" });
  return filterForm("Open an object", BASE, [
    ["Kind", kindControl],
    ["Id", idControl, "Its id, as the history shows it."],
  ], { submit: "Open", clear: "Clear", go: (values) => `${BASE}/${values.kind}/${values.id.toLowerCase()}` });
}

function value(key, v) {
  if (LINKED[key] && typeof v === "string" && /^[0-9a-f-]{36}$/.test(v)) {
    return h("a", { href: `${BASE}/${LINKED[key]}/${v}` }, `${shortId(v)}…`, h("span", { class: "visually-hidden" }, ` (${v})`));
  }
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "object") return JSON.stringify(v);
  if (/(_at|_since)$/.test(key)) return when(v);
  if (WORDED.has(key)) return words(v);
  return String(v);
}

function stateFacts(state) {
  return h("dl", { class: "facts", "aria-label": "State at that moment" },
    Object.entries(state).map(([k, v]) => [h("dt", {}, words(k)), h("dd", { dataset: { field: k } }, value(k, v))]));
}

function momentForm(kind, id, moment) {
  const base = `${BASE}/${kind}/${id}`;
  return filterForm("State as of a moment", base, [
    ["On", h("input", { type: "date", name: "on", value: moment.on, max: today() }), "The state at the end of that day (UTC)."],
    ["Or at event-log position", h("input", { type: "number", name: "position", value: moment.position, min: 1, step: 1 }),
      "Leave the day empty to use a position."],
  ], { submit: "Show the state then", clear: "Clear" });
}

async function pastState(kind, id, moment) {
  const asked = moment.on ? { on: moment.on } : moment.position ? { position: moment.position } : null;
  if (!asked) return h("p", { class: "muted" }, "Choose a day or a position to see the state then.");
  let state;
  try {
    state = await audit.asOf(kind, id, asked);
  } catch (error) {
    if (!(error instanceof Problem) || error.status !== 422) throw error;
    return h("p", { class: "refused", dataset: { refused: "as-of" } }, `No state to show: ${error.detail || error.message}`);
  }
  const said = asked.on ? `at the end of ${asked.on}` : `after event-log position ${asked.position}`;
  return h("div", {}, h("h3", {}, `As it stood ${said}`), stateFacts(state));
}

export async function render(kind, id, query) {
  const heading = h("h1", {}, "Timelines and past states");
  if (!kind) return h("div", {}, heading, openForm());
  const moment = readQuery(query, ["on", "position"]);
  const after = pageNumber(readQuery(query, ["after"]).after);
  const [events, past] = await Promise.all([audit.timeline(kind, id, after, PAGE), pastState(kind, id, moment)]);
  const here = `${BASE}/${kind}/${id}`;
  const keep = { on: moment.on, position: moment.position };
  return h("div", {},
    heading,
    h("p", {}, h("a", { href: "#/audit/history" }, "Back to the programme history")),
    h("h2", {}, `${words(kind)} ${shortId(id)}…`),
    h("p", { class: "muted" }, `Id ${id}. `, h("a", { href: `#/audit/history${q({ aggregate_id: id })}` }, "Its events in the programme history")),
    momentForm(kind, id, moment),
    past,
    h("h2", { id: "timeline-heading" }, "Timeline"),
    h("p", { class: "muted" }, kind === "case" ? "The case and every partnership it ever had." : `Every event of this ${words(kind).toLowerCase()}.`),
    timeline(events),
    pager("Pages of the timeline", [
      ["From the beginning", after ? `${here}${q(keep)}` : null],
      ["Later events", events.length === PAGE ? `${here}${q({ ...keep, after: events[events.length - 1].position })}` : null],
    ]),
    openForm(kind, id));
}
