// The candidate's page at /manage/{id}?token=...: loads the interview with the token from the link; shows where the
// reminders go (each channel confirmed, or waiting for its link, which can be sent again) and each step with what to
// send; records or corrects the decision, marks steps done, edits the details, adds the check-in to a calendar, or
// cancels and erases.
/* global t, tn, N_, pageLanguage, el, callApi, humanMessage, clearErrors, showErrors, STEP_LABELS, stepLabel,
   stepInASentence, viewLocale, shortDate, headline, timelineItem, inTimeOrder, zoneLabel, formatDate, stoppedChannels,
   fixLink */
const main = document.getElementById("main");
const interviewId = main.getAttribute("data-interview-id");

// The token leaves the address bar as the page loads: it is kept for this tab only (sessionStorage), so a reload still
// works but a screenshot or a copied address does not hand over the page. With it is kept the channel its message came
// by, once the page learns it (a confirmation from here verifies that channel, and no other).
const KEPT = "manage." + interviewId;
function kept() {
  try { return JSON.parse(sessionStorage.getItem(KEPT) || "null") || {}; } catch (err) { return {}; }
}
function keep(held) {
  try { sessionStorage.setItem(KEPT, JSON.stringify(held)); } catch (err) { /* storage is off: the URL keeps it */ }
}
function forget() {
  try { sessionStorage.removeItem(KEPT); } catch (err) { /* nothing kept */ }
}
function takeToken() {
  const url = new URL(window.location.href);
  const given = url.searchParams.get("token");
  if (!given) return kept().token || "";
  if (kept().token !== given) keep({token: given, channel: null});
  if (kept().token === given) {  // only once it is kept: a reload must still find it
    url.searchParams.delete("token");
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }
  return given;
}
const token = takeToken();
let tokenChannel = kept().channel || null;  // "email", "sms", "other" (a channel confirmed already), or null: unknown
function learnedChannel(channel) {
  tokenChannel = channel;
  if (kept().token === token) keep({token, channel});
}
const pagePath = "/interviews/" + encodeURIComponent(interviewId);
const notice = document.getElementById("notice");
const content = document.getElementById("content");
const decisionForm = document.getElementById("decision-form");
const decisionSummary = document.getElementById("decision-summary");
const supervisorRow = document.getElementById("supervisor-row");
const editForm = document.getElementById("edit-form");
const editSummary = document.getElementById("edit-summary");
const editStatus = document.getElementById("edit-status");
let current = null;  // the view last shown
let correcting = false;

function say(text, kind) {
  notice.className = "notice" + (kind ? " " + kind : "");
  notice.textContent = text;
  notice.hidden = !text;
}

function failed(answer, where) {
  if (answer.status === 404) {
    forget();
    content.hidden = true;
    say(t("This link does not work: the interview was erased, or the link is incomplete."), "bad");
    return;
  }
  const text = (answer.data && answer.data.message) || t("Something went wrong. Please try again.");
  where.textContent = humanMessage(null, text);
}

function render(view) {
  current = view;
  const zone = view.candidate.time_zone;
  const locale = viewLocale(view);
  document.getElementById("title").textContent = t("%(role)s at %(company)s", {role: view.role, company: view.company});
  const interviewer = view.interviewer.title ? view.interviewer.name + ", " + view.interviewer.title : view.interviewer.name;
  document.getElementById("facts").replaceChildren(
    el("dt", {text: t("Interview")}), el("dd", {}, el("time", {datetime: view.interview_at,
                                                             text: formatDate(view.interview_at, zone, null, locale)})),
    el("dt", {text: t("Interviewer")}), el("dd", {text: interviewer}),
    el("dt", {text: t("They decide within")}),
    el("dd", {text: tn("%(n)s day", "%(n)s days", view.expected_decision_days)}),
    el("dt", {text: t("Time zone")}), el("dd", {text: view.display ? view.display.time_zone : zoneLabel(zone, locale)}));
  document.getElementById("state").textContent = headline(view);
  document.getElementById("confirm-step").hidden = view.status !== "awaiting_confirmation";
  renderDestinations(view);
  document.getElementById("timeline").replaceChildren(...inTimeOrder(view.follow_ups).map((f) => stepItem(f, view)));
  renderDecision(view);
  fillEdit(view);
  document.getElementById("edit").hidden = view.status === "cancelled";
  content.hidden = false;
}

