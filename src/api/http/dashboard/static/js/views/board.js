// The pipeline board: how many cases are at each stage, and the queues waiting on someone.

import { h, table } from "../dom.js";
import { api } from "../endpoints.js";
import { ageInDays, words, when } from "../format.js";
import { currentProgramme, picker } from "../programme.js";
import { refresh } from "../ui.js";

// The action queues, in the order the board shows them (the board as of a day shows them alike).
export const QUEUES = [
  ["eois_awaiting_line_manager", "Expressions of interest awaiting the line manager"],
  ["awaiting_match", "Waiting for a match"],
  ["proposals_awaiting_outcome", "Proposed matches awaiting the discovery call or confirmation"],
  ["agreements_awaiting_signature", "Agreements awaiting signatures"],
  ["extensions_pending", "Extension requests to decide"],
  ["awaiting_feedback", "Ended partnerships awaiting feedback"],
  ["stale_partnerships", "Active partnerships with no recent session"],
];

function stageOf(c) {
  if (c.stage === "closed") return `Closed: ${words(c.closed_reason).toLowerCase()}`;
  if (c.stage === "matched" && c.partnership_status) return words(c.partnership_status);
  return words(c.stage);
}

function stageCards(counts) {
  return h("ul", { class: "cards", "aria-label": "Cases by stage" },
    Object.entries(counts).map(([stage, n]) => h("li", { class: "card", dataset: { stage } },
      h("span", { class: "count" }, String(n)),
      h("span", { class: "label" }, words(stage)))));
}

// `total`: how many wait in all (the board lists the oldest few of a long queue).
function queueTable(title, items, total = items.length) {
  const columns = [
    { label: "Case", cell: (i) => h("a", { href: `#/cases/${i.case_id}` }, i.mentee_name || `Case ${String(i.case_id).slice(0, 8)}`) },
    { label: "Waiting", cell: (i) => ageInDays(i.age_days) },
    { label: "Since", cell: (i) => when(i.since) },
    { label: "Priority", cell: (i) => (i.priority ? h("span", { class: "tag warn" }, "Priority") : "—") },
  ];
  return h("section", { "data-queue": title },
    h("h3", {}, total > items.length ? `${title} (${total}, the oldest ${items.length} shown)` : `${title} (${total})`),
    table(title, columns, items, { empty: "None waiting.", hideCaption: true }));
}

export async function render() {
  const programme = await currentProgramme();
  if (!programme.id) {
    return h("div", {}, h("h1", {}, "Pipeline board"), h("p", {}, "There is no programme yet."));
  }
  const [pipeline, firstPage] = await Promise.all([api.pipeline(programme.id), api.casesPage(programme.id)]);
  const { stage_counts: counts, queues } = pipeline;
  const caseColumns = [
    { label: "Mentee", cell: (c) => h("a", { href: `#/cases/${c.case_id}` }, c.mentee_name || `Mentee ${c.mentee_id}`) },
    { label: "Stage", cell: (c) => stageOf(c) },
    { label: "Mentor", cell: (c) => c.mentor_name || "—" },
    { label: "Since", cell: (c) => when(c.stage_since || c.submitted_at) },
  ];
  return h("div", {},
    h("h1", {}, `Pipeline board: ${programme.chosen.name || "programme"}`),
    picker(programme, refresh),
    h("h2", {}, "Cases by stage"),
    stageCards(counts),
    h("h2", {}, "Action queues"),
    QUEUES.map(([key, title]) => queueTable(title, queues[key] || [], (pipeline.queue_sizes || {})[key])),
    h("h2", {}, "All cases"),
    allCases(programme.id, caseColumns, firstPage));
}

// A programme's cases in submission order, a page at a time: "More cases" reads the next page.
function allCases(programmeId, columns, first) {
  const shown = [...first.items];
  const holder = h("div", {});
  const draw = (next) => {
    const more = next ? h("button", { type: "button", class: "more" }, "More cases") : null;
    if (more) {
      more.addEventListener("click", async () => {
        more.disabled = true;
        const page = await api.casesPage(programmeId, next);
        shown.push(...page.items);
        draw(page.next);
        holder.querySelector("table")?.focus?.();
      });
    }
    holder.replaceChildren(
      table("All cases", columns, shown, { empty: "No cases yet.", hideCaption: true }),
      h("p", { class: "hint" }, next ? `${shown.length} cases shown, oldest first.` : `All ${shown.length} cases shown.`),
      ...(more ? [more] : []));
  };
  draw(first.next);
  return holder;
}
