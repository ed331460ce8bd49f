// The candidate's page at /manage/{id}?token=...: loads the interview with the token from the URL, and
// records the decision, marks steps done, or cancels and erases.
/* global STEP_LABELS, el, formatDate, callApi, timelineItem, inTimeOrder, humanMessage, clearErrors, showErrors */
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
  const state = {awaiting_confirmation: "Waiting for your confirmation: no reminder is sent before it.",
                 active: "Your follow-ups are running.",
                 decided: "Decision recorded: " + (view.decision && view.decision.outcome === "offer" ?
                          "an offer. Congratulations!" : "not selected this time."),
                 cancelled: "Cancelled: no more messages will be sent."}[view.status] || view.status;
  document.getElementById("state").textContent = state;
  renderConfirmStep(view);

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

// While the interview awaits confirmation: one clear step. Once running, a channel not yet confirmed may be
// confirmed from its own message's link (the token says which channel it came by).
function renderConfirmStep(view) {
  const step = document.getElementById("confirm-step");
  const awaiting = view.status === "awaiting_confirmation";
  const unverified = view.status === "active" && view.channels.some((c) => !view.verified_channels.includes(c));
  step.hidden = !(awaiting || unverified);
  document.getElementById("confirm-start").textContent =
    awaiting ? "Confirm and start my reminders" : "Confirm this address for my reminders too";
  document.getElementById("confirm-text").textContent = awaiting
    ? "Nothing is sent until you confirm that this is you and that you want these reminders."
    : "Reminders go only where you confirmed: " + view.verified_channels.map((c) => c === "sms" ? "text message" : c)
      .join(" and ") + ".";
}

document.getElementById("confirm-start").addEventListener("click", async (event) => {
  const button = event.currentTarget;
  const where = document.getElementById("confirm-status");
  button.disabled = true;
  const answer = await callApi("POST", pagePath + "/confirm", {token});
  button.disabled = false;
  if (answer.status === 200) {
    render(answer.data);
    document.getElementById("timeline-status").textContent = "Confirmed: your reminders are scheduled.";
    document.getElementById("timeline-heading").focus();
    return;
  }
  failed(answer, where);
});

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