function stepItem(f, view) {
  const actions = el("div", {class: "step-actions"});
  if (["scheduled", "sent", "failed"].includes(f.status) && view.status !== "cancelled") {
    // The visible text starts the accessible name, which says which step it is.
    const button = el("button", {type: "button", class: "secondary small", "data-done": f.step,
                                 "aria-label": t("Mark done: %(step)s", {step: stepLabel(f.step)})}, t("Mark done"));
    button.addEventListener("click", () => markDone(f.step, button));
    actions.append(button);
  }
  if (f.step === "check_in" && ["planned", "scheduled"].includes(f.status) && view.status !== "cancelled") {
    const button = el("button", {type: "button", class: "secondary small", id: "add-to-calendar"},
                      t("Add the check-in to my calendar"));
    button.addEventListener("click", () => addToCalendar(button));
    actions.append(button);
  }
  return timelineItem(f, view, actions.children.length ? actions : null);
}

// ---- where the reminders go: each channel confirmed, or waiting for the link its confirmation carried -------------

const CHANNEL_TITLES = {email: N_("Email"), sms: N_("Text messages")};
function channelTitle(channel) { return t(CHANNEL_TITLES[channel] || channel); }

// Enough for the candidate to recognise, not for a screenshot to give away: j•••@example.com, (•••) •••-0123.
function maskedEmail(address) {
  const at = address.lastIndexOf("@");
  return at < 1 ? "•••" : address.charAt(0) + "•••" + address.slice(at);
}
function maskedPhone(view) {
  const shown = (view.display && view.display.phone) || view.candidate.phone || "";
  const digits = (shown.match(/\d/g) || []).length;
  let seen = 0;
  return shown.replace(/\d/g, (digit) => { seen += 1; return seen > digits - 4 ? digit : "•"; });
}
function maskedDestination(view, channel) {
  return channel === "email" ? maskedEmail(view.candidate.email || "") : maskedPhone(view);
}

function renderDestinations(view) {
  document.getElementById("destinations").hidden = view.status === "cancelled";
  document.getElementById("destination-list").replaceChildren(
    ...["email", "sms"].filter((c) => view.channels.includes(c)).map((c) => destinationItem(c, view)));
}

// A channel that bounced or was marked as spam, or a number that replied STOP or that the carrier blocks or cannot reach,
// takes no more reminders: said in its place, with the way to fix a bounce. After a STOP both steps bring texts back:
// the START reply, which the carrier's opt-out answers to (our own stop it does not lift), and this page's button.
const STOPPED_HERE = {
  bounced: (to) => t("Bounced: %(to)s does not exist", {to}),
  complained: (to) => t("Stopped: you reported our email as spam, so we no longer email %(to)s", {to}),
  stop: () => t("Texts stopped: you replied STOP. To get texts again, reply START to our number (so your carrier " +
                "lets our texts through), then turn them back on here."),
  blocked: () => t("Texts stopped: your carrier blocks our texts"),
  unreachable: () => t("Texts stopped: your phone could not be reached"),
};

