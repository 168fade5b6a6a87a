// The data-protection officer's requests: erasure and subject access, each with its
// statutory clock; a form to record one; a subject-access request answered from here.

import { field, h, table } from "../dom.js";
import { download } from "../csv.js";
import { api } from "../endpoints.js";
import { today } from "../format.js";
import { drawInto, openBlankWindow } from "../printable.js";
import { act, actInPlace } from "../ui.js";
import { deadline, outcomeOf, personId, stateOf } from "./request-facts.js";

const hidden = (text) => h("span", { class: "visually-hidden" }, text);

function clockColumns() {
  return [
    { label: "Subject", cell: (r) => personId(r.subject_id) },
    { label: "Received on", cell: (r) => r.received_on },
    { label: "Due on", cell: (r) => r.due_on },
    { label: "Deadline", cell: (r) => deadline(r) },
    { label: "State", cell: (r) => stateOf(r) },
    { label: "Outcome", cell: (r) => outcomeOf(r) },
  ];
}

function erasureTable(requests) {
  const next = (r) => h("a", { href: `#/requests/erasure/${r.request_id}` },
    r.state === "received" ? "Preview" : "Details", hidden(` the erasure for ${r.subject_id}`));
  return table("Erasure requests", [...clockColumns(), { label: "Next step", cell: next }], requests,
    { empty: "No erasure requests.", hideCaption: true });
}

// The export is fetched with the bearer token, then saved or shown from this page.
async function downloadJson(button, r) {
  await actInPlace(button, "The export was downloaded as JSON.", async () => {
    const data = await api.accessExport(r.request_id);
    download(`subject-access-${r.subject_id}.json`, `${JSON.stringify(data, null, 2)}\n`, "application/json");
  });
}

async function openPrintable(button, r) {
  const tab = openBlankWindow();
  await actInPlace(button, (how) => how, async () => {
    try {
      const html = await api.accessExportPage(r.request_id);
      if (!tab) {
        download(`subject-access-${r.subject_id}.html`, html, "text/html;charset=utf-8");
        return "The browser blocked a new window: the printable page was downloaded instead.";
      }
      drawInto(tab, html);
      return "The printable page opened in a new window.";
    } catch (error) {
      tab?.close();
      throw error;
    }
  });
}

function answerButtons(r) {
  if (r.state !== "received") return "—";
  const suffix = ` for ${r.subject_id}`;
  const button = (text, onclick) => h("button", { type: "button", onclick: (e) => onclick(e.currentTarget, r) }, text, hidden(suffix));
  return h("div", { class: "row" },
    button("Download JSON", downloadJson),
    button("Open printable page", openPrintable),
    button("Mark answered", (control) => act(control, "Subject-access request marked answered.",
      () => api.completeAccessRequest(r.request_id))));
}

function accessTable(requests) {
  return table("Subject-access requests", [...clockColumns(), { label: "Answer", cell: answerButtons }], requests,
    { empty: "No subject-access requests.", hideCaption: true });
}

function subjectOf(data) {
  const identity = String(data.get("identity") || "").trim();
  const person = String(data.get("person_id") || "").trim();
  if (Boolean(identity) === Boolean(person)) throw new Error("Fill in the identity or the person id: one of the two.");
  return identity ? { identity } : { person_id: person };
}

function recordForm() {
  const button = h("button", { type: "submit", class: "primary" }, "Record the request");
  const kinds = [["erasure", "Erasure (the right to be forgotten)"], ["access", "Subject access (a copy of their data)"]];
  const form = h("form", {
    onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const kind = data.get("kind");
      act(button, kind === "erasure" ? "Erasure request recorded." : "Subject-access request recorded.", () => {
        const record = kind === "erasure" ? api.recordErasureRequest : api.recordAccessRequest;
        return record(subjectOf(data), data.get("received_on"));
      });
    },
  },
  h("fieldset", {}, h("legend", {}, "Kind of request"), kinds.map(([value, text], i) =>
    h("label", { class: "choice" }, h("input", { type: "radio", name: "kind", value, required: true, checked: i === 0 }), text))),
  h("fieldset", {}, h("legend", {}, "Whose data: fill in one of the two"),
    field("Identity", h("input", { type: "text", name: "identity", maxlength: 200, autocomplete: "off", size: 40 }),
      "The sign-in name or e-mail address the person gave."),
    field("Person id", h("input", { type: "text", name: "person_id", maxlength: 200, autocomplete: "off", size: 40, pattern: "p-[0-9a-f]{32}" }),
      "Or the opaque id Trellis shows: p- and 32 characters.")),
  field("Received on", h("input", { type: "date", name: "received_on", required: true, value: today(), max: today() }),
    "When the request reached the organisation: the month to answer it runs from then."),
  h("p", {}, button));
  return h("section", { class: "action", "aria-labelledby": "record-heading" },
    h("h2", { id: "record-heading" }, "Record a request"), form);
}

export async function render() {
  const [erasures, accesses] = await Promise.all([api.erasureRequests(), api.accessRequests()]);
  const overdue = [...erasures, ...accesses].filter((r) => r.overdue).length;
  return h("div", {},
    h("h1", {}, "Requests"),
    h("p", {}, "Each request is due one calendar month after it was received. ",
      overdue ? h("strong", {}, `${overdue} overdue.`) : "None is overdue."),
    h("h2", {}, `Erasure requests (${erasures.length})`),
    erasureTable(erasures),
    h("h2", {}, `Subject-access requests (${accesses.length})`),
    accessTable(accesses),
    recordForm());
}
