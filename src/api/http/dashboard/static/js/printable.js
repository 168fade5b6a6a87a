// A page the API serves as HTML (the subject-access export), shown in a window of its own.
// It is fetched with the bearer token, so it is drawn into a blank window opened on the click.
// That window keeps the dashboard's content-security policy, which refuses inline <style>:
// the page's own styles are applied through the CSSOM instead, which the policy allows.

export function openBlankWindow() {
  const tab = window.open("", "_blank"); // on the click itself, so no pop-up blocker stops it
  if (tab) tab.opener = null;
  return tab;
}

export function drawInto(tab, html) {
  const page = new DOMParser().parseFromString(html, "text/html"); // parsed inert: nothing runs
  const styles = [...page.querySelectorAll("style")].map((style) => {
    style.remove();
    return style.textContent;
  });
  for (const script of page.querySelectorAll("script")) script.remove();
  const doc = tab.document;
  doc.replaceChild(doc.importNode(page.documentElement, true), doc.documentElement);
  if (styles.length) {
    const sheet = new tab.CSSStyleSheet();
    sheet.replaceSync(styles.join("\n"));
    doc.adoptedStyleSheets = [sheet];
  }
}