function destinationItem(channel, view) {
  const to = maskedDestination(view, channel);
  const confirmed = view.verified_channels.includes(channel);
  const awaiting = view.status === "awaiting_confirmation";
  const stopped = stoppedChannels(view)[channel];
  if (stopped && STOPPED_HERE[stopped]) {
    return el("li", {"data-channel": channel, "data-stopped": stopped}, el("h3", {text: channelTitle(channel)}),
      el("p", {class: "status status-bad", id: "destination-" + channel, tabindex: "-1"},
         STOPPED_HERE[stopped](to), ...fixLink(stopped === "bounced" ? channel : null)),
      stopped === "stop" ? textsBackOn() : null);
  }
  let status = channel === "sms" ? t("Waiting: open the link we texted to %(to)s", {to})
    : t("Waiting: open the link we emailed to %(to)s", {to});
  if (confirmed) status = t("Confirmed: %(to)s", {to});
  else if (awaiting) status = t("Not confirmed yet: %(to)s", {to});
  const item = el("li", {"data-channel": channel, "data-confirmed": String(confirmed)},
    el("h3", {text: channelTitle(channel)}),
    el("p", {class: "status " + (confirmed ? "status-sent" : "status-due"), id: "destination-" + channel,
             tabindex: "-1", text: status}));
  if (confirmed || awaiting) return item;  // awaiting: the one button above confirms the channel this link came by
  item.append(el("p", {class: "hint", text: channel === "sms"
    ? t("Until you confirm it, no reminder goes to this number. No text? We can send it again.")
    : t("Until you confirm it, no reminder goes to this address. No email? We can send it again.")}));
  const actions = el("div", {class: "step-actions"});
  const again = el("button", {type: "button", class: "secondary small", "data-resend": channel,
                              "aria-label": channel === "sms"
                                ? t("Send it again: the confirmation text to %(to)s", {to})
                                : t("Send it again: the confirmation email to %(to)s", {to})},
                   t("Send it again"));
  again.addEventListener("click", () => resend(channel, again));
  actions.append(again);
  if (!tokenChannel) {  // this page's link may be that message's own: then it confirms the channel here
    const here = el("button", {type: "button", class: "secondary small", "data-confirm": channel},
                    channel === "sms" ? t("I opened this page from that text: confirm it")
                      : t("I opened this page from that email: confirm it"));
    here.addEventListener("click", () => confirmHere(channel, here));
    actions.append(here);
  }
  item.append(actions);
  return item;
}

// Only a STOP is lifted from here (a carrier's block or an unreachable phone is not the candidate's to lift).
function textsBackOn() {
  const button = el("button", {type: "button", class: "secondary small", id: "texts-back-on",
                               "aria-describedby": "destination-sms"}, t("Turn texts back on"));
  button.addEventListener("click", () => turnTextsBackOn(button));
  return el("div", {class: "step-actions"}, button);
}

function inAWhile(seconds) {
  if (seconds < 90) return t("in a minute");
  if (seconds < 3600) return tn("in about %(n)s minute", "in about %(n)s minutes", Math.ceil(seconds / 60));
  const hours = Math.ceil(seconds / 3600);
  return hours === 1 ? t("in about an hour") : tn("in about %(n)s hour", "in about %(n)s hours", hours);
}

const destinationsStatus = document.getElementById("destinations-status");

function sayAboutDestinations(text) {
  destinationsStatus.textContent = text;
  destinationsStatus.focus();
}

// A new confirmation to a chosen channel not confirmed yet, within the limits (the API answers 429 past them).
async function sendConfirmation(channel) {
  const answer = await callApi("POST", pagePath + "/confirmations", {token, body: {channel}});
  if (answer.status === 202) return {sent: true};
  if (answer.status === 429) {
    const why = humanMessage(null, (answer.data && answer.data.message) || t("Too many tries."));
    return {sent: false, text: t("Not sent: %(why)s Try again %(when)s.", {why, when: inAWhile(answer.retryAfter || 3600)})};
  }
  return {sent: false, answer};
}

