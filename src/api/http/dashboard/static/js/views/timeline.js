// A history from the event log: what happened, when, who recorded it and for whom, with what
// the API shows of each event — never content. A step an administrator recorded for the person
// who takes it (an EOI, a matching request, a signature, a mentor's capacity) says so.

import { h } from "../dom.js";
import { when, words } from "../format.js";

const EVENT_WORDS = {
  EOISubmitted: "Expression of interest submitted",
  LineManagerApproved: "Line manager approved",
  LineManagerDeclined: "Line manager declined",
  MatchingRequestSubmitted: "Matching request submitted",
  ExploratoryConversationHeld: "Exploratory conversation held",
  MatchProposed: "Match proposed",
  DiscoveryCallHeld: "Discovery call held",
  MatchConfirmed: "Match confirmed",
  RematchRequested: "Rematch requested",
  Withdrawn: "Withdrawn",
  CaseClosed: "Case closed",
  PartnershipFormed: "Partnership formed",
  AgreementSigned: "Agreement signed",
  PartnershipStarted: "Partnership started",
  SessionHeld: "Session held",
  ProgressReviewed: "Progress reviewed",
  ExtensionRequested: "Extension requested",
  ExtensionGranted: "Extension granted",
  ExtensionDeclined: "Extension declined",
  PartnershipEnded: "Partnership ended",
  FeedbackRequested: "Feedback requested",
  FeedbackSubmitted: "Feedback submitted",
};

function label(entry) {
  const type = String(entry.event_type).split(".").pop();
  return EVENT_WORDS[type] || words(type);
}

function ordinal(n) {
  return ["first", "second", "third", "fourth", "fifth"][n - 1] || `choice ${n}`;
}

// What the API shows of an event, as words; nothing for an event that shows nothing.
function summary(d) {
  const parts = [];
  if (d.party) parts.push(`by the ${d.party}`);
  if (d.mentor_id !== undefined && d.mentor_id !== null) parts.push(d.mentor_name || `mentor ${String(d.mentor_id).slice(0, 8)}`);
  if (d.preference_rank) parts.push(`the mentee's ${ordinal(d.preference_rank)} choice`);
  else if (d.from_preferences === false) parts.push("not among the mentee's choices");
  if (d.priority) parts.push("as a priority");
  if (d.preferences) parts.push(`${d.preferences} preferred mentor${d.preferences === 1 ? "" : "s"}`);
  if (d.held_on) parts.push(`on ${d.held_on}`);
  if (d.minutes) parts.push(`${d.minutes} minutes`);
  if (d.medium) parts.push(words(d.medium).toLowerCase());
  if (d.outcome) parts.push(`outcome: ${words(d.outcome).toLowerCase()}`);
  if (d.months) parts.push(`${d.months} month${d.months === 1 ? "" : "s"}`);
  if (d.reason) parts.push(words(d.reason).toLowerCase());
  if (d.capacity) parts.push(`capacity ${d.capacity}`);
  if (d.started_on) parts.push(`from ${d.started_on}`);
  return parts.join(", ");
}

// Fields the event has that are never shown, grouped by why.
function withheld(w) {
  const why = new Map();
  for (const [name, reason] of Object.entries(w || {})) why.set(reason, [...(why.get(reason) || []), words(name).toLowerCase()]);
  return [...why].map(([reason, names]) => `${names.join(" and ")}: ${reason}`).join("; ");
}

export function recordedBy(entry) {
  if (entry.recorded_by_administrator) return "recorded by an administrator on their behalf";
  return entry.actor_role ? `by the ${words(entry.actor_role).toLowerCase()}` : "";
}

export function timeline(events) {
  const entries = events.slice().sort((a, b) => a.position - b.position);
  if (!entries.length) return h("p", { class: "muted" }, "No events to show.");
  return h("ol", { class: "timeline", "aria-label": "Timeline, oldest first" }, entries.map((e) => {
    const said = summary(e.details || {});
    const notShown = withheld(e.withheld);
    const who = recordedBy(e);
    return h("li", {},
      h("strong", {}, label(e)),
      said ? ` — ${said}` : "",
      " ",
      h("span", { class: "when" }, `${when(e.recorded_at)}${who ? ` · ${who}` : ""}`),
      notShown ? h("span", { class: "hint" }, `Not shown: ${notShown}`) : "");
  }));
}
