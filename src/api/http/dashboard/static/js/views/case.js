// A case: what it is, what happened, and the next steps an administrator may take.

import { h } from "../dom.js";
import { api } from "../endpoints.js";
import { shortId, when, words } from "../format.js";
import { timeline } from "./timeline.js";
import { caseActions, partnershipActions, undoActions } from "./actions.js";

// "recorded by an administrator" wherever an administrator recorded a step for the person who takes it
const BY_ADMIN = "recorded by an administrator";

function byAdmin(recordedBy) {
  if (!recordedBy) return "";
  return recordedBy === "administrator" ? ` — ${BY_ADMIN}` : ` — recorded by the ${words(recordedBy).toLowerCase()}`;
}

function signatures(p) {
  const signed = ["mentee", "mentor"].filter((party) => p[`${party}_signed`]);
  if (!signed.length) return "nobody yet";
  const forThem = signed.filter((party) => p[`${party}_signature_recorded_by`] === "administrator");
  let note = "";
  if (forThem.length && forThem.length === signed.length) note = ` — ${signed.length === 2 ? "both " : ""}${BY_ADMIN}`;
  else if (forThem.length) note = ` — the ${forThem[0]}'s ${BY_ADMIN}`;
  return `${signed.join(" and ")}${note}`;
}

function facts(c, p) {
  const rows = [
    ["Mentee", c.mentee_name || c.mentee_id],
    ["Stage", `${words(c.stage === "closed" ? `${words(c.stage)} (${words(c.closed_reason)})` : c.stage)}${byAdmin(c.withdrawal_recorded_by)}`],
    ["In this stage since", when(c.stage_since)],
    ["Expression of interest", `${when(c.submitted_at)}${byAdmin(c.eoi_recorded_by)}`],
    ["Priority", c.priority ? "Yes, flagged by the line manager" : "No"],
    ["Mentor", c.mentor_name || "—"],
  ];
  if (c.matching_request_recorded_by) rows.push(["Matching request", `submitted${byAdmin(c.matching_request_recorded_by)}`]);
  if (p) {
    rows.push(
      ["Partnership", words(p.status)],
      ["Signed by", signatures(p)],
      ["Started on", p.started_on || "—"],
      ["Sessions recorded", String(p.sessions)],
      ["Extension request", p.extension_pending ? `pending since ${when(p.extension_requested_at)}` : "none pending"],
    );
    if (p.ended_at) rows.push(["Ended", `${when(p.ended_at)} (${words(p.end_reason)})`]);
    if (p.status === "ended") rows.push(["Feedback", p.feedback_requested ? `requested; ${p.feedback_received} of 2 received` : "not requested"]);
  }
  return h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

export async function render(caseId) {
  const c = await api.case(caseId);
  const [p, mentors, events, programme] = await Promise.all([
    c.partnership_id ? api.partnership(c.partnership_id) : null,
    ["awaiting_match", "awaiting_matching_request"].includes(c.stage) ? api.mentors(c.programme_id) : [],
    api.caseTimeline(caseId),
    api.programme(c.programme_id),
  ]);
  const actions = [...caseActions(c, mentors, programme), ...partnershipActions(c, p), ...undoActions(c)];
  return h("div", {},
    h("p", {}, h("a", { href: "#/board" }, "Back to the pipeline board")),
    h("h1", {}, `Case: ${c.mentee_name || c.mentee_id}`),
    h("p", { class: "muted" }, `Case id ${shortId(c.case_id)}…`),
    facts(c, p),
    h("h2", { id: "next-steps" }, "Next steps"),
    actions.length
      ? h("div", { class: "actions", role: "group", "aria-labelledby": "next-steps" }, actions)
      : h("p", {}, waitingFor(c, p)),
    h("h2", {}, "Timeline"),
    timeline(events));
}

function waitingFor(c, p) {
  if (c.stage === "awaiting_line_manager") return "Waiting for the line manager to approve or decline the expression of interest.";
  if (p && p.status === "ended" && p.feedback_requested) return "Feedback has been requested; nothing else to do.";
  return "Nothing for an administrator to do at this stage.";
}