async function resend(channel, button) {
  button.disabled = true;
  const result = await sendConfirmation(channel);
  button.disabled = false;
  const to = maskedDestination(current, channel);
  if (result.sent) {
    sayAboutDestinations(channel === "sms" ? t("Sent: open the link in the new text we sent to %(to)s.", {to})
      : t("Sent: open the link in the new email we sent to %(to)s.", {to}));
    return;
  }
  if (result.text) { sayAboutDestinations(result.text); return; }
  if (result.answer.status === 409) {  // confirmed meanwhile (or no longer chosen): show it as it is now
    const fresh = await callApi("GET", pagePath, {token});
    if (fresh.status === 200) render(fresh.data);
    sayAboutDestinations(current.verified_channels.includes(channel)
      ? t("%(channel)s: already confirmed.", {channel: channelTitle(channel)})
      : humanMessage(null, (result.answer.data && result.answer.data.message) || t("Nothing was sent.")));
    return;
  }
  failed(result.answer, destinationsStatus);
}

// Confirming from this page verifies the channel its link came by: if that is not ``channel``, say where to go.
async function confirmHere(channel, button) {
  button.disabled = true;
  const before = current.verified_channels;
  const answer = await callApi("POST", pagePath + "/confirm", {token});
  button.disabled = false;
  if (answer.status !== 200) { failed(answer, destinationsStatus); return; }
  const verified = answer.data.verified_channels.filter((c) => !before.includes(c));
  learnedChannel(verified[0] || "other");
  render(answer.data);
  if (verified.includes(channel)) {
    sayAboutDestinations(channel === "sms" ? t("Confirmed: reminders come by text message too.")
      : t("Confirmed: reminders come by email too."));
    return;
  }
  const to = maskedDestination(answer.data, channel);
  sayAboutDestinations(channel === "sms"
    ? t("This page was opened from the link in another message, so it cannot confirm this number: open the link in " +
        "the text we sent to %(to)s, or send it again.", {to})
    : t("This page was opened from the link in another message, so it cannot confirm this address: open the link " +
        "in the email we sent to %(to)s, or send it again.", {to}));
}

// An answer other than 2xx, in plain words: each field the API names (a 422), or its message.
function plainWords(answer) {
  const errors = (answer.data && Array.isArray(answer.data.errors)) ? answer.data.errors : [];
  if (errors.length) return errors.map((e) => humanMessage(null, e.message)).join(" ");
  return humanMessage(null, (answer.data && answer.data.message) || t("Something went wrong. Please try again."));
}

// Texts back on after a STOP: the edit that gives consent again lifts the STOP (and the number's place on our opt-out
// list); its answer is shown as the edit form shows its own, and the status below the list says what changed.
async function turnTextsBackOn(button) {
  button.disabled = true;
  const answer = await callApi("PATCH", pagePath, {token, body: {sms_consent: true}});
  button.disabled = false;
  if (answer.status === 200) {
    render(answer.data);
    const still = stoppedChannels(answer.data).sms;
    sayAboutDestinations(still ? t("Texts are still stopped, for the reason shown above.")
      : t("Texts are back on: the reminders still to come are texted to %(phone)s. If you have not replied START to " +
          "our number yet, do it now, or your carrier keeps our texts from you.", {phone: maskedPhone(answer.data)}));
    return;
  }
  if (answer.status === 404) { failed(answer, notice); return; }
  if (answer.status === 429) {
    const why = humanMessage(null, (answer.data && answer.data.message) || t("Too many tries."));
    sayAboutDestinations(t("Texts are still stopped. %(why)s Try again %(when)s.",
                           {why, when: inAWhile(answer.retryAfter || 3600)}));
    return;
  }
  sayAboutDestinations(t("Texts are still stopped. %(why)s", {why: plainWords(answer)}));
}

function cardsGoTo(d) {
  const manager = d.hiring_manager.name;
  if (!d.supervisor || d.supervisor.name.trim().toLowerCase() === manager.trim().toLowerCase()) {
    return t("A thank-you card goes to %(manager)s.", {manager});
  }
  return t("Thank-you cards go to %(manager)s (hiring manager) and %(supervisor)s (supervisor).",
           {manager, supervisor: d.supervisor.name});
}

