// The firm's page once signed in: the list of interviews (filters, "Load more"), one interview's detail and actions
// (outcome, a step done, cancel), enrolment, CSV import and, for admins, the report. Runs after firm.js.
/* global el, byId, say, showError, formatMoment, words, api, failure, show, toSignIn, currentToken */

const STEP_NAMES = {
  thank_you_note: "Thank-you card", check_in: "Check-in", decision_thank_you: "Card after the decision",
};
const CHANNEL_NAMES = {email: "Email", sms: "Text message"};
// A channel as a step's words name it: "Email delivered ...", "Text failed: ...".
const DELIVERY_NAMES = {email: "Email", sms: "Text"};
const SKIP_REASONS = {
  no_consent: "no consent to text messages", opted_out: "the candidate opted out",
  unverified: "the address is not confirmed", not_confirmed: "the address is not confirmed",
  unconfirmed: "the address is not confirmed", bounced: "the address bounced", suppressed: "the address is blocked",
  complained: "the candidate marked an email as spam",
  stop: "the candidate replied STOP", blocked: "the carrier blocks texts to the number",
  unreachable: "the phone could not be reached",
};
// Why a text did not reach the phone, as SNS's receipt classed it.
const TEXT_FAILURES = {
  blocked: "carrier blocked it", unreachable: "the phone could not be reached", opted_out: "the number opted out of texts",
};
// A text the candidate sent back that is one of the keywords, and what it did.
const REPLY_KEYWORDS = {
  done: "DONE — the step is done", stop: "STOP — texts to this number stopped",
  start: "START — asked for texts again; they stay stopped here", help: "HELP — our number answered with its help text",
};
// A permanent bounce's class (SES's bounceSubType, as a slug): what it says about the address.
const BOUNCE_REASONS = {
  general: "the receiving server refused the address", no_email: "the address does not exist",
  suppressed: "the address is on SES's suppression list",
  on_account_suppression_list: "the address is on the firm's suppression list",
};
const VIEWS = ["list", "detail", "enrol", "import", "report"];

let me = null;
let cursor = null;
let current = null;  // the interview the detail view shows
const recruiters = new Map();

function interviewStatus(view) {
  if (view.status === "decided" && view.decision) {
    return view.decision.outcome === "offer" ? "Decided: offer" : "Decided: not selected";
  }
  return {awaiting_confirmation: "Awaiting confirmation", active: "Active", decided: "Decided",
          cancelled: "Cancelled"}[view.status] || words(view.status);
}

// What became of one channel of a step, as the provider told it: sent, delivered, delayed, bounced, marked as spam,
// a text failed (by its class).
function deliveryWords(channel, delivery, zone, pending) {
  const name = DELIVERY_NAMES[channel] || channel;
  if (pending && delivery.status === "skipped") {  // a channel stopped (bounced, marked as spam, STOP): the step will skip it
    return (channel === "sms" ? "Texts" : name) + " stopped: " +
      (SKIP_REASONS[delivery.reason] || words(delivery.reason) || "no reason given");
  }
  if (delivery.status === "sent") {
    const after = {unconfirmed: " (no receipt came back)", delayed: " (delayed: the receiving server is retrying)"};
    return name + " sent " + formatMoment(delivery.at, zone) + (after[delivery.reason] || "");
  }
  if (delivery.status === "delivered") {
    return name + " delivered " + formatMoment(delivery.delivered_at || delivery.at, zone);
  }
  if (delivery.status === "bounced") {
    return name + " bounced: " + (BOUNCE_REASONS[delivery.reason] || "the address takes no mail") +
      ", so no more emails go to it";
  }
  if (delivery.status === "complained") return "Marked as spam by the candidate: email stopped";
  if (delivery.status === "skipped") return name + " skipped: " + (SKIP_REASONS[delivery.reason] || words(delivery.reason) || "no reason given");
  if (delivery.status === "failed" && delivery.reason === "rejected") return name + " failed: SES refused to send it";
  if (delivery.status === "failed" && channel === "sms") {
    return name + " failed" + (TEXT_FAILURES[delivery.reason] ? ": " + TEXT_FAILURES[delivery.reason] : "");
  }
  if (delivery.status === "failed") return name + " failed" + (delivery.reason ? ": " + words(delivery.reason) : "");
  if (delivery.status === "awaiting_confirmation") return name + " awaiting confirmation";
  if (delivery.status === "sending") return name + " being sent now";
  return name + ": " + words(delivery.status);
}

