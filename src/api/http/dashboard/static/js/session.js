// The signed-in person: a bearer token kept for this browser tab only.

const KEY = "trellis.token";

export function token() {
  return sessionStorage.getItem(KEY);
}

export function signIn(value) {
  sessionStorage.setItem(KEY, value.trim());
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

// What the token says about its holder, for display only: the server verifies every request.
export function claims() {
  const value = token();
  if (!value) return null;
  try {
    const part = value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "="));
    return JSON.parse(json);
  } catch {
    return null;
  }
}

// The role the dashboard acts in: administrator when the token grants it, else the first.
export function actingRole() {
  const roles = claims()?.roles || [];
  return roles.includes("administrator") ? "administrator" : roles[0] || null;
}

// Where each role's pages are: the data-protection officer's and the auditor's apart from the programme's.
const AREAS = { dpo: "data-protection", auditor: "audit" };
const HOMES = { "data-protection": "#/requests", audit: "#/audit/history", programme: "#/board" };

export function area() {
  return AREAS[actingRole()] || "programme";
}

export function home() {
  return HOMES[area()];
}