function renderDecision(view) {
  const decided = document.getElementById("decided");
  const card = view.follow_ups.find((f) => f.step === "decision_thank_you");
  const correctable = Boolean(view.decision) && view.status === "decided" && card && card.status === "scheduled";
  if (view.decision) {
    const cards = cardsGoTo(view.decision);
    decided.textContent = view.decision.outcome === "offer" ? t("Offer. %(cards)s", {cards})
      : t("Not selected. %(cards)s", {cards});
  }
  decided.hidden = !view.decision;
  if (!correctable) correcting = false;
  document.getElementById("correct-row").hidden = !correctable || correcting;
  document.getElementById("correct-closed").hidden = !(view.decision && card && !correctable);
  decisionForm.hidden = !(view.status === "active" || correcting);
  document.getElementById("decide").textContent = correcting ? t("Save the corrected decision") : t("Record the decision");
  document.getElementById("decide-cancel").hidden = !correcting;
  document.getElementById("decision-hint").hidden = correcting;
  document.getElementById("decision").hidden = view.status !== "active" && !view.decision;
  const manager = document.getElementById("hiring_manager-name");
  if (!manager.value) manager.value = view.interviewer.name;
}

document.getElementById("confirm-start").addEventListener("click", async (event) => {
  const button = event.currentTarget;
  const where = document.getElementById("confirm-status");
  const before = current ? current.verified_channels : [];
  button.disabled = true;
  const answer = await callApi("POST", pagePath + "/confirm", {token});
  button.disabled = false;
  if (answer.status === 200) {
    learnedChannel(answer.data.verified_channels.filter((c) => !before.includes(c))[0] || "other");
    render(answer.data);
    document.getElementById("timeline-status").textContent = t("Confirmed: your reminders are scheduled.");
    document.getElementById("timeline-heading").focus();
    return;
  }
  failed(answer, where);
});

async function load() {
  if (!token) {
    say(t("This page needs the private link from your confirmation or from one of our messages " +
          "(it ends with ?token=...)."), "bad");
    return;
  }
  const answer = await callApi("GET", pagePath, {token});
  if (answer.status === 200) {
    if (followTheInterview(answer.data)) return;
    render(answer.data);
    const step = window.location.hash.slice(1);
    if (step && STEP_LABELS[step]) document.getElementById(step).scrollIntoView();  // an SMS's link to its step
    return;
  }
  if (answer.status === 404) { failed(answer, notice); return; }
  say(humanMessage(null, (answer.data && answer.data.message) || t("Something went wrong. Please reload.")), "bad");
}

async function markDone(step, button) {
  const where = document.getElementById("timeline-status");
  button.disabled = true;
  const answer = await callApi("POST", pagePath + "/follow-ups/" + encodeURIComponent(step) + "/done", {token});
  button.disabled = false;
  if (answer.status === 200) {
    render(answer.data);
    where.textContent = t("%(step)s: marked done.", {step: stepLabel(step)});
    document.getElementById("status-" + step).focus();  // the step's new status, where the button was
    return;
  }
  failed(answer, where);
}

