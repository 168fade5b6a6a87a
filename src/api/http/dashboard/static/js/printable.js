// A page the API serves as HTML (the subject-access export), shown in a window of its own.
// It is fetched with the bearer token, so it is drawn into a blank window opened on the click.
// That window keeps the dashboard's content-security policy, which refuses inline <style>:
// the page's own styles are applied as a constructed style sheet instead, which it allows.

export function openBlankWindow() {
  const tab = window.open("", "_blank"); // on the click itself, so no pop-up blocker stops it
  if (tab) tab.opener = null;
  return tab;
}

// <style> is raw text up to its end tag, and the server escapes every "<" in what it fills in,
// so the styles are lifted out before parsing (parsing them would be refused as inline style).
export function drawInto(tab, html) {
  const styles = [];
  const rest = html.replace(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi, (_, css) => {
    styles.push(css);
    return "";
  });
  const page = new DOMParser().parseFromString(rest, "text/html"); // parsed inert: nothing runs
  for (const script of page.querySelectorAll("script")) script.remove();
  const doc = tab.document;
  doc.replaceChild(doc.importNode(page.documentElement, true), doc.documentElement);
  if (styles.length) {
    const sheet = new tab.CSSStyleSheet();
    sheet.replaceSync(styles.join("\n"));
    doc.adoptedStyleSheets = [sheet];
  }
}
