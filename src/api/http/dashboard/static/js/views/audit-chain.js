// Whether the history is the history that was written: the last verification of the hash
// chain (who ran it, when, the verdict), a new one run on request, and the latest signed
// checkpoints, each saved as a file to keep outside Trellis.

import { h, table } from "../dom.js";
import { audit } from "../audit-api.js";
import { download } from "../csv.js";
import { when, words } from "../format.js";
import { act, actInPlace } from "../ui.js";

function verdict(v) {
  if (!v) return h("p", { dataset: { verdict: "none" } }, "The history has not been verified yet.");
  const rows = [
    ["Verdict", v.ok ? "The history verifies: no event was changed, removed, reordered or inserted."
      : `Broken at position ${v.position}: ${words(v.problem).toLowerCase()}.`],
    ["Verified", `${when(v.verified_at)} by ${v.verified_by} (${words(v.role).toLowerCase()})`],
    ["Events checked", String(v.verified)],
    ["Up to position", String(v.head)],
    ["Checkpoints held against", String(v.checkpoints)],
  ];
  if (v.detail) rows.push(["Detail", v.detail]);
  return h("dl", { class: "facts", dataset: { verdict: v.ok ? "ok" : "broken" } },
    rows.map(([k, value]) => [h("dt", {}, k), h("dd", {}, value)]));
}

function saveButton(c) {
  return h("button", {
    type: "button",
    onclick: (event) => actInPlace(event.currentTarget, `Checkpoint at position ${c.position} saved.`, async () =>
      download(`trellis-checkpoint-${c.position}.json`, `${JSON.stringify(c, null, 2)}\n`, "application/json")),
  }, "Save", h("span", { class: "visually-hidden" }, ` the checkpoint at position ${c.position}`));
}

export async function render() {
  const [last, checkpoints] = await Promise.all([audit.lastVerification(), audit.checkpoints(20)]);
  const verify = h("button", {
    type: "button", class: "primary",
    onclick: (event) => act(event.currentTarget, (v) => (v.ok ? "Verified: the history is intact." : `Verified: the history is broken at position ${v.position}.`),
      () => audit.verify()),
  }, "Verify the history now");
  return h("div", {},
    h("h1", {}, "Chain verification"),
    h("p", {}, "Every stored event is linked into a hash chain over its stored bytes; a verification recomputes "
      + "every link and holds the chain against the latest signed checkpoint."),
    h("h2", {}, "The last verification"),
    verdict(last),
    h("p", {}, verify),
    h("h2", {}, "The latest checkpoints"),
    h("p", { class: "hint" }, "Keep saved checkpoints outside Trellis; check the history against one with "
      + "trellis audit verify --checkpoint FILE."),
    table("The latest checkpoints, newest first", [
      { label: "Position", cell: (c) => String(c.position), num: true },
      { label: "Signed", cell: (c) => when(c.taken_at) },
      { label: "Key id", cell: (c) => c.key_id },
      { label: "Link", cell: (c) => h("code", {}, `${c.link.slice(0, 16)}…`) },
      { label: "Save", cell: saveButton },
    ], checkpoints, { empty: "No checkpoint has been signed yet.", hideCaption: true }));
}