// The check-in's .ics, fetched with the token (a link could not send it) and handed to the browser as a download.
async function addToCalendar(button) {
  const where = document.getElementById("timeline-status");
  button.disabled = true;
  let response = null;
  try {
    response = await fetch(pagePath + "/check-in.ics", {headers: {"Authorization": "Bearer " + token,
      "Accept": "text/calendar"}, credentials: "omit", cache: "no-store"});
  } catch (err) { response = null; }
  button.disabled = false;
  if (!response || !response.ok) {
    where.textContent = t("The calendar file could not be made. Please try again.");
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", {href: url, download: "check-in.ics", hidden: true});
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
  where.textContent = t("The check-in is downloading as check-in.ics: open it to add it to your calendar.");
}

function outcome() {
  const chosen = decisionForm.querySelector('input[name="outcome"]:checked');
  return chosen ? chosen.value : null;
}

function syncSupervisor() { supervisorRow.hidden = outcome() !== "offer"; }
for (const radio of decisionForm.querySelectorAll('input[name="outcome"]')) radio.addEventListener("change", syncSupervisor);
syncSupervisor();

document.getElementById("correct").addEventListener("click", () => {
  const d = current.decision;
  correcting = true;
  document.getElementById("outcome-" + d.outcome).checked = true;
  document.getElementById("hiring_manager-name").value = d.hiring_manager.name;
  document.getElementById("supervisor-name").value = d.supervisor ? d.supervisor.name : "";
  syncSupervisor();
  renderDecision(current);
  document.getElementById("outcome-" + d.outcome).focus();
});

document.getElementById("decide-cancel").addEventListener("click", () => {
  correcting = false;
  clearErrors(decisionForm, decisionSummary);
  renderDecision(current);
  document.getElementById("correct").focus();
});

decisionForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(decisionForm, decisionSummary);
  const body = {outcome: outcome()};
  const manager = document.getElementById("hiring_manager-name").value.trim();
  if (manager) body.hiring_manager = {name: manager};
  const supervisor = document.getElementById("supervisor-name").value.trim();
  if (body.outcome === "offer" && supervisor) body.supervisor = {name: supervisor};
  const errors = [];
  if (body.outcome === null) errors.push({field: "outcome", message: t("Choose what they decided.")});
  if (body.outcome === "offer" && !supervisor) {
    errors.push({field: "supervisor.name", message: t("Enter your direct supervisor's name: they get a card too.")});
  }
  if (errors.length) { showErrors(decisionForm, decisionSummary, {errors}); return; }
  const button = document.getElementById("decide");
  const wasCorrecting = correcting;
  button.disabled = true;
  const answer = await callApi(wasCorrecting ? "PUT" : "POST", pagePath + "/decision", {token, body});
  button.disabled = false;
  if (answer.status === 200) {
    correcting = false;
    render(answer.data);
    const card = answer.data.follow_ups.find((f) => f.step === "decision_thank_you");
    document.getElementById("timeline-status").textContent = [wasCorrecting ? t("Corrected.") : "",
      card ? t("Your thank-you card reminder comes %(when)s.", {when: shortDate(card.due_at, answer.data)}) : ""]
      .filter(Boolean).join(" ");
    document.getElementById(card ? "status-decision_thank_you" : "timeline-heading").focus();
    return;
  }
  if (answer.status === 404) { failed(answer, notice); return; }
  showErrors(decisionForm, decisionSummary, answer.data);
});

// ---- edit: only what changed is sent (PATCH); a new email or phone is confirmed again ---------------------------

const editField = (id) => document.getElementById("edit-" + id);
const shownPhone = (view) => (view.display && view.display.phone) || view.candidate.phone || "";  // national format

let editTouched = false;  // the candidate changed something not yet saved: a new view leaves it as typed

// "Update it" (on a step or a destination whose email bounced): the edit opens, with the focus on that address.
content.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-fix]");
  if (!link) return;
  event.preventDefault();
  document.getElementById("edit-details").open = true;
  editField(link.dataset.fix).focus();
});
editForm.addEventListener("input", () => { editTouched = true; });

function fillEdit(view) {
  if (editTouched) return;
  editField("interview_at").value = view.interview_at.slice(0, 16);  // the wall time in the candidate's zone
  editField("expected_decision_days").value = String(view.expected_decision_days);
  editField("preferred_name").value = view.candidate.preferred_name || "";
  editField("email").value = view.candidate.email || "";
  editField("phone").value = shownPhone(view);
  editField("channel-email").checked = view.channels.includes("email");
  editField("channel-sms").checked = view.channels.includes("sms");
  editField("sms_consent").checked = view.sms_consent;
}

