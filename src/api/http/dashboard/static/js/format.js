// Words for values: stages, actions, ages and dates, always as text.

const WORDS = {
  awaiting_line_manager: "Awaiting line manager",
  awaiting_matching_request: "Awaiting matching request",
  awaiting_match: "Awaiting a match",
  match_proposed: "Match proposed",
  discovery_call_held: "Discovery call held",
  matched: "Matched (partnership formed)",
  awaiting_signatures: "Awaiting signatures",
  active: "Active partnership",
  ended: "Ended",
  closed: "Closed",
  declined: "Declined",
  withdrawn: "Withdrawn",
  partnership_ended: "Partnership ended",
  completed: "Completed",
  rematched: "Rematched",
  not_extended: "Not extended",
  other: "Other",
  in_pool: "In the pool",
  interested: "Interested",
  trained: "Trained",
  paused: "Paused",
  left: "Left the pool",
  dpo: "Data-protection officer",
};

export function words(value) {
  if (value === null || value === undefined || value === "") return "—";
  const text = String(value);
  const plain = text.replace(/_/g, " ").replace(/\beoi(s?)\b/g, "EOI$1");
  return WORDS[text] || plain.replace(/^./, (c) => c.toUpperCase());
}

export function ageInDays(value) {
  if (value === null || value === undefined) return "—";
  const days = Math.floor(Number(value));
  if (days <= 0) return "today";
  return days === 1 ? "1 day" : `${days} days`;
}

export function when(timestamp) {
  if (!timestamp) return "—";
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return String(timestamp);
  return d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

export function today() {
  return new Date().toISOString().slice(0, 10);
}

export function shortId(id) {
  return String(id || "").slice(0, 8);
}

// Whole days from one ISO date (YYYY-MM-DD) to another.
export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
