// The page shell: a hash router, the navigation, sign-in state and the message areas.

import { actingRole, claims, signOut, token } from "./session.js";
import { words } from "./format.js";
import { clearMessages, onChange, showProblem } from "./ui.js";
import * as board from "./views/board.js";
import * as casePage from "./views/case.js";
import * as mentors from "./views/mentors.js";
import * as signin from "./views/signin.js";
import * as stats from "./views/stats.js";

const ROUTES = [
  { pattern: /^#\/board$/, view: board, section: "board" },
  { pattern: /^#\/cases\/([\w-]+)$/, view: casePage, section: "board" },
  { pattern: /^#\/mentors$/, view: mentors, section: "mentors" },
  { pattern: /^#\/stats$/, view: stats, section: "stats" },
  { pattern: /^#\/signin$/, view: signin, section: null },
];

const main = document.getElementById("main");
function updateChrome(section) {
  const signedIn = Boolean(token());
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("who").hidden = !signedIn;
  const who = claims();
  document.getElementById("who-text").textContent = who
    ? `Signed in as ${who.sub}, acting as ${words(actingRole()).toLowerCase()}`
    : "";
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.section === section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

let rendering = 0;
export async function render({ focus = false } = {}) {
  const ticket = ++rendering;
  const hash = token() ? location.hash || "#/board" : "#/signin";
  const route = ROUTES.find((r) => r.pattern.test(hash)) || ROUTES[0];
  const params = hash.match(route.pattern).slice(1);
  updateChrome(route.section);
  main.setAttribute("aria-busy", "true");
  try {
    const content = await route.view.render(...params);
    if (ticket !== rendering) return;
    main.replaceChildren(content);
    const heading = main.querySelector("h1");
    document.title = `${heading ? heading.textContent : "Dashboard"} · Trellis`;
    if (focus && heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  } catch (error) {
    if (ticket !== rendering) return;
    main.replaceChildren();
    showProblem(error);
  } finally {
    main.removeAttribute("aria-busy");
  }
}

document.getElementById("sign-out").addEventListener("click", () => {
  signOut();
  clearMessages();
  location.hash = "#/signin";
});

window.addEventListener("hashchange", () => {
  clearMessages();
  render({ focus: true });
});

onChange((options) => render(options));
render();
