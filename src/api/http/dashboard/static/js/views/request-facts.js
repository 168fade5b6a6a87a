// A data subject's request in words: its state, its statutory clock and its outcome.

import { h } from "../dom.js";
import { daysBetween, plural, today, when, words } from "../format.js";

const STATES = { received: "Open", completed: "Completed", refused: "Refused" };

export const LAWFUL_BASES = {
  freedom_of_expression: "Freedom of expression and information",
  legal_obligation: "A legal obligation, or a task in the public interest",
  public_health: "Public health",
  archiving_or_research: "Archiving, research or statistics in the public interest",
  legal_claims: "Legal claims (establishing, exercising or defending them)",
};

export function stateOf(r) {
  return STATES[r.state] || words(r.state);
}

// Overdue is said in words (the tag's colour and sign only repeat it).
export function deadline(r) {
  if (r.state !== "received") {
    const late = r.closed_at && r.closed_at.slice(0, 10) > r.due_on;
    return late ? h("span", { class: "tag warn" }, `Closed late, ${when(r.closed_at)}`) : `Closed in time, ${when(r.closed_at)}`;
  }
  if (r.overdue) {
    const late = daysBetween(r.due_on, today());
    return h("span", { class: "tag warn" }, late > 0 ? `Overdue by ${plural(late, "day")}` : "Overdue");
  }
  const left = daysBetween(today(), r.due_on);
  return left <= 0 ? "Due today" : `${plural(left, "day")} left`;
}

// Counts only, as the API records them (the ones that are not zero); or the lawful basis of a refusal.
export function outcomeOf(r) {
  const outcome = r.outcome || {};
  if (r.state === "refused") return `Refused on a lawful basis: ${LAWFUL_BASES[outcome.lawful_basis] || words(outcome.lawful_basis)}`;
  const counts = Object.entries(outcome).filter(([, n]) => n); // what was done, not every zero
  if (!counts.length) return r.state === "completed" ? "Nothing to do" : "—";
  return counts.map(([name, n]) => `${words(name).toLowerCase()}: ${n}`).join("; ");
}

export function personId(id) {
  return h("code", { class: "id" }, id || "(unknown)");
}

// Who acted, from the opaque ids the API shows: "you" when it was the signed-in person.
export function who(personIdValue, me) {
  if (!personIdValue) return "someone since erased";
  return personIdValue === me?.id ? `you (${personIdValue})` : personIdValue;
}
