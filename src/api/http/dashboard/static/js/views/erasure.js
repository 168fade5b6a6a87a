// One erasure request: what it will touch (counts and ids), the legal holds that block it,
// and the decision — erase, after a confirmation, or refuse on a lawful basis.

import { field, h, table } from "../dom.js";
import { confirmStep } from "../confirm.js";
import { api } from "../endpoints.js";
import { Problem } from "../http.js";
import { when, words } from "../format.js";
import { act } from "../ui.js";
import { LAWFUL_BASES, deadline, outcomeOf, personId, stateOf, who } from "./request-facts.js";

function facts(r, me) {
  const rows = [
    ["Subject", personId(r.subject_id)],
    ["Received on", r.received_on],
    ["Due on", r.due_on],
    ["Deadline", deadline(r)],
    ["State", stateOf(r)],
    ["Recorded by", who(r.received_by, me)],
  ];
  if (r.state !== "received") rows.push(["Closed", `${when(r.closed_at)} by ${who(r.closed_by, me)}`], ["Outcome", outcomeOf(r)]);
  return h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

const ids = (list) => (list.length ? h("ul", { class: "ids" }, list.map((id) => h("li", {}, personId(id)))) : "—");

function touches(p) {
  const rows = [
    ["Keys to destroy", p.keys_to_destroy, []],
    ["Cases to close", p.cases_to_close.length, p.cases_to_close],
    ["Cases to return to matching (their mentor is erased)", p.cases_to_return_to_matching.length, p.cases_to_return_to_matching],
    ["Mentor records to close", p.mentor_records_to_close.length, p.mentor_records_to_close],
    ["Partnerships whose records go", p.partnerships_whose_records_go.length, p.partnerships_whose_records_go],
    ["Link from their identity to their id", p.identity_linked ? 1 : 0, []],
  ];
  return table("What the erasure will touch", [
    { label: "What", cell: (row) => row[0] },
    { label: "How many", num: true, cell: (row) => String(row[1]) },
    { label: "Which", cell: (row) => (row[2].length ? ids(row[2]) : "—") },
  ], rows, { hideCaption: true });
}

function holds(p) {
  if (!p.held_by.length) return h("p", {}, h("span", { class: "tag ok" }, "No legal hold"), " stands on anything this would erase.");
  return h("div", {},
    h("p", {}, h("span", { class: "tag warn" }, "Blocked by a legal hold"),
      " The erasure will be refused until every hold below is lifted (on the ", h("a", { href: "#/holds" }, "Legal holds"), " page)."),
    table("Legal holds blocking the erasure", [
      { label: "On", cell: (x) => [`${words(x.target)} `, personId(x.target_id)] },
      { label: "Reason", cell: (x) => x.reason || "—" },
      { label: "Placed", cell: (x) => when(x.placed_at) },
      { label: "Hold", cell: (x) => personId(x.hold_id) },
    ], p.held_by));
}

function refuseForm(r) {
  const button = h("button", { type: "submit" }, "Refuse");
  const select = h("select", { name: "lawful_basis", required: true },
    h("option", { value: "" }, "(choose one)"),
    Object.entries(LAWFUL_BASES).map(([value, text]) => h("option", { value }, text)));
  const form = h("form", {
    onsubmit: (event) => {
      event.preventDefault();
      act(button, "Erasure refused; the request is closed.", () => api.refuseErasure(r.request_id, select.value));
    },
  }, field("Lawful basis", select, "Why the data must be kept (UK GDPR Article 17(3))."), h("p", {}, button));
  return h("section", { class: "action", "aria-labelledby": "refuse-heading" }, h("h3", { id: "refuse-heading" }, "Refuse"), form);
}

function eraseStep(r) {
  return h("section", { class: "action", "aria-labelledby": "erase-heading" },
    h("h3", { id: "erase-heading" }, "Erase"),
    h("p", {}, "Their keys are destroyed, so their data becomes unreadable everywhere, for good; ",
      "open cases close, and the history keeps its shape without naming them."),
    confirmStep({
      start: "Erase",
      question: `Erase ${r.subject_id} for good? This cannot be undone.`,
      yes: "Yes, erase for good",
      done: "Erasure carried out; the request is completed.",
      work: () => api.erase(r.request_id),
    }));
}

export async function render(requestId) {
  const [requests, me] = await Promise.all([api.erasureRequests(), api.me()]);
  const r = requests.find((x) => x.request_id === requestId);
  if (!r) throw new Problem(404, { title: "Not found", detail: `no erasure request ${requestId}` });
  const open = r.state === "received";
  const preview = open ? await api.erasurePreview(requestId) : null;
  return h("div", {},
    h("p", {}, h("a", { href: "#/requests" }, "Back to the requests")),
    h("h1", {}, `Erasure request for ${r.subject_id}`),
    facts(r, me),
    preview && [
      h("h2", {}, "What the erasure will touch"),
      touches(preview),
      h("h2", {}, "Legal holds"),
      holds(preview),
      h("p", {}, h("a", { href: `#/holds?target=person&id=${encodeURIComponent(r.subject_id)}` }, "Place a legal hold on this person")),
      h("h2", { id: "decide-heading" }, "Decide"),
      h("div", { class: "actions", role: "group", "aria-labelledby": "decide-heading" }, eraseStep(r), refuseForm(r)),
    ]);
}
