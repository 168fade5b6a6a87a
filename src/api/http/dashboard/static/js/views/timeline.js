// A case's history from the event log: what happened, when and in which role — never content.

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

export function timeline(events) {
  const entries = events.slice().sort((a, b) => a.position - b.position);
  if (!entries.length) return h("p", { class: "muted" }, "No events to show.");
  return h("ol", { class: "timeline", "aria-label": "Timeline, oldest first" }, entries.map((e) =>
    h("li", {},
      h("strong", {}, label(e)),
      " ",
      h("span", { class: "when" }, `${when(e.recorded_at)}${e.actor_role ? ` · by the ${words(e.actor_role).toLowerCase()}` : ""}`))));
}
