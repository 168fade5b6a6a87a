// Sign in: paste a bearer token, or (in development) pick one of the demo roles.

import { h, field } from "../dom.js";
import { api } from "../endpoints.js";
import { words } from "../format.js";
import { home, signIn } from "../session.js";
import { clearMessages, showProblem } from "../ui.js";

async function demoTokens() {
  try {
    return await api.demoSignIn();
  } catch {
    return null; // not in development mode: only a pasted token signs in
  }
}

async function tryToken(value, control) {
  clearMessages();
  signIn(value);
  control.disabled = true;
  try {
    await api.me();
    location.hash = home();
  } catch (error) {
    showProblem(error);
  } finally {
    control.disabled = false;
  }
}

function demoSection(tokens) {
  const entries = tokens || [];
  if (!entries.length) return null;
  return h("section", { "aria-labelledby": "demo-heading" },
    h("h2", { id: "demo-heading" }, "Demo roles (development only)"),
    h("p", {}, "This server runs the demo programme. Sign in as one of its people:"),
    h("ul", { class: "demo-roles" }, entries.map((entry) => h("li", {},
      h("button", {
        type: "button",
        onclick: (event) => tryToken(entry.token, event.currentTarget),
      }, `${words(entry.role)}: ${entry.person_id}`)))));
}

export async function render() {
  const input = h("textarea", { class: "token", name: "token", required: true, autocomplete: "off", spellcheck: "false" });
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h("form", {
    onsubmit: (event) => {
      event.preventDefault();
      if (!input.value.trim()) {
        showProblem(new Error("Paste a token first."));
        return;
      }
      tryToken(input.value, submit);
    },
  },
  field("Bearer token", input, "Paste the token your identity provider issued, or one printed by `trellis token` or `trellis demo`."),
  h("p", {}, submit));
  return h("div", {},
    h("h1", {}, "Sign in"),
    form,
    demoSection(await demoTokens()));
}
