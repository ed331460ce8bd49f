// The web form at /: sends the interview, then says where the confirmation messages went (masked).
/* global el, callApi, clearErrors, showErrors, newKey */
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

const CHANNEL_NAMES = {email: "Email", sms: "Text message"};

function showResult(answer) {
  const sentTo = answer.confirmations_sent_to || [];
  document.getElementById("sent-to").replaceChildren(
    ...sentTo.map((c) => el("li", {text: (CHANNEL_NAMES[c.channel] || c.channel) + ": " + c.destination})));
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
  if (answer.status === 202) { showResult(answer.data); return; }
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
