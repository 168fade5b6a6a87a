// The pipeline board as it stood on a past day (or after an event-log position): cases at each
// stage and the action queues, with their ages counted to that moment. Replayed by the API from
// the history, never read from today's board.

import { h, table } from "../dom.js";
import { audit } from "../audit-api.js";
import { filterForm, readQuery, select } from "../audit-form.js";
import { ageInDays, shortId, today, when, words } from "../format.js";
import { QUEUES } from "./board.js";

const BASE = "#/audit/board";

function objectCell(item) {
  const [kind, id] = item.case_id ? ["case", item.case_id] : ["partnership", item.partnership_id];
  return h("a", { href: `#/audit/objects/${kind}/${id}` }, `${words(kind)} ${shortId(id)}…`,
    h("span", { class: "visually-hidden" }, ` (${id})`));
}

function queue(title, items) {
  return h("section", { "data-queue": title },
    h("h3", {}, `${title} (${items.length})`),
    table(title, [
      { label: "Record", cell: objectCell },
      { label: "Waiting then", cell: (i) => ageInDays(i.age_days) },
      { label: "Since", cell: (i) => when(i.since) },
      { label: "Priority", cell: (i) => (i.priority ? "Priority" : "—") },
    ], items, { empty: "None waiting.", hideCaption: true }));
}

function board(past) {
  const counts = Object.entries(past.stage_counts);
  return h("div", {},
    h("h2", {}, `The board at the end of ${past.on || when(past.at)}`),
    h("p", { class: "muted" }, `Replayed from the history up to event-log position ${past.position}; ages counted to ${when(past.at)}.`),
    h("h3", {}, "Cases by stage"),
    counts.length
      ? h("ul", { class: "cards", "aria-label": "Cases by stage, then" }, counts.map(([stage, n]) => h("li", { class: "card", dataset: { stage } },
        h("span", { class: "count" }, String(n)), h("span", { class: "label" }, words(stage)))))
      : h("p", { class: "muted" }, "No cases yet then."),
    h("h3", {}, "Action queues"),
    QUEUES.map(([key, title]) => queue(title, past.queues[key] || [])));
}

export async function render(query) {
  const programmes = await audit.programmes();
  const chosen = readQuery(query, ["programme", "on"]);
  const programme = chosen.programme || (programmes[0] ? String(programmes[0].programme_id) : "");
  const heading = h("h1", {}, "Board as of a date");
  if (!programmes.length) return h("div", {}, heading, h("p", {}, "There is no programme yet."));
  const form = filterForm("Choose the programme and the day", BASE, [
    ["Programme", select("programme", programme, programmes.map((p) => [String(p.programme_id), p.name || String(p.programme_id)]))],
    ["On", h("input", { type: "date", name: "on", value: chosen.on, max: today(), required: true }), "The board at the end of that day (UTC)."],
  ], { submit: "Show the board then", clear: "Clear" });
  const past = chosen.on ? board(await audit.boardAsOf(programme, { on: chosen.on })) : h("p", { class: "muted" }, "Choose a day to see the board as it stood then.");
  return h("div", {}, heading, form, past);
}
