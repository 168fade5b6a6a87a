// A step that cannot be undone, taken in two: the first button asks, the second does it.

import { h, uid } from "./dom.js";
import { act } from "./ui.js";

// `start` names the step; `question` says what it will do; `yes` carries it out and
// `done` (words, or a function of the answer) is announced once it has.
export function confirmStep({ start, question, yes, done, work }) {
  const questionId = uid("confirm");
  const ask = h("button", { type: "button", class: "danger" }, start);
  const prompt = h("p", { id: questionId, class: "confirm-question", tabindex: "-1" }, question);
  const doIt = h("button", { type: "button", class: "danger" }, yes);
  const cancel = h("button", { type: "button" }, "Cancel");
  const box = h("div", { class: "confirm", role: "group", "aria-labelledby": questionId, hidden: true },
    prompt, h("p", { class: "row" }, doIt, cancel));
  const show = (asking) => {
    box.hidden = !asking;
    ask.hidden = asking;
    (asking ? prompt : ask).focus();
  };
  ask.addEventListener("click", () => show(true));
  cancel.addEventListener("click", () => show(false));
  doIt.addEventListener("click", () => act(doIt, done, work));
  return h("div", { class: "confirm-step" }, h("p", {}, ask), box);
}
