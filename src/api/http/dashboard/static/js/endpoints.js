// Every JSON API path the dashboard uses, in one place.

import { get, getPage, post, request } from "./http.js";

const q = (params) => {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const text = search.toString();
  return text ? `?${text}` : "";
};

export const api = {
  me: () => get("/me"),
  demoSignIn: () => get("/dev/demo-sign-in"),
  programmes: () => get("/programmes"),
  programme: (programmeId) => get(`/programmes/${programmeId}`),
  pipeline: (programmeId) => get(`/programmes/${programmeId}/pipeline`),
  cases: (programmeId, stage) => get(`/cases${q({ programme_id: programmeId, stage })}`),
  casesPage: (programmeId, after) => getPage(`/cases${q({ programme_id: programmeId, after })}`),
  case: (caseId) => get(`/cases/${caseId}`),
  caseTimeline: (caseId) => get(`/cases/${caseId}/timeline`),
  partnership: (partnershipId) => get(`/partnerships/${partnershipId}`),
  mentors: (programmeId) => get(`/mentors/capacity${q({ programme_id: programmeId })}`),
  statistics: (programmeId, period) => get(`/statistics${q({ programme_id: programmeId, period })}`),

  submitMatchingRequest: (caseId, preferences, goals) => post(`/cases/${caseId}/matching-request`, { preferences, goals }),
  proposeMatch: (caseId, mentorId, reasons) => post(`/cases/${caseId}/match-proposal`, { mentor_id: mentorId, reasons }),
  recordDiscoveryCall: (caseId, heldOn) => post(`/cases/${caseId}/discovery-call`, { held_on: heldOn }),
  confirmMatch: (caseId) => post(`/cases/${caseId}/confirm-match`),
  requestRematch: (caseId, reason) => post(`/cases/${caseId}/rematch`, { reason }),
  withdraw: (caseId, reason) => post(`/cases/${caseId}/withdraw`, { reason }),
  sign: (partnershipId, party) => post(`/partnerships/${partnershipId}/signatures`, { party }),
  grantExtension: (partnershipId) => post(`/partnerships/${partnershipId}/extension-grant`),
  declineExtension: (partnershipId) => post(`/partnerships/${partnershipId}/extension-decline`),
  end: (partnershipId, reason) => post(`/partnerships/${partnershipId}/end`, { reason }),
  requestFeedback: (partnershipId) => post(`/partnerships/${partnershipId}/feedback-request`),

  // the data-protection officer's
  erasureRequests: () => get("/retention/erasure-requests"),
  recordErasureRequest: (subject, receivedOn) => post("/retention/erasure-requests", { ...subject, received_on: receivedOn }),
  erasurePreview: (requestId) => get(`/retention/erasure-requests/${requestId}/preview`),
  erase: (requestId) => post(`/retention/erasure-requests/${requestId}/execute`),
  refuseErasure: (requestId, lawfulBasis) => post(`/retention/erasure-requests/${requestId}/refuse`, { lawful_basis: lawfulBasis }),
  accessRequests: () => get("/retention/subject-access-requests"),
  recordAccessRequest: (subject, receivedOn) => post("/retention/subject-access-requests", { ...subject, received_on: receivedOn }),
  accessExport: (requestId) => get(`/retention/subject-access-requests/${requestId}/export`),
  accessExportPage: (requestId) => request("GET", `/retention/subject-access-requests/${requestId}/export.html`, undefined, { accept: "text/html" }),
  completeAccessRequest: (requestId) => post(`/retention/subject-access-requests/${requestId}/complete`),
  legalHolds: () => get("/retention/legal-holds"),
  placeHold: (target, targetId, reason) => post("/retention/legal-holds", { target, target_id: targetId, reason }),
  liftHold: (holdId) => post(`/retention/legal-holds/${holdId}/lift`),
  retentionPreview: () => get("/retention/schedule"),
  runRetention: () => post("/retention/schedule/run"),
  consents: (personId) => get(`/retention/consents${q({ person_id: personId })}`),
  setStatisticsFloor: (floor) => post("/retention/statistics-floor", { floor }),
};