// A channel the candidate's messages no longer reach, or that SES refused: the step's words stand out.
const TROUBLE = ["bounced", "complained", "failed"];

// A step's state in words: what happened on each channel, or what will.
function stepWords(followUp, view) {
  const zone = view.candidate && view.candidate.time_zone;
  const pending = ["planned", "scheduled"].includes(followUp.status);
  const sent = Object.entries(followUp.deliveries || {}).map(([channel, d]) => deliveryWords(channel, d, zone, pending));
  const when = formatMoment(followUp.due_at, zone);
  const base = {
    planned: view.status === "awaiting_confirmation" ? "Due " + when + " once the candidate confirms" : "Planned for " + when,
    scheduled: "Scheduled for " + when,
    sending: "Being sent now",
    sent: "Sent",
    done: followUp.done_by === "reply" ? "Done — by the candidate's reply" : "Done",
    cancelled: "Cancelled",
    skipped: "Skipped: its moment had passed",
    failed: "Failed: could not be sent",
  }[followUp.status] || words(followUp.status);
  return sent.length ? base + ". " + sent.join("; ") : base;
}

function inTimeOrder(followUps) { return [...(followUps || [])].sort((a, b) => new Date(a.due_at) - new Date(b.due_at)); }

function stepList(view, withActions) {
  return inTimeOrder(view.follow_ups).map((followUp) => {
    const label = STEP_NAMES[followUp.step] || words(followUp.step);
    const trouble = Object.values(followUp.deliveries || {}).some((d) => TROUBLE.includes(d.status));
    const item = el("li", {"data-step": followUp.step, "data-status": followUp.status},
      el("strong", {text: label + ": "}),
      el("span", {class: trouble ? "step-words trouble" : "step-words", text: stepWords(followUp, view)}));
    if (withActions && ["planned", "scheduled", "failed"].includes(followUp.status) && view.status !== "cancelled") {
      const button = el("button", {type: "button", class: "secondary small", text: "Mark done: " + label});
      button.addEventListener("click", () => act("POST", "/follow-ups/" + followUp.step + "/done", undefined, label + " marked done."));
      item.append(" ", button);
    }
    return item;
  });
}

// ---- the list ------------------------------------------------------------------------------------

// The language the candidate's messages and page speak (the view's display.language), in the firm's English.
const LANGUAGE_NAMES = {en: "English", es: "Spanish"};
function languageName(view) {
  const language = view.display && view.display.language;
  return LANGUAGE_NAMES[language] || language || "";
}

function card(view) {
  const zone = view.candidate && view.candidate.time_zone;
  const name = (view.candidate && view.candidate.name) || "(erased)";
  const opener = el("button", {type: "button", class: "link", text: name});
  opener.addEventListener("click", () => openDetail(view.id));
  const who = me && me.is_admin && view.recruiter ? el("span", {class: "by", text: " · by " + view.recruiter.name}) : null;
  return el("li", {class: "card", "data-id": view.id, "data-status": view.status},
    el("h2", {}, opener),
    el("p", {class: "meta", text: view.role + " at " + view.company + " · interview " + formatMoment(view.interview_at, zone) +
      " · " + languageName(view)}),
    el("p", {}, el("span", {class: "status status-" + view.status, text: interviewStatus(view)}), who),
    el("ul", {class: "steps"}, ...stepList(view, false)));
}

function rememberRecruiters(items) {
  const select = byId("filter-recruiter");
  for (const view of items) {
    const r = view.recruiter;
    if (!r || recruiters.has(r.id)) continue;
    recruiters.set(r.id, r.name);
    select.append(el("option", {value: r.id, text: r.name}));
  }
}

function shown(count, more) { return count + (more ? "+" : "") + (count === 1 && !more ? " interview shown." : " interviews shown."); }

async function loadList(more, quiet = false) {
  const query = new URLSearchParams();
  for (const [key, id] of [["status", "filter-status"], ["step", "filter-step"], ["recruiter", "filter-recruiter"]]) {
    if (byId(id).value) query.set(key, byId(id).value);
  }
  if (more && cursor) query.set("cursor", cursor);
  const answer = await api("GET", "/firm/interviews" + (query.toString() ? "?" + query : ""));
  if (answer.status === 401) return;
  if (answer.status !== 200) { say(failure(answer)); return; }
  const items = answer.data.items || [];
  rememberRecruiters(items);
  const list = byId("interviews");
  if (!more) list.replaceChildren();
  list.append(...items.map(card));
  cursor = answer.data.next_cursor || null;
  byId("more").hidden = !cursor;
  byId("list-empty").hidden = list.children.length > 0;
  if (!quiet) say(more ? items.length + " more shown." : shown(list.children.length, Boolean(cursor)));
}

