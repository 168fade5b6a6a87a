// The next allowed steps for a case and its partnership, each a real form with a real button.

import { field, h } from "../dom.js";
import { api } from "../endpoints.js";
import { today, words } from "../format.js";
import { act } from "../ui.js";

// One action: a titled form whose submit button runs `work(form)` and announces `done`.
function action(title, buttonText, done, work, ...controls) {
  return actionWith("primary", title, buttonText, done, work, ...controls);
}

// A step that undoes progress (rematch, withdraw) sits behind a disclosure, in a plain button.
function rarely(title, buttonText, done, work, ...controls) {
  return h("details", { class: "action" },
    h("summary", {}, title),
    actionWith(null, title, buttonText, done, work, ...controls).querySelector("form"));
}

function actionWith(style, title, buttonText, done, work, ...controls) {
  const button = h("button", { type: "submit", class: style }, buttonText);
  const form = h("form", {
    onsubmit: (event) => {
      event.preventDefault();
      act(button, done, () => work(new FormData(form)));
    },
  }, controls, h("p", {}, button));
  return h("section", { class: "action", "aria-label": title }, h("h3", {}, title), form);
}

function mentorChoices(mentors) {
  const inPool = mentors.filter((m) => m.status === "in_pool");
  if (!inPool.length) return h("p", {}, "No mentor is in the pool.");
  return h("fieldset", {},
    h("legend", {}, "Mentor (free places shown)"),
    inPool.map((m) => {
      const full = m.free <= 0;
      const id = `mentor-${m.mentor_id}`;
      return h("label", { class: "choice", for: id },
        h("input", { type: "radio", name: "mentor_id", id, value: m.mentor_id, required: true, disabled: full }),
        `${m.name || "Mentor"} — ${m.free} of ${m.capacity} ${m.capacity === 1 ? "place" : "places"} free${full ? " (full)" : ""}`);
    }));
}

// The mentee's ranked preferences, as the administrator copies them from a paper form.
function preferenceChoices(mentors) {
  const inPool = mentors.filter((m) => m.status === "in_pool");
  const select = (required) => h("select", { name: "preference", required },
    h("option", { value: "" }, "(none)"),
    inPool.map((m) => h("option", { value: m.mentor_id }, m.name || "Mentor")));
  return h("fieldset", {},
    h("legend", {}, "Preferred mentors, best first"),
    h("ol", { class: "preferences" }, ["First", "Second", "Third"].map((rank, i) =>
      h("li", {}, field(`${rank} choice`, select(i === 0))))));
}

export function caseActions(c, mentors, programme) {
  const out = [];
  if (c.stage === "awaiting_matching_request") {
    out.push(action("Record the matching request for the mentee", "Record the matching request", "Matching request recorded.",
      (data) => api.submitMatchingRequest(c.case_id, [...new Set(data.getAll("preference").filter(Boolean))], data.get("goals")),
      h("p", {}, "Waiting for the mentee's matching request; record it here if the mentee sent it to you."),
      preferenceChoices(mentors),
      field("Goals", h("textarea", { name: "goals", maxlength: 4000 }))));
  }
  if (c.stage === "awaiting_match") {
    out.push(action("Propose a match", "Propose this match", "Match proposed.",
      (data) => api.proposeMatch(c.case_id, data.get("mentor_id"), data.get("reasons")),
      mentorChoices(mentors),
      field("Reasons for the match", h("textarea", { name: "reasons", maxlength: 2000 }),
        "Seen by the administrators; never shown to the line manager.")));
  }
  if (c.stage === "match_proposed") {
    out.push(action("Record the discovery call", "Record the discovery call", "Discovery call recorded.",
      (data) => api.recordDiscoveryCall(c.case_id, data.get("held_on")),
      field("Held on", h("input", { type: "date", name: "held_on", required: true, value: today(), max: today() }))));
  }
  if (c.stage === "discovery_call_held" || (c.stage === "match_proposed" && programme.matching === "allocated")) {
    out.push(action("Confirm the match", "Confirm the match", "Match confirmed; the partnership awaits signatures.",
      () => api.confirmMatch(c.case_id)));
  }
  return out;
}

// Steps that undo progress, offered last and behind a disclosure.
export function undoActions(c) {
  const out = [];
  if (["match_proposed", "discovery_call_held", "matched"].includes(c.stage)) {
    out.push(rarely("Request a rematch (no blame)", "Request a rematch", "Rematch requested; the case is back in matching.",
      (data) => api.requestRematch(c.case_id, data.get("reason")),
      field("Reason (optional)", h("textarea", { name: "reason", maxlength: 2000 }))));
  }
  if (c.stage !== "closed") {
    out.push(rarely("Withdraw the case", "Withdraw the case", "Case withdrawn.",
      (data) => api.withdraw(c.case_id, data.get("reason")),
      field("Reason (optional)", h("textarea", { name: "reason", maxlength: 2000 }))));
  }
  return out;
}

export function partnershipActions(c, p) {
  if (!p) return [];
  const id = p.partnership_id;
  const out = [];
  if (p.status === "awaiting_signatures") {
    for (const party of ["mentee", "mentor"]) {
      if (!p[`${party}_signed`]) {
        out.push(action(`Record the ${party}'s signature`, `Record the ${party}'s signature`,
          `The ${party}'s signature is recorded.`, () => api.sign(id, party)));
      }
    }
  }
  if (p.status === "active" && p.extension_pending) {
    out.push(action("Grant the extension", "Grant the extension", "Extension granted.", () => api.grantExtension(id)));
    out.push(action("Decline the extension", "Decline the extension", "Extension declined.", () => api.declineExtension(id)));
  }
  if (p.status === "awaiting_signatures" || p.status === "active") {
    const reasons = ["completed", "withdrawn", "not_extended", "other"];
    out.push(action("End the partnership", "End the partnership", "Partnership ended.",
      (data) => api.end(id, data.get("reason")),
      field("Reason", h("select", { name: "reason", required: true },
        reasons.map((r) => h("option", { value: r }, words(r)))))));
  }
  if (p.status === "ended" && !p.feedback_requested && p.end_reason !== "rematched") {
    out.push(action("Request feedback", "Send the feedback forms", "Feedback forms sent.", () => api.requestFeedback(id)));
  }
  return out;
}
