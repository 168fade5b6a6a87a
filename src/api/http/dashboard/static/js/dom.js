// Small helpers that build elements from data: text is always set as text, never as HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function fill(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

let counter = 0;
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

// A labelled form control: the label names it, an optional hint describes it.
export function field(labelText, control, hintText) {
  control.id = control.id || uid("field");
  const label = h("label", { for: control.id }, labelText);
  if (!hintText) return [label, control];
  const hint = h("span", { class: "hint", id: uid("hint") }, hintText);
  control.setAttribute("aria-describedby", hint.id);
  label.append(hint);
  return [label, control];
}

// A table with a caption (hidden when a heading already names it) and row headers.
export function table(caption, columns, rows, { empty = "Nothing to show.", hideCaption = false } = {}) {
  if (!rows.length) return h("p", { class: "muted" }, hideCaption ? empty : `${caption}: ${empty}`);
  return h("table", {},
    h("caption", { class: hideCaption ? "visually-hidden" : null }, caption),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.label)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map((c, i) => {
      const value = c.cell(row);
      return i === 0 ? h("th", { scope: "row" }, value) : h("td", { class: c.num ? "num" : null }, value);
    })))));
}
