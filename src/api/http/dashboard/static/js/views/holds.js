// Legal holds: who placed each and when, whether it stands; place one, lift one. While a hold
// stands, erasure refuses what it covers and retention skips it.

import { field, h, table } from "../dom.js";
import { api } from "../endpoints.js";
import { when, words } from "../format.js";
import { act } from "../ui.js";
import { personId, who } from "./request-facts.js";

const TARGETS = {
  person: "A person (their opaque id, p-…)",
  case: "A case (its id)",
  partnership: "A partnership (its id)",
  programme: "A programme (its id)",
};

function standing(x, me) {
  if (x.active) return h("span", { class: "tag warn" }, "Stands");
  return `Lifted ${when(x.lifted_at)} by ${who(x.lifted_by, me)}`;
}

function liftButton(x) {
  if (!x.active) return "—";
  return h("button", {
    type: "button",
    onclick: (event) => act(event.currentTarget, "Legal hold lifted.", () => api.liftHold(x.hold_id)),
  }, "Lift", h("span", { class: "visually-hidden" }, ` the hold on ${x.target} ${x.target_id}`));
}

function holdTable(holds, me) {
  return table("Legal holds", [
    { label: "On", cell: (x) => [`${words(x.target)} `, personId(x.target_id)] },
    { label: "Reason", cell: (x) => x.reason || "(unreadable: its author was erased)" },
    { label: "Placed", cell: (x) => `${when(x.placed_at)} by ${who(x.placed_by, me)}` },
    { label: "Standing", cell: (x) => standing(x, me) },
    { label: "Lift", cell: liftButton },
  ], holds, { empty: "No legal hold has been placed.", hideCaption: true });
}

function placeForm(params) {
  const button = h("button", { type: "submit", class: "primary" }, "Place the hold");
  const target = h("select", { name: "target", required: true },
    Object.entries(TARGETS).map(([value, text]) => h("option", { value, selected: value === params.get("target") }, text)));
  const targetId = h("input", { type: "text", name: "target_id", required: true, maxlength: 200, size: 40, autocomplete: "off", value: params.get("id") || "" });
  const reason = h("input", { type: "text", name: "reason", required: true, maxlength: 200, size: 60, autocomplete: "off" });
  const form = h("form", {
    onsubmit: (event) => {
      event.preventDefault();
      act(button, "Legal hold placed.", () => api.placeHold(target.value, targetId.value.trim(), reason.value.trim()));
    },
  },
  field("Hold on", target),
  field("Id", targetId, "As Trellis shows it: a person's p-… id, or a case's, partnership's or programme's id."),
  field("Reason", reason, "Why, as a reference (a claim or case number) rather than names."),
  h("p", {}, button));
  return h("section", { class: "action", "aria-labelledby": "place-heading" }, h("h2", { id: "place-heading" }, "Place a legal hold"), form);
}

export async function render(query) {
  const [holds, me] = await Promise.all([api.legalHolds(), api.me()]);
  const standingCount = holds.filter((x) => x.active).length;
  return h("div", {},
    h("h1", {}, "Legal holds"),
    h("p", {}, `${standingCount} standing, ${holds.length - standingCount} lifted. `,
      "While a hold stands, nothing it covers can be erased, by request or by retention."),
    holdTable(holds, me),
    placeForm(new URLSearchParams(query || "")));
}
