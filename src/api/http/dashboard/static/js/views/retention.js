// Retention: a dry run of who is due for erasure now (and who a legal hold keeps), then the
// run itself, after a confirmation; the last summary stays on the page.

import { h, table } from "../dom.js";
import { confirmStep } from "../confirm.js";
import { api } from "../endpoints.js";
import { plural, when } from "../format.js";
import { act } from "../ui.js";
import { personId } from "./request-facts.js";

let preview = null; // { at, summary }: the last dry run, kept while the page is redrawn
let lastRun = null;

const people = (n) => plural(n, "person", "people");

function dueTable(summary, caption) {
  return table(caption, [
    { label: "Person", cell: (d) => personId(d.person_id) },
    { label: "Records closed", cell: (d) => (d.closed_at ? when(d.closed_at) : "(an earlier run stopped half-way)") },
    { label: "Outcome", cell: (d) => (d.held_by ? ["Kept by legal hold ", personId(d.held_by)] : summary.dry_run ? "Would be erased" : "Erased") },
  ], summary.due, { empty: "Nobody is due.", hideCaption: true });
}

function previewed(summary) {
  const held = summary.held.length;
  return `Preview ready: ${people(summary.due.length)} due, ${held} kept by a legal hold.`;
}

function ran(summary) {
  return `Retention ran: ${people(summary.erased.length)} erased, ${summary.held.length} kept by a legal hold.`;
}

function previewSection() {
  if (!preview) return null;
  const { at, summary } = preview;
  return h("section", { "aria-labelledby": "preview-result" },
    h("h3", { id: "preview-result" }, `Dry run at ${when(at)}`),
    h("p", {}, `${people(summary.due.length)} due; ${summary.held.length} kept by a legal hold; `,
      `${people(summary.due.length - summary.held.length)} would be erased. Nothing was changed.`),
    dueTable(summary, "Who is due"));
}

function runSection() {
  if (!lastRun) return null;
  const { at, summary } = lastRun;
  return h("section", { "aria-labelledby": "run-result" },
    h("h3", { id: "run-result" }, `Run at ${when(at)}`),
    h("p", {}, `${people(summary.erased.length)} erased; ${summary.held.length} kept by a legal hold.`),
    dueTable(summary, "Who was due"));
}

export async function render() {
  const previewButton = h("button", { type: "button", class: "primary" }, "Preview");
  previewButton.addEventListener("click", () => act(previewButton, (s) => previewed(s), async () => {
    const summary = await api.retentionPreview();
    preview = { at: new Date().toISOString(), summary };
    return summary;
  }));
  return h("div", {},
    h("h1", {}, "Retention"),
    h("p", {}, "Each programme keeps a person's records for its retention period after the last of them closed. ",
      "Retention erases everyone whose period has run out, as an erasure request would, except those a legal hold keeps."),
    h("h2", {}, "Preview"),
    h("p", {}, "A dry run: who is due now, and who a legal hold keeps. Nothing changes."),
    h("p", {}, previewButton),
    previewSection(),
    h("h2", {}, "Run retention"),
    confirmStep({
      start: "Run retention",
      question: "Run retention now? Everyone due and not kept by a legal hold is erased for good.",
      yes: "Yes, run retention",
      done: (s) => ran(s),
      work: async () => {
        const summary = await api.runRetention();
        lastRun = { at: new Date().toISOString(), summary };
        preview = null; // out of date now
        return summary;
      },
    }),
    runSection());
}
