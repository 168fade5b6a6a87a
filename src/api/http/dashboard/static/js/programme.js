// Which programme the dashboard shows: remembered for the tab, chosen from the API's list.

import { h, field } from "./dom.js";
import { api } from "./endpoints.js";

const KEY = "trellis.programme";

export async function currentProgramme() {
  const programmes = await api.programmes();
  const list = programmes;
  const remembered = sessionStorage.getItem(KEY);
  const chosen = list.find((p) => String(p.programme_id) === remembered) || list[0] || null;
  return { list, chosen, id: chosen ? String(chosen.programme_id) : null };
}

// A programme picker, shown only when there is more than one to choose from.
export function picker({ list, id }, onChange) {
  if (list.length < 2) return null;
  const select = h("select", {
    onchange: (event) => {
      sessionStorage.setItem(KEY, event.currentTarget.value);
      onChange();
    },
  }, list.map((p) => {
    const value = String(p.programme_id);
    return h("option", { value, selected: value === id }, p.name || value);
  }));
  return h("div", { class: "row" }, field("Programme", select));
}
