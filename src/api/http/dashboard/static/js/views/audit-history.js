// The programme history for the auditor: every event, filtered by actor, role, event type,
// object and days, a page at a time (the API pages by position, never loading it all), and
// exported as CSV or JSON Lines through the signed checkpoint it verifies against.

import { h, table } from "../dom.js";
import { audit, fetchFile, q } from "../audit-api.js";
import { filterForm, input, pageNumber, pager, readQuery, select } from "../audit-form.js";
import { download } from "../csv.js";
import { shortId, when, words } from "../format.js";
import { actInPlace } from "../ui.js";

const BASE = "#/audit/history";
const FILTERS = ["actor_id", "actor_role", "event_type", "aggregate_type", "aggregate_id", "since", "until"];
const PAGE = 50;
const ROLES = ["administrator", "line_manager", "mentor", "mentee", "auditor", "dpo", "system"];
const KINDS = { Case: "case", Partnership: "partnership", Mentor: "mentor", Programme: "programme" };
const OTHER_KINDS = ["LegalHold", "SubjectRequest", "DataProtectionPolicy"];
const EVENT_TYPES = [
  "Registered", "Reconfigured", "InterestExpressed", "TrainingCompleted", "JoinedPool", "CapacityChanged", "Paused",
  "Resumed", "LeftPool", "EOISubmitted", "LineManagerApproved", "LineManagerDeclined", "MatchingRequestSubmitted",
  "ExploratoryConversationHeld", "MatchProposed", "DiscoveryCallHeld", "MatchConfirmed", "RematchRequested",
  "Withdrawn", "PartnershipFormed", "AgreementSigned", "PartnershipStarted", "SessionHeld", "ProgressReviewed",
  "ExtensionRequested", "ExtensionGranted", "ExtensionDeclined", "PartnershipEnded", "FeedbackRequested",
  "FeedbackSubmitted",
];

// Where an object's timeline and past states are, for the kinds that have them.
export function objectLink(type, id) {
  const kind = KINDS[type];
  const text = `${type} ${shortId(id)}…`;
  return kind ? h("a", { href: `#/audit/objects/${kind}/${id}` }, text, h("span", { class: "visually-hidden" }, ` (${id})`)) : text;
}

function filters(chosen) {
  const eventType = input("event_type", chosen.event_type, { list: "event-types", pattern: "[A-Za-z][A-Za-z0-9_]*" });
  return filterForm("Filter the history", BASE, [
    ["Actor", input("actor_id", chosen.actor_id), "Their opaque id, as the history shows it (p-…)."],
    ["Role", select("actor_role", chosen.actor_role, [["", "Any role"], ...ROLES.map((r) => [r, words(r)])])],
    ["Event type", eventType, "As the history names it, for example MatchProposed."],
    ["Object kind", select("aggregate_type", chosen.aggregate_type,
      [["", "Any kind"], ...[...Object.keys(KINDS), ...OTHER_KINDS].map((k) => [k, words(k)])])],
    ["Object id", input("aggregate_id", chosen.aggregate_id, { size: 40 })],
    ["From", h("input", { type: "date", name: "since", value: chosen.since }), "The first day, inclusive (UTC)."],
    ["To", h("input", { type: "date", name: "until", value: chosen.until }), "The last day, inclusive (UTC)."],
  ]);
}

function eventTable(events) {
  return table("Events, oldest first", [
    { label: "Position", cell: (e) => String(e.position), num: true },
    { label: "Recorded", cell: (e) => when(e.recorded_at) },
    { label: "Event", cell: (e) => e.event_type },
    { label: "Object", cell: (e) => objectLink(e.aggregate_type, e.aggregate_id) },
    { label: "Actor", cell: (e) => e.actor_id || "—" },
    { label: "Role", cell: (e) => words(e.actor_role) },
    { label: "Recorded for", cell: (e) => (e.on_behalf_of ? `${e.on_behalf_of}${e.recorded_by_administrator ? " (by an administrator)" : ""}` : "—") },
  ], events, { empty: "No event matches these filters." });
}

function exportSection(chosen, checkpoint) {
  const id = "export-heading";
  const through = checkpoint
    ? [`Exports run through position ${checkpoint.position}, vouched for by the checkpoint signed ${when(checkpoint.taken_at)} `,
        `(key ${checkpoint.key_id}). Later events go into the next checkpoint's export.`]
    : ["No checkpoint has been signed yet: an export runs through the latest event, and nothing vouches for it."];
  const run = (format, accept) => (event) => actInPlace(event.currentTarget,
    (file) => `Exported ${file.rows} event${file.rows === 1 ? "" : "s"} through position ${file.through} as ${file.filename}.`,
    async () => {
      const file = await fetchFile(`/audit/history/export${q({ ...chosen, format, checkpoint: checkpoint?.position })}`, accept);
      download(file.filename, file.text, file.type);
      const lines = file.text.split("\n").filter((line) => line.trim()).length;
      return { ...file, rows: lines - 1 }; // less the header (CSV) or the checkpoint line (JSON Lines)
    });
  const saveCheckpoint = checkpoint && h("button", {
    type: "button",
    onclick: (event) => actInPlace(event.currentTarget, `Checkpoint at position ${checkpoint.position} saved.`, async () =>
      download(`trellis-checkpoint-${checkpoint.position}.json`, `${JSON.stringify(checkpoint, null, 2)}\n`, "application/json")),
  }, "Save the checkpoint (JSON)");
  return h("section", { "aria-labelledby": id },
    h("h2", { id }, "Export the filtered history"),
    h("p", {}, through),
    h("p", { class: "row" },
      h("button", { type: "button", onclick: run("csv", "text/csv") }, "Export as CSV"), " ",
      h("button", { type: "button", onclick: run("jsonl", "application/x-ndjson") }, "Export as JSON Lines"), " ",
      saveCheckpoint),
    h("p", { class: "hint" }, "JSON Lines begin with a line naming the filters and carrying the checkpoint. Check the "
      + "stored history against a saved checkpoint with: trellis audit verify --checkpoint FILE"));
}

export async function render(query) {
  const chosen = readQuery(query, FILTERS);
  const paging = readQuery(query, ["after", "before"]);
  const page = { limit: PAGE, after: pageNumber(paging.after), before: pageNumber(paging.before) };
  const [found, checkpoints] = await Promise.all([audit.history(chosen, page), audit.checkpoints(1)]);
  const { events } = found;
  const range = events.length ? `Events at positions ${events[0].position} to ${events[events.length - 1].position}` : "No events";
  return h("div", {},
    h("h1", {}, "Programme history"),
    h("p", {}, `Every event the history index holds, up to position ${found.indexed_up_to}: who did what, in which role, `
      + "to which object and when — never personal data or content."),
    filters(chosen),
    h("datalist", { id: "event-types" }, EVENT_TYPES.map((t) => h("option", { value: t }))),
    h("h2", { id: "events-heading" }, "Events"),
    h("p", { class: "muted" }, `${range}, ${PAGE} a page.`),
    eventTable(events),
    pager("Pages of the history", [
      ["First page", page.after || page.before ? `${BASE}${q(chosen)}` : null],
      ["Previous page", found.previous_before ? `${BASE}${q({ ...chosen, before: found.previous_before })}` : null],
      ["Next page", found.next_after ? `${BASE}${q({ ...chosen, after: found.next_after })}` : null],
      ["Last page", found.next_after ? `${BASE}${q({ ...chosen, before: Number.MAX_SAFE_INTEGER })}` : null],
    ]),
    exportSection(chosen, checkpoints[0]));
}
