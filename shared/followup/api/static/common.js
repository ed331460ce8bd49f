// Helpers both pages load before their own script: DOM building with textContent, API calls, dates in a zone,
// field errors. A classic script, so its top-level names are the page's globals; the pages' modules use these:
/* exported el, formatDate, callApi, humanMessage, clearErrors, showErrors, newKey */
"use strict";
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

// A moment in the candidate's zone, in the page's language (the candidate's locale when known).
const FULL_DATE = {dateStyle: "full", timeStyle: "short"};
function formatDate(iso, zone, options, locale) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale || undefined, Object.assign({timeZone: zone}, options || FULL_DATE))
      .format(moment);
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
  return {status: response.status, data, retryAfter: Number(response.headers.get("Retry-After")) || 0};
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

// What the API's validators say, in the words a candidate uses (the field's label goes in front).
const PLAIN_WORDS = [
  [/^(Field required|String should have at least 1 character)/, () => "is required"],
  [/^Input should be less than or equal to (\d+)/, (m) => "must be " + m[1] + " or less"],
  [/^Input should be greater than or equal to (\d+)/, (m) => "must be " + m[1] + " or more"],
  [/^Input should be a valid (integer|number)/, () => "must be a whole number"],
  [/^String should have at most (\d+) characters?/, (m) => "is too long: " + m[1] + " characters at most"],
  [/valid email address/i, () => "must be an email address such as name@example.com"],
  [/E\.164|valid phone number/i,
   () => "must be a mobile number we can text"],
  [/^is required when channels include email/, () => "is needed for reminders by email"],
  [/^is required when channels include sms/, () => "is needed for text messages"],
  [/^must be true when channels include sms/, () => "must be ticked to get text messages"],
  [/IANA time zone/, () => "must be a time zone from the list"],
  [/^List should have at least 1 item/, () => "needs at least one way to remind you"],
  [/^(Input should be a valid datetime|must be a date and time in ISO 8601)/, () => "must be a date and a time"],
];

function humanMessage(label, message) {
  let text = String(message || "is invalid").replace(/^Value error, /, "");
  for (const [pattern, words] of PLAIN_WORDS) {
    const match = pattern.exec(text);
    if (match) { text = words(match); break; }
  }
  if (/^(is|must|should|may|needs|can't) /.test(text) && label) text = label + " " + text;
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