byId("filters").addEventListener("submit", (event) => { event.preventDefault(); loadList(false); });
byId("more").addEventListener("click", () => loadList(true));

// ---- one interview -------------------------------------------------------------------------------

function fact(term, value) { return value ? [el("dt", {text: term}), el("dd", {text: value})] : []; }

function renderDetail(view) {
  current = view;
  const zone = view.candidate.time_zone;
  byId("detail-title").textContent = view.candidate.name + ": " + view.role + " at " + view.company;
  const channels = (view.channels || []).map((c) => (CHANNEL_NAMES[c] || c) +
    ((view.verified_channels || []).includes(c) ? " (confirmed)" : " (not confirmed yet)")).join(", ");
  byId("detail-facts").replaceChildren(
    ...fact("Status", interviewStatus(view)),
    ...fact("Email", view.candidate.email), ...fact("Phone", view.candidate.phone), ...fact("Time zone", zone),
    ...fact("Language", languageName(view)),
    ...fact("Interviewer", view.interviewer.name + (view.interviewer.title ? ", " + view.interviewer.title : "")),
    ...fact("Interview", formatMoment(view.interview_at, zone)), ...fact("Reminders by", channels),
    ...fact("Enrolled by", view.recruiter ? view.recruiter.name : "the candidate (public form)"),
    ...fact("Enrolled on", formatMoment(view.created_at, zone)));
  byId("detail-steps").replaceChildren(...stepList(view, true));
  renderReplies(view);
  const decision = view.decision;
  byId("detail-decision").textContent = decision
    ? (decision.outcome === "offer" ? "Offer" : "Not selected") + ", recorded " + formatMoment(decision.decided_at, zone) +
      ". Hiring manager: " + decision.hiring_manager.name + (decision.supervisor ? "; supervisor: " + decision.supervisor.name : "") + "."
    : "No outcome recorded yet.";
  const closed = view.status === "cancelled";
  byId("decision-form").hidden = closed;
  byId("decision-submit").textContent = decision ? "Correct the outcome" : "Record the outcome";
  if (decision) {
    byId("outcome-" + decision.outcome).checked = true;
    byId("hiring-manager").value = decision.hiring_manager.name;
    byId("supervisor").value = decision.supervisor ? decision.supervisor.name : "";
  } else {
    for (const radio of document.querySelectorAll('input[name="outcome"]')) radio.checked = false;
    byId("hiring-manager").value = view.interviewer.name;
    byId("supervisor").value = "";
  }
  showError("decision-error", "");
  byId("cancel").hidden = closed;
  byId("cancel-confirm").hidden = byId("cancel-keep").hidden = true;
}

// The candidate's texts back, oldest first: when, the step it answered, its keyword or its words as sent (as text,
// never as markup). A public candidate's other texts are not kept: only that one came.
function renderReplies(view) {
  const zone = view.candidate.time_zone;
  const replies = [...(view.replies || [])].sort((a, b) => new Date(a.at) - new Date(b.at));
  byId("detail-replies").replaceChildren(...replies.map((reply) => {
    const label = reply.step ? STEP_NAMES[reply.step] || words(reply.step) : "";
    let what;
    if (reply.keyword) what = el("span", {class: "reply-keyword", text: REPLY_KEYWORDS[reply.keyword] || reply.keyword});
    else if (reply.text !== null && reply.text !== undefined) what = el("q", {class: "reply-text", text: reply.text});
    else what = el("span", {class: "reply-keyword", text: "a text (its words are kept for a recruiter's candidates only)"});
    return el("li", {"data-keyword": reply.keyword || "text"},
      el("time", {datetime: reply.at, text: formatMoment(reply.at, zone)}),
      label ? el("span", {class: "reply-step", text: " · about the " + label.toLowerCase()}) : null, ": ", what);
  }));
  byId("replies-empty").hidden = replies.length > 0;
}

async function openDetail(id) {
  const answer = await api("GET", "/firm/interviews/" + encodeURIComponent(id));
  if (answer.status === 401) return false;
  if (answer.status !== 200) { say(failure(answer)); return false; }
  renderDetail(answer.data);
  open("detail");
  window.history.replaceState(window.history.state, "", "#" + encodeURIComponent(id));  // this interview's address
  return true;
}

