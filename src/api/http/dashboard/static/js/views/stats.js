// QA statistics: anonymous aggregates with small groups suppressed; charts and CSV export.

import { field, h, table } from "../dom.js";
import { barChart } from "../charts.js";
import { download, toCsv } from "../csv.js";
import { api } from "../endpoints.js";
import { words } from "../format.js";
import { currentProgramme, picker } from "../programme.js";
import { refresh } from "../ui.js";

const PERIOD_KEY = "trellis.quarter";
const QUARTER = /^\d{4}-Q[1-4]$/;
const TOTALS = ["eois", "eois_needing_approval", "cases_proposed", "discovery_calls", "matches_confirmed", "partnerships_started", "partnerships_ended", "feedback_responses"];
const RATES = ["approval_rate", "withdrawal_rate", "discovery_call_to_agreement_rate", "rematch_rate", "extension_rate", "completion_rate"];
const ENDINGS = ["ended_completed", "ended_withdrawn", "ended_rematched", "ended_not_extended", "ended_other"];
const RATINGS = ["rating_1", "rating_2", "rating_3", "rating_4", "rating_5"];

function shown(cell) {
  if (cell.suppressed) return "suppressed (small group)";
  if (cell.value === null || cell.value === undefined) return "no data";
  return cell.name.endsWith("_rate") ? `${Math.round(cell.value * 1000) / 10}%` : String(cell.value);
}

function bars(cells, names, { percent = false } = {}) {
  return names.map((name) => cells.get(name)).filter(Boolean).map((c) => ({
    label: words(c.name.replace(/^ended_/, "").replace(/^rating_/, "rating ")),
    value: c.suppressed || c.value === null ? null : percent ? Math.round(c.value * 1000) / 10 : c.value,
  }));
}

function chartOrNote(title, data, options) {
  const visible = data.filter((b) => b.value !== null);
  const hidden = data.length - visible.length;
  return h("div", {},
    visible.length ? barChart(title, visible, options) : h("p", {}, h("strong", {}, title), ": every figure is suppressed or empty."),
    hidden && visible.length ? h("p", { class: "muted" }, `${hidden} figure(s) suppressed because the group is smaller than the threshold.`) : null);
}

// Statistics are published per calendar quarter only: quarters never overlap, so no figure
// can be worked out by subtracting one period from another.
function quarterOf(day) {
  return `${day.getUTCFullYear()}-Q${Math.floor(day.getUTCMonth() / 3) + 1}`;
}

function recentQuarters(count) {
  const now = new Date();
  const back = (n) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3 * n, 1));
  return Array.from({ length: count }, (_, n) => quarterOf(back(n)));
}

function chosenQuarter() {
  const stored = sessionStorage.getItem(PERIOD_KEY);
  return stored && QUARTER.test(stored) ? stored : quarterOf(new Date());
}

function quarterForm(quarter) {
  const list = h("datalist", { id: "recent-quarters" }, recentQuarters(12).map((q) => h("option", { value: q })));
  const input = h("input", {
    type: "text", name: "quarter", value: quarter, pattern: "\\d{4}-Q[1-4]", required: true, size: 9,
    list: "recent-quarters", placeholder: "2026-Q3",
  });
  return h("form", {
    class: "row",
    onsubmit: (event) => {
      event.preventDefault();
      sessionStorage.setItem(PERIOD_KEY, input.value.trim());
      refresh();
    },
  }, field("Quarter", input, "A calendar quarter, such as 2026-Q3. Statistics are published per quarter only."),
  list, h("button", { type: "submit" }, "Show"));
}

export async function render() {
  const programme = await currentProgramme();
  const quarter = chosenQuarter();
  if (!programme.id) return h("div", {}, h("h1", {}, "QA statistics"), h("p", {}, "There is no programme yet."));
  const stats = await api.statistics(programme.id, quarter);
  const cells = new Map(stats.cells.map((c) => [c.name, c]));
  const exportButton = h("button", {
    type: "button",
    onclick: () => download(`trellis-statistics-${quarter}.csv`, toCsv(
      ["statistic", "value", "suppressed"],
      stats.cells.map((c) => [c.name, c.suppressed ? "" : c.value ?? "", c.suppressed ? "yes" : "no"]))),
  }, "Export as CSV");
  return h("div", {},
    h("h1", {}, "QA statistics"),
    picker(programme, refresh),
    quarterForm(quarter),
    h("p", {}, `Anonymous aggregates for the cases whose expression of interest fell in ${quarter}. `,
      "Statistics are published per calendar quarter only, so that no figure can be worked out ",
      "by subtracting one period from another. ",
      `Any group smaller than ${stats.threshold} is suppressed, with the figures that would reveal it.`),
    h("p", {}, exportButton),
    h("h2", {}, "Charts"),
    chartOrNote("The pipeline: how many cases reached each step", bars(cells, TOTALS)),
    chartOrNote("Rates (%)", bars(cells, RATES, { percent: true }), { unit: "%" }),
    chartOrNote("How partnerships ended", bars(cells, ENDINGS)),
    chartOrNote("Feedback ratings (1 to 5)", bars(cells, RATINGS)),
    h("h2", {}, "All figures"),
    table("QA statistics", [
      { label: "Statistic", cell: (c) => words(c.name) },
      { label: "Value", num: true, cell: (c) => shown(c) },
    ], stats.cells, { hideCaption: true }));
}
