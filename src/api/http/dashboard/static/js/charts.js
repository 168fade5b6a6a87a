// Simple inline-SVG charts. Every bar carries its value as text, so no colour is needed.

import { h, svg, uid } from "./dom.js";

export function barChart(title, bars, { unit = "" } = {}) {
  const shown = bars.filter((b) => b.value !== null && b.value !== undefined);
  const longest = Math.max(...shown.map((b) => String(b.label).length), 4);
  const labelWidth = Math.min(330, 7 * longest + 16), barSpace = 330, valueWidth = 70, rowHeight = 26, top = 8;
  const width = labelWidth + barSpace + valueWidth;
  const height = top * 2 + Math.max(1, shown.length) * rowHeight;
  const max = Math.max(1, ...shown.map((b) => Number(b.value) || 0));
  const titleId = uid("chart-title");
  const descId = uid("chart-desc");
  const description = shown.map((b) => `${b.label}: ${b.text ?? b.value}${unit}`).join("; ") || "no data";
  const chart = svg("svg", {
    class: "chart", role: "img", viewBox: `0 0 ${width} ${height}`, width, height,
    "aria-labelledby": `${titleId} ${descId}`,
  },
  svg("title", { id: titleId }, title),
  svg("desc", { id: descId }, description),
  svg("line", { class: "axis", x1: labelWidth, x2: labelWidth, y1: top / 2, y2: height - top / 2 }),
  shown.map((b, i) => {
    const y = top + i * rowHeight;
    const length = Math.round((Number(b.value) / max) * (barSpace - 10));
    return svg("g", {},
      svg("text", { x: labelWidth - 8, y: y + 17, "text-anchor": "end" }, b.label),
      svg("rect", { class: "bar", x: labelWidth, y: y + 4, width: Math.max(length, 1), height: rowHeight - 8 }),
      svg("text", { x: labelWidth + Math.max(length, 1) + 6, y: y + 17 }, `${b.text ?? b.value}${unit}`));
  }));
  return h("figure", {}, h("figcaption", {}, h("strong", {}, title)), chart);
}