// The interview an address names: /firm/#<id>, as the alert to a recruiter links to it.
function interviewInAddress() {
  let id = "";
  try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (err) { id = ""; }
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : "";
}

function leaveInterviewAddress() {
  if (window.location.hash) window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
}

async function act(method, suffix, body, done) {
  const answer = await api(method, "/firm/interviews/" + encodeURIComponent(current.id) + suffix, {body});
  if (answer.status === 401) return false;
  if (answer.status !== 200) { say(failure(answer)); return false; }
  renderDetail(answer.data);
  say(done);
  byId("detail-title").focus();
  return true;
}

byId("back").addEventListener("click", () => { open("list"); loadList(false); });

byId("decision-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const chosen = document.querySelector('input[name="outcome"]:checked');
  const manager = byId("hiring-manager").value.trim();
  if (!chosen || !manager) { showError("decision-error", "Choose the outcome and name the hiring manager."); return; }
  const body = {outcome: chosen.value, hiring_manager: {name: manager}};
  if (byId("supervisor").value.trim()) body.supervisor = {name: byId("supervisor").value.trim()};
  const method = current.decision ? "PUT" : "POST";
  const answer = await api(method, "/firm/interviews/" + encodeURIComponent(current.id) + "/decision", {body});
  if (answer.status === 401) return;
  if (answer.status !== 200) { showError("decision-error", failure(answer)); return; }
  renderDetail(answer.data);
  say(method === "PUT" ? "Outcome corrected." : "Outcome recorded.");
});

byId("cancel").addEventListener("click", () => {
  byId("cancel").hidden = true;
  byId("cancel-confirm").hidden = byId("cancel-keep").hidden = false;
  byId("cancel-keep").focus();
});
byId("cancel-keep").addEventListener("click", () => {
  byId("cancel").hidden = false;
  byId("cancel-confirm").hidden = byId("cancel-keep").hidden = true;
  byId("cancel").focus();
});
byId("cancel-confirm").addEventListener("click", () => act("POST", "/cancel", undefined, "Cancelled: no further nudge goes out."));

// ---- the sections --------------------------------------------------------------------------------

function open(view) {
  if (view !== "detail") leaveInterviewAddress();
  for (const name of VIEWS) byId(name + "-view").hidden = name !== view;
  for (const tab of document.querySelectorAll("[data-view]")) {
    if (tab.dataset.view === view) tab.setAttribute("aria-current", "page"); else tab.removeAttribute("aria-current");
  }
  byId(view + "-title").focus();
}

for (const tab of document.querySelectorAll("[data-view]")) {
  tab.addEventListener("click", () => {
    open(tab.dataset.view);
    if (tab.dataset.view === "list") loadList(false);
  });
}

async function start() {
  const answer = await api("GET", "/firm/me");
  if (answer.status === 401) return;
  if (answer.status !== 200) { toSignIn(failure(answer)); return; }
  me = answer.data;
  byId("who-name").textContent = (me.name || me.email) + (me.is_admin ? " (admin)" : "");
  byId("report-tab").hidden = !me.is_admin;
  byId("filter-recruiter-field").hidden = !me.is_admin;
  show("app");
  const wanted = interviewInAddress();  // kept through the sign-in: the page never left this address
  open("list");
  await loadList(false, true);
  const signedIn = "Signed in as " + (me.name || me.email) + ". ";
  if (wanted && await openDetail(wanted)) { say(signedIn + "Showing the interview the link named."); return; }
  say(signedIn + shown(byId("interviews").children.length, Boolean(cursor)) +
      (wanted ? " The interview the link named was not found: it may belong to another recruiter." : ""));
}

// Another interview's address typed or followed while signed in opens it.
window.addEventListener("hashchange", async () => {
  const wanted = interviewInAddress();
  if (!me || !wanted || byId("app").hidden || (current && current.id === wanted && !byId("detail-view").hidden)) return;
  if (!(await openDetail(wanted))) { open("list"); await loadList(false, true); }
});

document.addEventListener("firm:signed-in", start);
document.addEventListener("firm:enrolled", async (event) => { open("list"); await loadList(false, true); say(event.detail); });
document.addEventListener("firm:open", (event) => openDetail(event.detail));
if (currentToken()) start(); else toSignIn("");
