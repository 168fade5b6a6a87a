// The statistics floor: no published statistic describes fewer people than this, whatever a
// programme's own small-group threshold says.

import { field, h } from "../dom.js";
import { api } from "../endpoints.js";
import { when } from "../format.js";
import { act } from "../ui.js";

let lastSet = null; // { floor, at }: what was set from this page

export async function render() {
  const input = h("input", { type: "number", name: "floor", min: 5, max: 100, step: 1, required: true, value: lastSet?.floor ?? 5 });
  const button = h("button", { type: "submit", class: "primary" }, "Set the floor");
  const form = h("form", {
    onsubmit: (event) => {
      event.preventDefault();
      const floor = Number(input.value);
      act(button, `Statistics floor set to ${floor}.`, async () => {
        const answer = await api.setStatisticsFloor(floor);
        lastSet = { floor, at: new Date().toISOString() };
        return answer;
      });
    },
  }, field("Floor", input, "A whole number from 5 to 100."), h("p", {}, button));
  return h("div", {},
    h("h1", {}, "Statistics floor"),
    h("p", {}, "No QA statistic is published for a group smaller than this, in any programme. ",
      "A programme's own small-group threshold applies where it is higher."),
    h("p", {}, lastSet ? `Set from this page to ${lastSet.floor} at ${when(lastSet.at)}.` : "The API does not report the floor in force; setting it records the new one."),
    form);
}
