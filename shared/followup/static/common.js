// Helpers both pages load before their own script: DOM building with textContent, API calls, dates in a zone,
// field errors. A classic script, so its top-level names are the page's globals; the pages' modules use these:
/* exported STEP_LABELS, el, formatDate, callApi, timelineItem, inTimeOrder, humanMessage, clearErrors, showErrors,
   newKey */
"use strict";
const STEP_LABELS = {
  thank_you_note: "Thank-you card to your interviewer",
  check_in: "Check in: say you are still interested",
  decision_thank_you: "Thank-you card after the decision",
};
const STATUS_LABELS = {
  planned: "Planned: starts once you confirm", scheduled: "Scheduled", sent: "Sent", done: "Done", cancelled: "Cancelled",
  skipped: "Skipped: its moment had passed", failed: "Could not be sent",
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function formatDate(iso, zone) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(undefined, {dateStyle: "full", timeStyle: "short", timeZone: zone}).format(moment);
  } catch (err) {
    return moment.toLocaleString();
  }
}

async function callApi(method, path, {token, body, headers} = {}) {
  const sent = Object.assign({"Accept": "application/json"}, headers || {});
  if (token) sent["Authorization"] = "Bearer " + token;
  if (body !== undefined) sent["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body),
                                  credentials: "omit", cache: "no-store"});
  } catch (err) {
    return {status: 0, data: {message: "The service could not be reached. Check your connection and try again."}};
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try { data = JSON.parse(text); } catch (err) { data = {message: "Unexpected answer from the service."}; }
  }
  return {status: response.status, data};
}

function timelineItem(followUp, zone, extra) {
  const label = STEP_LABELS[followUp.step] || followUp.step;
  const headingId = "step-" + followUp.step;
  const item = el("li", {"data-step": followUp.step, "data-status": followUp.status},
    el("h3", {id: headingId, text: label}),
    el("time", {datetime: followUp.due_at, text: formatDate(followUp.due_at, zone)}),
    el("span", {class: "status status-" + followUp.status, text: STATUS_LABELS[followUp.status] || followUp.status}));
  if (extra) item.append(extra);
  return item;
}

function inTimeOrder(followUps) {
  return [...followUps].sort((a, b) => new Date(a.due_at) - new Date(b.due_at));
}

// Field errors: the API names fields by path ("candidate.email"); each form control declares the path it
// answers for in data-field, and its error paragraph is <p class="field-error" data-error-for=path>.
// "candidate.phone" is its input; "channels.0" falls back to "channels"; "supervisor" to "supervisor.name".
function controlFor(form, path) {
  const find = (candidate) => form.querySelector('[data-field="' + CSS.escape(candidate) + '"]');
  let parts = String(path || "").split(".");
  while (parts.length) {
    const candidate = parts.join(".");
    const control = find(candidate) || find(candidate + ".name");
    if (control) return {path: control.getAttribute("data-field"), control};
    parts = parts.slice(0, -1);
  }
  return null;
}

function humanMessage(label, message) {
  let text = String(message || "is invalid").replace(/^Value error, /, "");
  if (text === "Field required" || /^String should have at least 1 character/.test(text)) {
    return (label || "This") + " is required.";
  }
  if (/^(is|must|should|may) /.test(text) && label) text = label + " " + text;
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(text) ? text : text + ".";
}

function summaryText(label, text) {
  return !label || text.startsWith(label) ? text : label + ": " + text;
}

function clearErrors(form, summary) {
  for (const p of form.querySelectorAll(".field-error")) { p.textContent = ""; p.hidden = true; }
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  if (summary) { summary.hidden = true; summary.querySelector("ul").replaceChildren(); }
}

// Shows each error next to its field (or, for a field the form has not, in the summary only) and lists all
// of them in the summary, which takes the focus; returns how many were placed next to a field.
function showErrors(form, summary, data) {
  const errors = (data && Array.isArray(data.errors)) ? data.errors : [];
  const list = summary.querySelector("ul");
  list.replaceChildren();
  let placed = 0;
  for (const error of errors) {
    const found = controlFor(form, error.field);
    const label = found ? found.control.getAttribute("data-name") : null;
    const text = humanMessage(label, error.message);
    if (found) {
      const p = form.querySelector('[data-error-for="' + CSS.escape(found.path) + '"]');
      if (p) { p.textContent = p.textContent ? p.textContent + " " + text : text; p.hidden = false; }
      found.control.setAttribute("aria-invalid", "true");
      const target = found.control.matches("fieldset") ? found.control.querySelector("input") : found.control;
      const link = el("a", {href: "#" + (target ? target.id : ""), text: summaryText(label, text)});
      link.addEventListener("click", (event) => { event.preventDefault(); if (target) target.focus(); });
      list.append(el("li", {}, link));
      placed += 1;
    } else {
      list.append(el("li", {text: humanMessage(error.field, error.message)}));
    }
  }
  if (!errors.length) list.append(el("li", {text: (data && data.message) || "Something went wrong. Please try again."}));
  summary.hidden = false;
  summary.focus();
  return placed;
}

function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
