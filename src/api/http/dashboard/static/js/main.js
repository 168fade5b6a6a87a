// The page shell: a hash router, the navigation, sign-in state and the message areas.

import { actingRole, area, claims, home, signOut, token } from "./session.js";
import { words } from "./format.js";
import { clearMessages, onChange, showProblem } from "./ui.js";
import * as auditAccessLog from "./views/audit-access-log.js";
import * as auditBoard from "./views/audit-board.js";
import * as auditChain from "./views/audit-chain.js";
import * as auditHistory from "./views/audit-history.js";
import * as auditObject from "./views/audit-object.js";
import * as board from "./views/board.js";
import * as casePage from "./views/case.js";
import * as consents from "./views/consents.js";
import * as erasure from "./views/erasure.js";
import * as floor from "./views/floor.js";
import * as holds from "./views/holds.js";
import * as mentors from "./views/mentors.js";
import * as requests from "./views/requests.js";
import * as retention from "./views/retention.js";
import * as signin from "./views/signin.js";
import * as stats from "./views/stats.js";

const ROUTES = [
  { pattern: /^#\/board$/, view: board, section: "board" },
  { pattern: /^#\/cases\/([\w-]+)$/, view: casePage, section: "board" },
  { pattern: /^#\/mentors$/, view: mentors, section: "mentors" },
  { pattern: /^#\/stats$/, view: stats, section: "stats" },
  // the data-protection officer's: the API refuses them to every other role
  { pattern: /^#\/requests$/, view: requests, section: "requests" },
  { pattern: /^#\/requests\/erasure\/([\w-]+)$/, view: erasure, section: "requests" },
  { pattern: /^#\/holds(?:\?(.*))?$/, view: holds, section: "holds" },
  { pattern: /^#\/retention$/, view: retention, section: "retention" },
  { pattern: /^#\/consents$/, view: consents, section: "consents" },
  { pattern: /^#\/floor$/, view: floor, section: "floor" },
  // the auditor's: the API refuses them to every other role (the access log: to all but the DPO, whose pages link to it too)
  { pattern: /^#\/audit\/history(?:\?(.*))?$/, view: auditHistory, section: "history" },
  { pattern: /^#\/audit\/objects(?:\/(case|partnership|mentor|programme)\/([\w-]+))?(?:\?(.*))?$/, view: auditObject, section: "objects" },
  { pattern: /^#\/audit\/board(?:\?(.*))?$/, view: auditBoard, section: "past-board" },
  { pattern: /^#\/audit\/chain$/, view: auditChain, section: "chain" },
  { pattern: /^#\/audit\/access-log(?:\?(.*))?$/, view: auditAccessLog, section: "access-log" },
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
  // each role sees its own area's links only: the DPO's pages, or the programme's
  for (const item of document.querySelectorAll("#nav li[data-area]")) item.hidden = item.dataset.area !== area();
  document.querySelector(".brand a").setAttribute("href", home());
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.section === section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

let rendering = 0;
export async function render({ focus = false } = {}) {
  const ticket = ++rendering;
  const asked = token() ? location.hash || home() : "#/signin";
  const hash = ROUTES.some((r) => r.pattern.test(asked)) ? asked : home();
  const route = ROUTES.find((r) => r.pattern.test(hash));
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
