// The consent ledger: whether each person's special-category answers are kept, when that was
// recorded and by whom, and for what purpose; never the answers themselves.

import { field, h, table } from "../dom.js";
import { api } from "../endpoints.js";
import { when } from "../format.js";
import { refresh } from "../ui.js";
import { personId } from "./request-facts.js";

let filter = ""; // a person id, kept while the page is redrawn

function consent(entry) {
  if (entry.special_category === null || entry.special_category === undefined) return "Unreadable (the person was erased)";
  return entry.special_category ? "Given: answers kept" : "Withdrawn: answers erased";
}

function recordedBy(entry) {
  if (!entry.recorded_by) return "someone since erased";
  return entry.recorded_by === entry.person_id ? "the person themselves" : ["on their behalf, by ", personId(entry.recorded_by)];
}

function filterForm() {
  const input = h("input", { type: "text", name: "person_id", value: filter, maxlength: 200, size: 40, autocomplete: "off" });
  return h("form", {
    class: "row",
    onsubmit: (event) => {
      event.preventDefault();
      filter = input.value.trim();
      refresh();
    },
  }, field("Person id", input, "Show one person's entries (p-…); leave empty for everyone."), h("button", { type: "submit" }, "Show"));
}

export async function render() {
  const entries = await api.consents(filter || undefined);
  return h("div", {},
    h("h1", {}, "Consent ledger"),
    h("p", {}, "Special-category answers (ethnicity, disability, lived experience) are kept only with the person's own consent, ",
      "and used only for matching."),
    filterForm(),
    table("Consent ledger", [
      { label: "Person", cell: (e) => personId(e.person_id) },
      { label: "Recorded", cell: (e) => when(e.recorded_at) },
      { label: "Recorded by", cell: recordedBy },
      { label: "Special-category answers", cell: consent },
      { label: "Purpose", cell: (e) => e.purpose || "—" },
      { label: "Record", cell: (e) => personId(e.record_id) },
    ], entries, { empty: filter ? `No entries for ${filter}.` : "No consent has been recorded.", hideCaption: true }));
}
