// The message areas and the one way an action runs: problems are shown, successes announced.

import { Problem } from "./http.js";
import { signOut } from "./session.js";

const problemBox = document.getElementById("problem");
const statusBox = document.getElementById("status");

export function showProblem(error) {
  const message = error instanceof Problem || error instanceof Error ? error.message : String(error);
  problemBox.replaceChildren(message);
  if (error instanceof Problem && error.errors.length) {
    const list = document.createElement("ul");
    for (const item of error.errors) {
      const li = document.createElement("li");
      const where = Array.isArray(item.loc) ? item.loc.filter((p) => p !== "body").join(".") : item.field || item.pointer || "";
      li.textContent = where ? `${where}: ${item.msg || item.detail || item.message || ""}` : item.msg || item.detail || JSON.stringify(item);
      list.append(li);
    }
    problemBox.append(list);
  }
  problemBox.hidden = false;
  problemBox.focus();
  if (error instanceof Problem && error.status === 401) {
    signOut();
    if (location.hash !== "#/signin") {
      history.replaceState(null, "", "#/signin"); // no hashchange: the message stays
      rerender();
    }
  }
}

export function clearMessages() {
  problemBox.hidden = true;
  problemBox.replaceChildren();
  statusBox.textContent = "";
}

export function announce(message) {
  statusBox.textContent = message;
}

// Runs an action from a button or form: disables the control, shows a problem or a confirmation.
// `label` is the words announced, or a function making them from what the work returned.
export async function act(control, label, work) {
  const done = await actInPlace(control, label, work);
  if (done) await rerender({ focus: true }); // keyboard users land on the page's heading, the news announced
  return done;
}

// The same, for an action that changes nothing on the page (a download, a window opened).
export async function actInPlace(control, label, work) {
  clearMessages();
  control.disabled = true;
  try {
    const result = await work();
    announce(typeof label === "function" ? label(result) : label);
    return true;
  } catch (error) {
    showProblem(error);
    return false;
  } finally {
    control.disabled = false;
  }
}

let rerender = async () => {};

// The shell registers how to redraw the page after an action succeeds.
export function onChange(callback) {
  rerender = callback;
}

export function refresh() {
  return rerender();
}
