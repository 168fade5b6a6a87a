// The mentor capacity table: places, proposals held, partnerships confirmed, places free.

import { h, table } from "../dom.js";
import { api } from "../endpoints.js";
import { words } from "../format.js";
import { currentProgramme, picker } from "../programme.js";
import { refresh } from "../ui.js";

// A step an administrator recorded for the mentor (their status or capacity) says so.
function byAdmin(recordedBy) {
  if (!recordedBy) return "";
  return recordedBy === "administrator" ? " — recorded by an administrator" : ` — recorded by the ${words(recordedBy).toLowerCase()}`;
}

export async function render() {
  const programme = await currentProgramme();
  const mentors = programme.id ? await api.mentors(programme.id) : [];
  const columns = [
    { label: "Mentor", cell: (m) => m.name || "(erased)" },
    { label: "Status", cell: (m) => `${words(m.status)}${byAdmin(m.status_recorded_by)}` },
    { label: "Capacity", num: true, cell: (m) => `${m.capacity}${byAdmin(m.capacity_recorded_by)}` },
    { label: "Confirmed", num: true, cell: (m) => String(m.confirmed) },
    { label: "Proposals held", num: true, cell: (m) => String(m.held) },
    { label: "Free places", num: true, cell: (m) => (m.free > 0 ? String(m.free) : h("span", { class: "tag warn" }, "0 (full)")) },
  ];
  const totals = mentors.reduce((t, m) => ({
    capacity: t.capacity + m.capacity, used: t.used + m.confirmed + m.held, free: t.free + m.free,
  }), { capacity: 0, used: 0, free: 0 });
  return h("div", {},
    h("h1", {}, "Mentor capacity"),
    picker(programme, refresh),
    h("p", {}, `${mentors.length} mentors; ${totals.capacity} places, ${totals.used} in use, ${totals.free} free.`),
    table("Mentors and their capacity", columns, mentors, { empty: "no mentors yet." }));
}