function changes(view) {
  const body = {};
  const at = editField("interview_at").value.trim();
  if (at && at !== view.interview_at.slice(0, 16)) body.interview_at = at;
  const days = editField("expected_decision_days").value.trim();
  if (days !== String(view.expected_decision_days)) body.expected_decision_days = /^\d+$/.test(days) ? Number(days) : days;
  const candidate = {};
  const preferred = editField("preferred_name").value.trim();
  if (preferred && preferred !== (view.candidate.preferred_name || "")) candidate.preferred_name = preferred;
  const email = editField("email").value.trim();
  if (email !== (view.candidate.email || "")) candidate.email = email || null;
  const phone = editField("phone").value.trim();
  if (phone !== shownPhone(view) && phone !== (view.candidate.phone || "")) candidate.phone = phone || null;
  if (Object.keys(candidate).length) body.candidate = candidate;
  const channels = ["email", "sms"].filter((c) => editField("channel-" + c).checked);
  if (channels.join() !== [...view.channels].sort().join()) body.channels = channels;
  if (editField("sms_consent").checked !== view.sms_consent) body.sms_consent = editField("sms_consent").checked;
  return body;
}

function editErrors(body, view) {
  const errors = [];
  const channels = body.channels || view.channels;
  const email = "candidate" in body && "email" in body.candidate ? body.candidate.email : view.candidate.email;
  const phone = "candidate" in body && "phone" in body.candidate ? body.candidate.phone : view.candidate.phone;
  const consent = "sms_consent" in body ? body.sms_consent : view.sms_consent;
  if (!channels.length) errors.push({field: "channels", message: t("Choose email, text messages, or both.")});
  if (channels.includes("email") && !email) {
    errors.push({field: "candidate.email", message: t("Enter your email address, or choose text messages only.")});
  }
  if (channels.includes("sms") && !phone) {
    errors.push({field: "candidate.phone", message: t("Enter a mobile number we can text, or choose email only.")});
  }
  if (channels.includes("sms") && !consent) {
    errors.push({field: "sms_consent", message: t("Tick the box to agree to text messages, or choose email only.")});
  }
  const days = body.expected_decision_days;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 60)) {
    errors.push({field: "expected_decision_days", message: t("Choose a number of days from 1 to 60.")});
  }
  return errors;
}

editForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(editForm, editSummary);
  editStatus.textContent = "";
  const body = changes(current);
  if (!Object.keys(body).length) { editStatus.textContent = t("Nothing changed."); return; }
  const errors = editErrors(body, current);
  if (errors.length) { showErrors(editForm, editSummary, {errors}); return; }
  const button = document.getElementById("edit-save");
  button.disabled = true;
  const answer = await callApi("PATCH", pagePath, {token, body});
  button.disabled = false;
  if (answer.status !== 200) {
    if (answer.status === 422) { showErrors(editForm, editSummary, answer.data); return; }
    failed(answer, editStatus);
    return;
  }
  const before = current;
  editTouched = false;
  render(answer.data);
  const said = [t("Saved.")];
  if (body.interview_at || body.expected_decision_days) {
    const next = inTimeOrder(answer.data.follow_ups).find((f) => ["scheduled", "planned"].includes(f.status));
    said.push(next ? t("The reminders still to come moved: next, %(step)s, %(when)s.",
                       {step: stepInASentence(next.step), when: shortDate(next.due_at, answer.data)})
      : t("No reminder was left to move."));
  }
  const fresh = [["email", "email"], ["phone", "sms"]]
    .filter(([key]) => answer.data.candidate[key] && answer.data.candidate[key] !== before.candidate[key]);
  for (const [key] of fresh) {
    said.push(key === "phone"
      ? t("We sent a confirmation message to the new phone number: open the link in it to confirm it. Reminders go " +
          "there only once you confirm.")
      : t("We sent a confirmation message to the new email address: open the link in it to confirm it. Reminders go " +
          "there only once you confirm."));
  }
  // A channel newly chosen whose address did not change got no confirmation from the edit: send it one now.
  const newlyChosen = answer.data.channels.filter((c) => !before.channels.includes(c) &&
    !answer.data.verified_channels.includes(c) && !fresh.some(([, channel]) => channel === c));
  for (const channel of newlyChosen) {
    const result = await sendConfirmation(channel);
    const to = maskedDestination(answer.data, channel);
    if (result.sent) {
      said.push(channel === "sms"
        ? t("We sent a confirmation text to %(to)s: open the link in it to confirm it. Reminders go there only once " +
            "you confirm.", {to})
        : t("We sent a confirmation email to %(to)s: open the link in it to confirm it. Reminders go there only once " +
            "you confirm.", {to}));
    } else {
      said.push(result.text
        ? t("Reminders go to %(to)s once you confirm it, but the confirmation could not be sent now. %(why)s",
            {to, why: result.text})
        : t("Reminders go to %(to)s once you confirm it, but the confirmation could not be sent now: use Send it " +
            "again above.", {to}));
    }
  }
  // A link proves the address it was sent to: one sent to the old address stops working once it changes.
  if (fresh.length && (await callApi("GET", pagePath, {token})).status === 404) {
    forget();
    content.hidden = true;
    const both = fresh.length > 1;
    say(both ? t("Saved. This link was sent to your old email address and phone number, so it no longer opens this " +
                 "page: use the link in the confirmation we sent to the new one.")
      : fresh[0][0] === "phone" ? t("Saved. This link was sent to your old phone number, so it no longer opens this " +
                                    "page: use the link in the confirmation we sent to the new one.")
        : t("Saved. This link was sent to your old email address, so it no longer opens this page: use the link in " +
            "the confirmation we sent to the new one."), "");
    return;
  }
  editStatus.textContent = said.join(" ");
  editStatus.focus();
});

// ---- cancel and erase ------------------------------------------------------------------------------------------

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
    forget();
    content.hidden = true;
    say(t("Cancelled and erased: nothing more will be sent, and your details are gone."), "ok");
    document.getElementById("erased-next").hidden = false;
    notice.focus();
    return;
  }
  failed(answer, where);
});

// ---- the page's language: the interview's --------------------------------------------------------------------------

const languageSelect = document.getElementById("language");
const languageStatus = document.getElementById("language-status");

function inLanguage(language) {
  const url = new URL(window.location.href);
  url.searchParams.set("lang", language);
  window.location.replace(url.pathname + url.search + url.hash);
}

// A page opened without ?lang= whose interview speaks another language than the page loads again in the interview's
// (the token is kept for the tab by then). With ?lang= in its address it never does: it cannot loop, and an address
// that asks for a language gets it.
function followTheInterview(view) {
  const language = view.display && view.display.language;
  if (!language || language === pageLanguage() || new URL(window.location.href).searchParams.has("lang")) return false;
  if (![...languageSelect.options].some((option) => option.value === language)) return false;
  inLanguage(language);
  return true;
}

// The interview's locale in another language: the same region ("es-MX" -> "en-MX"), the US when it names none.
function localeIn(language, view) {
  let region = "";
  try { region = new Intl.Locale(viewLocale(view)).region || ""; } catch (err) { region = ""; }
  return language + "-" + (region || "US");
}

// Choosing a language changes the interview's (its messages from now on are in it), then shows the page in it.
languageSelect.addEventListener("change", async () => {
  const language = languageSelect.value;
  if (!current || !token) { inLanguage(language); return; }
  languageSelect.disabled = true;
  languageStatus.textContent = "";
  const answer = await callApi("PATCH", pagePath, {token, body: {candidate: {locale: localeIn(language, current)}}});
  languageSelect.disabled = false;
  if (answer.status === 200) { inLanguage(language); return; }
  languageSelect.value = pageLanguage();
  if (answer.status === 422) { languageStatus.textContent = plainWords(answer); return; }
  failed(answer, languageStatus);
});

load();
