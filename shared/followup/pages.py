"""The two HTML pages the API serves: the web form (``GET /``) and the candidate's page (``GET /manage/{id}``).

Plain, accessible HTML with no framework and no external asset: labels and fieldsets, errors next to
the fields the API refused (and a summary that links to them), live regions for what changes. A small
inline script calls the JSON API with ``fetch``; it builds the DOM with ``textContent`` only, so what a
user typed is never parsed as HTML. The only server-side values, the firm's name and the interview id,
are escaped here. The manage token stays in the URL the candidate was given and is sent as
``Authorization: Bearer``; ``Referrer-Policy: no-referrer`` keeps it from leaking to other sites.
"""

from __future__ import annotations

import html

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

_STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #4a4a4f; --line: #c9c9cf; --accent: #0b57d0;
  --error: #b3261e; --ok: #146c2e; --bg: #ffffff; --panel: #f4f5f7; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); background: var(--bg); }
header { border-bottom: 1px solid var(--line); background: var(--panel); }
header p { margin: 0 auto; max-width: 42rem; padding: .75rem 1rem; font-weight: 600; }
main { max-width: 42rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 1rem 0 .5rem; }
h2 { font-size: 1.3rem; margin: 1.75rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 0; }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .25rem .5rem; z-index: 1; }
.lead { color: var(--muted); }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1.25rem; padding: .75rem 1rem 0; }
legend { font-weight: 700; padding: 0 .25rem; }
.field { margin: 0 0 1rem; }
.field > label, .label { display: block; font-weight: 600; margin-bottom: .2rem; }
.hint { display: block; color: var(--muted); font-size: .9rem; margin: 0 0 .3rem; }
.optional { font-weight: 400; color: var(--muted); }
input[type=text], input[type=email], input[type=tel], input[type=number], input[type=datetime-local], select {
  font: inherit; width: 100%; max-width: 28rem; padding: .45rem .55rem; border: 1px solid #767680;
  border-radius: 4px; background: #fff; color: var(--ink); }
input[type=number] { max-width: 7rem; }
.check { display: flex; gap: .5rem; align-items: flex-start; margin: 0 0 .6rem; }
.check input { width: 1.2rem; height: 1.2rem; margin: .15rem 0 0; flex: none; }
.check label { font-weight: 400; }
.sub { margin-left: 1.7rem; }
:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
[aria-invalid=true] { border-color: var(--error) !important; border-width: 2px !important; }
.field-error { color: var(--error); font-weight: 600; margin: .1rem 0 .3rem; }
.field-error::before { content: "\\26A0\\FE0E  "; }
.summary { border: 3px solid var(--error); border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
.summary h2 { margin: .25rem 0; color: var(--error); font-size: 1.1rem; }
.summary ul { margin: .25rem 0 .5rem; padding-left: 1.25rem; }
.notice { border-left: 5px solid var(--accent); background: var(--panel); padding: .6rem 1rem; margin: 1rem 0; }
.notice.ok { border-color: var(--ok); }
.notice.bad { border-color: var(--error); }
button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: 6px; cursor: pointer;
  border: 2px solid var(--accent); background: var(--accent); color: #fff; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--error); border-color: var(--error); color: #fff; }
button.small { padding: .25rem .7rem; font-size: .9rem; }
button[disabled] { opacity: .6; cursor: progress; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: 1rem 0; }
.timeline { list-style: none; padding: 0; margin: .5rem 0 1rem; border-left: 3px solid var(--line); }
.timeline li { position: relative; padding: .1rem 0 1rem 1.1rem; }
.timeline li::before { content: ""; position: absolute; left: -.55rem; top: .35rem; width: .8rem; height: .8rem;
  border-radius: 50%; background: #fff; border: 3px solid var(--accent); }
.timeline li[data-status=sent]::before, .timeline li[data-status=done]::before { border-color: var(--ok);
  background: var(--ok); }
.timeline li[data-status=cancelled]::before, .timeline li[data-status=skipped]::before { border-color: #8a8a92; }
.timeline li[data-status=failed]::before { border-color: var(--error); }
.timeline time { display: block; }
.status { display: inline-block; font-size: .85rem; font-weight: 700; padding: 0 .45rem; border-radius: 3px;
  background: #e3e6ea; color: var(--ink); }
.status-scheduled { background: #dbe7fb; color: #0a3d8f; }
.status-sent, .status-done { background: #d6eedc; color: #0c4d20; }
.status-failed { background: #f9dedc; color: #8c1d18; }
.step-actions { margin-top: .3rem; }
.manage-link { word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
"""

# Helpers both pages use: DOM building with textContent, API calls, dates in a zone, field errors.
_COMMON_SCRIPT = """
"use strict";
const STEP_LABELS = {
  thank_you_note: "Thank-you card to your interviewer",
  check_in: "Check in: say you are still interested",
  decision_thank_you: "Thank-you card after the decision",
};
const STATUS_LABELS = {
  scheduled: "Scheduled", sent: "Sent", done: "Done", cancelled: "Cancelled",
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
"""

_FORM_SCRIPT = """
const form = document.getElementById("interview-form");
const summary = document.getElementById("summary");
const statusLine = document.getElementById("form-status");
const result = document.getElementById("result");
const zoneSelect = document.getElementById("candidate-time_zone");
const consentBox = document.getElementById("sms_consent");
const submitButton = document.getElementById("submit");
let idempotencyKey = newKey();
let hereZone = zoneSelect.dataset.default || "UTC";
try { hereZone = Intl.DateTimeFormat().resolvedOptions().timeZone || hereZone; } catch (err) { /* keep the default */ }

(function fillZones() {
  let zones = [];
  try { zones = Intl.supportedValuesOf("timeZone"); } catch (err) { zones = []; }
  const all = Array.from(new Set([...zones, hereZone, "UTC"])).sort();
  zoneSelect.replaceChildren(...all.map((zone) => el("option", {value: zone, text: zone.replaceAll("_", " ")})));
  zoneSelect.value = hereZone;
})();

function value(id) { return document.getElementById(id).value.trim(); }

// Empty answers are left out, so the API names them as required.
function payload() {
  const optional = (target, key, id) => { if (value(id)) target[key] = value(id); };
  const candidate = {time_zone: zoneSelect.value};
  optional(candidate, "name", "candidate-name");
  optional(candidate, "email", "candidate-email");
  optional(candidate, "phone", "candidate-phone");
  const interviewer = {};
  optional(interviewer, "name", "interviewer-name");
  optional(interviewer, "title", "interviewer-title");
  const channels = [...form.querySelectorAll('input[name="channels"]:checked')].map((box) => box.value);
  const body = {candidate, channels, sms_consent: consentBox.checked, interviewer};
  optional(body, "company", "company");
  optional(body, "role", "role");
  optional(body, "interview_at", "interview_at");
  const days = value("expected_decision_days");
  if (days) body.expected_decision_days = /^[0-9]+$/.test(days) ? Number(days) : days;
  return body;
}

// SMS goes only with consent: checked here before the API (which refuses it anyway).
function localErrors(body) {
  const errors = [];
  if (body.channels.includes("sms") && !body.sms_consent) {
    errors.push({field: "sms_consent", message: "must be ticked to get text messages"});
  }
  return errors;
}

function showResult(view) {
  const zone = view.candidate.time_zone;
  document.getElementById("result-intro").textContent =
    "We will remind " + (view.candidate.name) + " of each follow-up for the " + view.role + " interview at " +
    view.company + ", in the time zone " + zone + ":";
  document.getElementById("timeline").replaceChildren(...inTimeOrder(view.follow_ups).map((f) => timelineItem(f, zone)));
  const link = document.getElementById("manage-link");
  if (/^https?:/.test(view.manage_url)) { link.href = view.manage_url; }
  link.textContent = view.manage_url;
  form.hidden = true;
  result.hidden = false;
  document.getElementById("result-title").focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form, summary);
  const body = payload();
  const local = localErrors(body);
  if (local.length) { showErrors(form, summary, {errors: local}); return; }
  submitButton.disabled = true;
  form.setAttribute("aria-busy", "true");
  statusLine.textContent = "Sending...";
  const answer = await callApi("POST", "/interviews", {body, headers: {"Idempotency-Key": idempotencyKey}});
  submitButton.disabled = false;
  form.removeAttribute("aria-busy");
  statusLine.textContent = "";
  if (answer.status === 201) { showResult(answer.data); return; }
  showErrors(form, summary, answer.data);
});

document.getElementById("again").addEventListener("click", () => {
  idempotencyKey = newKey();
  form.reset();
  zoneSelect.value = hereZone;
  clearErrors(form, summary);
  result.hidden = true;
  form.hidden = false;
  document.getElementById("candidate-name").focus();
});
"""

_MANAGE_SCRIPT = """
const main = document.getElementById("main");
const interviewId = main.getAttribute("data-interview-id");
const token = new URLSearchParams(window.location.search).get("token") || "";
const pagePath = "/interviews/" + encodeURIComponent(interviewId);
const notice = document.getElementById("notice");
const content = document.getElementById("content");
const decisionForm = document.getElementById("decision-form");
const decisionSummary = document.getElementById("decision-summary");
const supervisorRow = document.getElementById("supervisor-row");

function say(text, kind) {
  notice.className = "notice" + (kind ? " " + kind : "");
  notice.textContent = text;
  notice.hidden = !text;
}

function failed(answer, where) {
  if (answer.status === 404) {
    content.hidden = true;
    say("This link does not work: the interview was erased, or the link is incomplete.", "bad");
    return;
  }
  const text = (answer.data && answer.data.message) || "Something went wrong. Please try again.";
  where.textContent = humanMessage(null, text);
}

function render(view) {
  const zone = view.candidate.time_zone;
  document.getElementById("title").textContent = view.role + " at " + view.company;
  const facts = document.getElementById("facts");
  const interviewer = view.interviewer.title ? view.interviewer.name + ", " + view.interviewer.title : view.interviewer.name;
  facts.replaceChildren(
    el("dt", {text: "Interview"}), el("dd", {}, el("time", {datetime: view.interview_at,
                                                             text: formatDate(view.interview_at, zone)})),
    el("dt", {text: "Interviewer"}), el("dd", {text: interviewer}),
    el("dt", {text: "Time zone"}), el("dd", {text: zone}),
    el("dt", {text: "Reminders by"}), el("dd", {text: view.channels.map((c) => c === "sms" ? "text message" : c)
                                                                    .join(" and ")}));
  const state = {active: "Your follow-ups are running.",
                 decided: "Decision recorded: " + (view.decision && view.decision.outcome === "offer" ?
                          "an offer. Congratulations!" : "not selected this time."),
                 cancelled: "Cancelled: no more messages will be sent."}[view.status] || view.status;
  document.getElementById("state").textContent = state;

  const items = inTimeOrder(view.follow_ups).map((f) => {
    let actions = null;
    if (["scheduled", "sent", "failed"].includes(f.status) && view.status !== "cancelled") {
      // The visible text starts the accessible name, which says which step it is.
      const button = el("button", {type: "button", class: "secondary small", "data-done": f.step,
                                   "aria-label": "Mark done: " + (STEP_LABELS[f.step] || f.step)}, "Mark done");
      button.addEventListener("click", () => markDone(f.step, button));
      actions = el("div", {class: "step-actions"}, button);
    }
    return timelineItem(f, zone, actions);
  });
  document.getElementById("timeline").replaceChildren(...items);

  const decisionSection = document.getElementById("decision");
  const decided = document.getElementById("decided");
  if (view.decision) {
    const d = view.decision;
    const names = d.supervisor ? d.hiring_manager.name + " (hiring manager) and " + d.supervisor.name + " (supervisor)"
                               : d.hiring_manager.name;
    decided.textContent = (d.outcome === "offer" ? "Offer. " : "Not selected. ") + "Thank-you cards go to " + names + ".";
    decided.hidden = false;
  } else {
    decided.hidden = true;
  }
  decisionForm.hidden = view.status !== "active";
  decisionSection.hidden = view.status !== "active" && !view.decision;
  const manager = document.getElementById("hiring_manager-name");
  if (!manager.value) manager.value = view.interviewer.name;
  content.hidden = false;
}

async function load() {
  if (!token) {
    say("This page needs the private link from your confirmation or from one of our messages " +
        "(it ends with ?token=...).", "bad");
    return;
  }
  const answer = await callApi("GET", pagePath, {token});
  if (answer.status === 200) { render(answer.data); return; }
  if (answer.status === 404) { failed(answer, notice); return; }
  say(humanMessage(null, (answer.data && answer.data.message) || "Something went wrong. Please reload."), "bad");
}

async function markDone(step, button) {
  const where = document.getElementById("timeline-status");
  button.disabled = true;
  const answer = await callApi("POST", pagePath + "/follow-ups/" + encodeURIComponent(step) + "/done", {token});
  button.disabled = false;
  if (answer.status === 200) {
    render(answer.data);
    where.textContent = (STEP_LABELS[step] || step) + ": marked done.";
    return;
  }
  failed(answer, where);
}

function outcome() {
  const chosen = decisionForm.querySelector('input[name="outcome"]:checked');
  return chosen ? chosen.value : null;
}

function syncSupervisor() { supervisorRow.hidden = outcome() !== "offer"; }
for (const radio of decisionForm.querySelectorAll('input[name="outcome"]')) radio.addEventListener("change", syncSupervisor);
syncSupervisor();

decisionForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(decisionForm, decisionSummary);
  const body = {outcome: outcome()};
  const manager = document.getElementById("hiring_manager-name").value.trim();
  if (manager) body.hiring_manager = {name: manager};
  const supervisor = document.getElementById("supervisor-name").value.trim();
  if (body.outcome === "offer" && supervisor) body.supervisor = {name: supervisor};
  if (body.outcome === null) {
    showErrors(decisionForm, decisionSummary, {errors: [{field: "outcome", message: "Choose what they decided."}]});
    return;
  }
  const button = document.getElementById("decide");
  button.disabled = true;
  const answer = await callApi("POST", pagePath + "/decision", {token, body});
  button.disabled = false;
  if (answer.status === 200) {
    render(answer.data);
    document.getElementById("timeline-status").textContent =
      "Decision recorded: your thank-you card reminder is scheduled.";
    document.getElementById("timeline-heading").focus();
    return;
  }
  if (answer.status === 404) { failed(answer, notice); return; }
  showErrors(decisionForm, decisionSummary, answer.data);
});

const confirmBox = document.getElementById("confirm");
document.getElementById("erase").addEventListener("click", () => {
  confirmBox.hidden = false;
  document.getElementById("erase-no").focus();
});
document.getElementById("erase-no").addEventListener("click", () => {
  confirmBox.hidden = true;
  document.getElementById("erase").focus();
});
document.getElementById("erase-yes").addEventListener("click", async () => {
  const where = document.getElementById("erase-status");
  const answer = await callApi("DELETE", pagePath, {token});
  if (answer.status === 204) {
    content.hidden = true;
    say("Cancelled and erased: nothing more will be sent, and your details are gone.", "ok");
    notice.focus();
    return;
  }
  failed(answer, where);
});

load();
"""


def _document(title: str, firm_name: str, body: str, script: str) -> str:
    firm = html.escape(firm_name)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(title)} · {firm}</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the content</a>\n'
        f'<header><p class="firm">{firm}</p></header>\n'
        f"{body}\n"
        f"<script>{_COMMON_SCRIPT}{script}</script>\n"
        "</body>\n</html>\n"
    )


def _field(path: str, label: str, control: str, *, hint: str = "", optional: bool = False) -> str:
    """One labelled control with its hint and its (hidden until needed) error, tied by aria-describedby."""
    ident = path.replace(".", "-")
    described = " ".join(x for x in (f"{ident}-hint" if hint else "", f"{ident}-error") if x)
    control = control.replace("{attrs}", f'id="{ident}" name="{path}" data-field="{path}" '
                                         f'data-name="{html.escape(label)}" aria-describedby="{described}"')
    hint_html = f'<span class="hint" id="{ident}-hint">{hint}</span>' if hint else ""
    extra = ' <span class="optional">(optional)</span>' if optional else ""
    return (
        f'<div class="field">\n<label for="{ident}">{html.escape(label)}{extra}</label>\n{hint_html}\n'
        f'<p class="field-error" id="{ident}-error" data-error-for="{path}" hidden></p>\n{control}\n</div>'
    )


def form_page(firm_name: str, default_time_zone: str = "UTC") -> str:
    """The web form at ``/``: submit an interview, see its follow-up timeline and the manage link.

    The time zone is preselected from the browser; ``default_time_zone`` when the browser tells none.
    """
    fields_you = "\n".join((
        _field("candidate.name", "Your name", '<input type="text" {attrs} autocomplete="name" required>'),
        _field("candidate.email", "Email", '<input type="email" {attrs} autocomplete="email" spellcheck="false">',
               hint="Needed for reminders by email."),
        _field("candidate.phone", "Mobile phone", '<input type="tel" {attrs} autocomplete="tel" '
               'placeholder="+14155550123">',
               hint="International format with the country code, such as +14155550123. Needed for text messages."),
        _field("candidate.time_zone", "Your time zone",
               f'<select {{attrs}} required data-default="{html.escape(default_time_zone)}"></select>',
               hint="Reminders arrive in the morning of this time zone; it is preselected from your device."),
    ))
    fields_interview = "\n".join((
        _field("company", "Company", '<input type="text" {attrs} autocomplete="organization" required>'),
        _field("role", "Role", '<input type="text" {attrs} autocomplete="organization-title" required>'),
        _field("interviewer.name", "Interviewer's name", '<input type="text" {attrs} required>'),
        _field("interviewer.title", "Interviewer's job title", '<input type="text" {attrs}>', optional=True),
        _field("interview_at", "Date and time of the interview", '<input type="datetime-local" {attrs} required>',
               hint="In your time zone."),
        _field("expected_decision_days", "Days until they decide",
               '<input type="number" {attrs} inputmode="numeric" min="1" max="60" step="1" value="7">',
               hint="The timeline the interviewer gave you; 7 to 10 days is usual."),
    ))
    body = f"""<main id="main">
<h1>Follow up after your interview</h1>
<p class="lead">Tell us about your interview, and we will remind you of the three follow-ups that leave a good
impression, each with a ready-to-use draft: a handwritten thank-you card, a check-in if the decision is late,
and a thank-you card once they decide.</p>
<noscript><p class="notice bad">This form needs JavaScript to send your answers.</p></noscript>
<div id="summary" class="summary" role="alert" tabindex="-1" hidden>
<h2>Please check these answers</h2>
<ul></ul>
</div>
<form id="interview-form" novalidate>
<fieldset>
<legend>You</legend>
{fields_you}
</fieldset>
<fieldset>
<legend>The interview</legend>
{fields_interview}
</fieldset>
<fieldset id="channels" data-field="channels" data-name="Reminder channels" aria-describedby="channels-error">
<legend>How should we remind you?</legend>
<p class="field-error" id="channels-error" data-error-for="channels" hidden></p>
<div class="check"><input type="checkbox" id="channel-email" name="channels" value="email" checked>
<label for="channel-email">By email</label></div>
<div class="check"><input type="checkbox" id="channel-sms" name="channels" value="sms">
<label for="channel-sms">By text message (SMS)</label></div>
<div class="sub" id="consent-row">
<p class="field-error" id="sms_consent-error" data-error-for="sms_consent" hidden></p>
<div class="check"><input type="checkbox" id="sms_consent" name="sms_consent" data-field="sms_consent"
 data-name="Consent to text messages" aria-describedby="sms_consent-error">
<label for="sms_consent">I agree to receive text messages about this interview. Reply STOP to any of
them to opt out.</label></div>
</div>
</fieldset>
<div class="actions">
<button type="submit" id="submit">Schedule my follow-ups</button>
<p id="form-status" role="status" aria-live="polite"></p>
</div>
</form>
<section id="result" aria-labelledby="result-title" hidden>
<h2 id="result-title" tabindex="-1">Your follow-ups are scheduled</h2>
<p id="result-intro"></p>
<ol id="timeline" class="timeline"></ol>
<div class="notice">
<p><strong>Your private link</strong> to see your follow-ups, record the decision, or cancel everything:</p>
<p><a id="manage-link" class="manage-link" href="#"></a></p>
<p class="hint">Keep it to yourself: anyone with this link can manage your reminders. Each message we send
carries it too.</p>
</div>
<div class="actions"><button type="button" class="secondary" id="again">Submit another interview</button></div>
</section>
</main>"""
    return _document("Follow up after your interview", firm_name, body, _FORM_SCRIPT)


def manage_page(firm_name: str, interview_id: str) -> str:
    """The candidate's page at ``/manage/{id}?token=...``: the script loads the interview with the token."""
    fields_decision = "\n".join((
        _field("hiring_manager.name", "Hiring manager's name", '<input type="text" {attrs}>',
               hint="Who decided; your interviewer unless you change it."),
    ))
    supervisor = _field("supervisor.name", "Your direct supervisor's name", '<input type="text" {attrs}>',
                        hint="Offer only: they get a thank-you card too.")
    body = f"""<main id="main" data-interview-id="{html.escape(interview_id, quote=True)}">
<h1>Your interview follow-ups</h1>
<div id="notice" class="notice" role="alert" tabindex="-1" hidden></div>
<div id="content" hidden>
<h2 id="title"></h2>
<p id="state" role="status" aria-live="polite"></p>
<dl id="facts" class="facts"></dl>

<h2 id="timeline-heading" tabindex="-1">Timeline</h2>
<ol id="timeline" class="timeline"></ol>
<p id="timeline-status" role="status" aria-live="polite"></p>

<section id="decision" aria-labelledby="decision-heading">
<h2 id="decision-heading">The decision</h2>
<p id="decided" hidden></p>
<div id="decision-summary" class="summary" role="alert" tabindex="-1" hidden>
<h2>Please check these answers</h2>
<ul></ul>
</div>
<form id="decision-form" novalidate hidden>
<p class="hint">Once they tell you, record it here: we stop the check-in and remind you to send a thank-you
card the next day.</p>
<fieldset id="outcome" data-field="outcome" data-name="The decision" aria-describedby="outcome-error">
<legend>What did they decide?</legend>
<p class="field-error" id="outcome-error" data-error-for="outcome" hidden></p>
<div class="check"><input type="radio" id="outcome-offer" name="outcome" value="offer">
<label for="outcome-offer">I got an offer</label></div>
<div class="check"><input type="radio" id="outcome-not_selected" name="outcome" value="not_selected">
<label for="outcome-not_selected">I was not selected</label></div>
</fieldset>
{fields_decision}
<div id="supervisor-row">
{supervisor}
</div>
<div class="actions"><button type="submit" id="decide">Record the decision</button></div>
</form>
</section>

<section aria-labelledby="erase-heading">
<h2 id="erase-heading">Cancel and erase</h2>
<p>Stops every reminder and erases your details for good.</p>
<div class="actions"><button type="button" class="secondary" id="erase">Cancel and erase...</button></div>
<div id="confirm" class="notice bad" hidden>
<p><strong>Erase everything?</strong> No more reminders will be sent and this page will stop working.
This cannot be undone.</p>
<div class="actions">
<button type="button" class="danger" id="erase-yes">Yes, cancel and erase</button>
<button type="button" class="secondary" id="erase-no">No, keep my follow-ups</button>
</div>
</div>
<p id="erase-status" role="status" aria-live="polite"></p>
</section>
</div>
</main>"""
    return _document("Your interview follow-ups", firm_name, body, _MANAGE_SCRIPT)


def unsubscribed_page(firm_name: str, company: str, role: str) -> str:
    """What a person who opened the unsubscribe link in a browser sees: it worked, and what it stopped."""
    body = (
        '<main id="main">\n<h1>You are unsubscribed</h1>\n'
        f"<p>You will get no more reminders about your {html.escape(role)} interview at "
        f"{html.escape(company)}. Every follow-up that was still scheduled is cancelled.</p>\n"
        "<p>Good luck with what comes next.</p>\n</main>"
    )
    return _document("Unsubscribed", firm_name, body, "")
