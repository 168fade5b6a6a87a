// The auditor's filter forms: each a GET-like form whose values go into the page's address
// (so a filtered page can be bookmarked, and Back returns to the previous filters).

import { field, h, uid } from "./dom.js";
import { q } from "./audit-api.js";

// The filters named in `names`, read from the address's query.
export function readQuery(query, names) {
  const params = new URLSearchParams(query || "");
  return Object.fromEntries(names.map((n) => [n, params.get(n) || ""]));
}

export function pageNumber(value) {
  return /^\d{1,16}$/.test(value || "") ? Number(value) : undefined;
}

// A form of labelled controls: `controls` are [label, control, hint?]; submitting goes to `base` + the values.
// `go` turns the values into the address to go to (by default: `base` and the values as its query).
export function filterForm(title, base, controls, { submit = "Apply the filters", clear = "Clear the filters", go } = {}) {
  const id = uid("filters");
  const form = h("form", {
    class: "filters",
    onsubmit: (event) => {
      event.preventDefault();
      const values = Object.fromEntries(controls.map(([, c]) => [c.name, c.value.trim()]));
      location.hash = go ? go(values) : `${base}${q(values)}`;
    },
  },
  controls.map(([label, control, hint]) => h("div", { class: "row" }, field(label, control, hint))),
  h("p", {}, h("button", { type: "submit", class: "primary" }, submit), " ", h("a", { href: base }, clear)));
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), form);
}

export function input(name, value, attrs = {}) {
  return h("input", { type: "text", name, value, autocomplete: "off", maxlength: 200, ...attrs });
}

export function select(name, value, options) {
  return h("select", { name }, options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
}

// Links to the pages beside this one; each keeps the filters.
export function pager(label, links) {
  const shown = links.filter(([, href]) => href);
  if (!shown.length) return null;
  return h("nav", { class: "pager", "aria-label": label },
    h("ul", {}, shown.map(([text, href]) => h("li", {}, h("a", { href }, text)))));
}
