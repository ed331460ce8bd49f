// The web form at /: checks every answer at once (the server's rules, in plain words), says what a past interview
// means before it is sent, sends the interview, then says where the confirmation messages went (masked).
/* global t, N_, pageLanguage, el, callApi, clearErrors, showErrors, newKey */
const form = document.getElementById("interview-form");
const summary = document.getElementById("summary");
const statusLine = document.getElementById("form-status");
const result = document.getElementById("result");
const zoneSelect = document.getElementById("candidate-time_zone");
const consentBox = document.getElementById("sms_consent");
const submitButton = document.getElementById("submit");
const interviewNote = document.getElementById("interview_at-note");
let idempotencyKey = newKey();
// The zones the service takes are places' (followup.domain.locales.is_place_zone): of the names browsers list, the
// "Area/City" ones. Not "UTC" nor "Etc/GMT+5": reminders come in the morning of a place, on its working days. The
// device's zone, else the firm's default, is preselected when it is one; else the candidate chooses.
const PLACE_ZONE = /^(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)\//;
function placeZone(zone) { return PLACE_ZONE.test(zone || "") ? zone : ""; }
let hereZone = placeZone(zoneSelect.dataset.default);
try { hereZone = placeZone(Intl.DateTimeFormat().resolvedOptions().timeZone) || hereZone; } catch (err) { /* keep it */ }

// The service's clock when the page was served, moved on by the time since: "now" for the checks below.
const servedAt = Date.parse(form.dataset.now || "");
const loadedAt = Date.now();
function now() { return Number.isNaN(servedAt) ? new Date() : new Date(servedAt + (Date.now() - loadedAt)); }

(function fillZones() {
  let zones = [];
  try { zones = Intl.supportedValuesOf("timeZone"); } catch (err) { zones = []; }
  const all = Array.from(new Set([...zones, hereZone].filter(placeZone))).sort();
  const choose = hereZone ? [] : [el("option", {value: "", text: t("Choose your time zone")})];
  zoneSelect.replaceChildren(...choose, ...all.map((zone) => el("option", {value: zone, text: zone.replaceAll("_", " ")})));
  zoneSelect.value = hereZone;
})();

function value(id) { return document.getElementById(id).value.trim(); }

function browserLocale() {
  const tag = (navigator.languages && navigator.languages[0]) || navigator.language || "";
  try { return Intl.getCanonicalLocales(tag)[0] || ""; } catch (err) { return ""; }
}

// ---- the language: the list at the top of the page (its languages are the service's, i18n.LANGUAGES) ---------------
// Chosen: the page's own when its address asks for one (?lang=), else the first of the browser's languages the
// service speaks, else the page's. Choosing another loads the page again in it (nothing is typed yet: the list comes
// first); the interview is then in that language, in the browser's region: candidate.locale "es-MX", else "es-US".
const languageSelect = document.getElementById("language");
const ours = [...languageSelect.options].map((option) => option.value);
function browserLanguage() {
  for (const tag of navigator.languages || [navigator.language || ""]) {
    const language = String(tag).split("-")[0].toLowerCase();
    if (ours.includes(language)) return language;
  }
  return "";
}
const asked = new URL(window.location.href).searchParams.get("lang");
languageSelect.value = (ours.includes(asked) ? asked : browserLanguage()) || pageLanguage();
languageSelect.addEventListener("change", () => {
  if (languageSelect.value === pageLanguage()) return;
  const url = new URL(window.location.href);
  url.searchParams.set("lang", languageSelect.value);
  window.location.assign(url.pathname + url.search);
});

// The interview's locale: the chosen language in the browser's region (US when the browser names none).
function interviewLocale() {
  let region = "";
  try { region = new Intl.Locale(browserLocale() || "en-US").region || ""; } catch (err) { region = ""; }
  return languageSelect.value + "-" + (region || "US");
}

// Empty answers are left out, so the API names them as required.
function payload() {
  const optional = (target, key, id) => { if (value(id)) target[key] = value(id); };
  const candidate = {time_zone: zoneSelect.value};
  optional(candidate, "name", "candidate-name");
  optional(candidate, "preferred_name", "candidate-preferred_name");
  optional(candidate, "email", "candidate-email");
  optional(candidate, "phone", "candidate-phone");
  candidate.locale = interviewLocale();
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

// ---- the wall clock in the candidate's zone: "YYYY-MM-DDTHH:MM" strings compare in time order ------------------

function wallNow(zone) {
  try {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23"}).formatToParts(now()).map((p) => [p.type, p.value]));
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
  } catch (err) {
    return now().toISOString().slice(0, 16);
  }
}

function addDays(day, days) {  // "YYYY-MM-DD" + days, on the calendar (no zone involved)
  const moment = new Date(day + "T12:00:00Z");
  moment.setUTCDate(moment.getUTCDate() + days);
  return moment.toISOString().slice(0, 10);
}

function decisionDays() {
  const days = Number(value("expected_decision_days"));
  return Number.isInteger(days) && days >= 1 && days <= 60 ? days : 7;
}

// The same rules as the service's plan: the card's window ends at the end of day 3 after the interview; the
// check-in is due on the interview day + the timeline + 3 days, at 09:00 (moved off weekends and holidays).
function pastInterviewNote(at, zone) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(at)) return "";
  const here = wallNow(zone);
  if (at.slice(0, 16) > here) return "";
  const day = at.slice(0, 10);
  const cardWindowEnds = addDays(day, 4) + "T00:00";
  const checkInDue = addDays(day, decisionDays() + 3) + "T09:00";
  if (here >= checkInDue) {
    return t("The card reminder is past; we'll send the check-in now (once you confirm).");
  }
  if (here >= cardWindowEnds) {
    return t("The card reminder is past (a card is for the first three days), so we'll skip it; " +
             "the check-in reminder comes as planned.");
  }
  if (here >= addDays(day, 2) + "T09:00") {
    return t("The card reminder's moment has come: we'll send it as soon as you confirm.");
  }
  return "";
}

function showPastNote() {
  const text = pastInterviewNote(value("interview_at"), zoneSelect.value);
  interviewNote.textContent = text;
  interviewNote.hidden = !text;
}
for (const id of ["interview_at", "expected_decision_days", "candidate-time_zone"]) {
  document.getElementById(id).addEventListener("change", showPastNote);
  document.getElementById(id).addEventListener("input", showPastNote);
}

// ---- every check the server makes, made here first, so that all of them show at once -------------------------

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]{2,}$/;
// A number of the first country texts may go to (SMS_COUNTRIES), as the page's hint gives it.
const phoneExample = document.getElementById("candidate-phone").dataset.example || "";

// ---- plain text: the server's rule for names, company, role and title (followup/domain/free_text.py), links and IP
// addresses only (phone numbers are the server's alone). It never refuses what the server takes: the allowed
// names are the same, and tests/unit/test_free_text.py runs this part under Node against the server's verdicts.
// No lookbehind: older Safari cannot parse it.
const IGNORABLE = new RegExp([  // a class each: some start with a combining mark
  "\\u00AD", "\\u034F", "\\u061C", "\\u115F-\\u1160", "\\u17B4-\\u17B5", "\\u180B-\\u180F", "\\u200B-\\u200F",
  "\\u202A-\\u202E", "\\u2060-\\u206F", "\\u3164", "\\uFE00-\\uFE0F", "\\uFEFF", "\\uFFA0", "\\uFFF0-\\uFFF8",
  "\\u{1BCA0}-\\u{1BCA3}", "\\u{1D173}-\\u{1D17A}", "\\u{E0000}-\\u{E0FFF}"].map((range) => "[" + range + "]").join("|"), "gu");
const ALLOWED_BRANDS = new Set([
  "amazon.com", "booking.com", "hotels.com", "salesforce.com", "ancestry.com", "match.com", "overstock.com",
  "monster.com", "zillow.com", "shutterfly.com", "cars.com", "realtor.com", "alibaba.com", "trip.com",
  "j.crew", "e.on", "l.l.bean"]);
const W = "\\p{L}\\p{N}_";  // Python's \w
const TECH_TERMS = new RegExp("(^|[^" + W + ".@:\\\\-])((?!www\\d*\\.)[\\p{L}\\p{N}][" + W + "-]*\\.js(?![" + W +
  "@:\\\\-]|\\.[" + W + "])|(?:asp|vb|ado)?\\.net(?![" + W + "@/:\\\\-]|\\.[" + W + "]))", "giu");
const OPENING = "([{<\"'", CLOSING = ".,;:!?)]}>\"'";
const DOT = "[.\\u3002]";
const SEP = "(?:" + DOT + "|\\s*[\\[({<]\\s*(?:" + DOT + "|dot)\\s*[\\])}>]\\s*|\\s+" + DOT + "\\s*)";
const LINK = new RegExp("[a-z][a-z0-9+.-]*://|\\b(?:mailto|javascript|data|tel|sms):|\\bwww\\d*" + SEP +
  "|[\\p{L}\\p{N}](?:[" + W + "-]*[\\p{L}\\p{N}])?" + SEP + "(?:\\p{L}{2,63}|xn--[a-z0-9-]{1,59})(?![" + W + "-])",
  "iu");
const IPV4 = new RegExp("(?:^|[^" + W + ".])\\d{1,3}(?:" + SEP + "\\d{1,3}){3}(?![" + W + "])", "u");

function withoutAllowedNames(text) {
  const blank = (part) => "\u0000".repeat(part.length);
  text = text.replace(TECH_TERMS, (match, before, term) => before + blank(term));
  return text.replace(/\S+/gu, (word) => {
    let start = 0, end = word.length;
    while (start < end && OPENING.includes(word[start])) start += 1;
    while (end > start && CLOSING.includes(word[end - 1])) end -= 1;
    if (end === start) end = word.length;
    const name = word.slice(start, end);
    return ALLOWED_BRANDS.has(name.toLowerCase()) ? word.slice(0, start) + blank(name) + word.slice(end) : word;
  });
}

// "link", "ip_address" or "": what the server would refuse in this text (the text as it shows: NFKC, no
// invisible characters).
function linkProblem(given) {
  const text = withoutAllowedNames(given.replace(IGNORABLE, "").normalize("NFKC").trim());
  if (IPV4.test(text)) return "ip_address";
  return LINK.test(text) ? "link" : "";
}
// ---- end of plain text

// As the server says them: humanMessage (common.js) puts them in the page's words, with the field's label.
const PLAIN_TEXT_PROBLEMS = {link: "can't contain a web address or a link", ip_address: "can't contain an IP address"};

function localErrors(body) {
  const errors = [];
  const add = (field, message) => errors.push({field, message});
  const text = (field, where, key, missing) => {
    const given = where[key];
    if (!given) { if (missing) add(field, missing); return; }
    if (given.length > 200) add(field, "must be 200 characters or fewer");
    else if (linkProblem(given)) add(field, PLAIN_TEXT_PROBLEMS[linkProblem(given)]);
  };
  text("candidate.name", body.candidate, "name", t("Enter your name."));
  text("candidate.preferred_name", body.candidate, "preferred_name", null);
  const email = body.candidate.email;
  if (body.channels.includes("email") && !email) add("candidate.email", t("Enter your email address, or choose text messages only."));
  else if (email && !EMAIL.test(email)) add("candidate.email", t("Enter your email address, like jordan@example.com."));
  const phone = body.candidate.phone;
  const digits = (phone || "").replace(/\D/g, "");
  if (body.channels.includes("sms") && !phone) {
    add("candidate.phone", phoneExample
      ? t("Enter a phone number we can text, like %(example)s, or choose email only.", {example: phoneExample})
      : t("Enter a phone number we can text, or choose email only."));
  } else if (phone && (!/^\+?[\d\s().-]+$/.test(phone) || digits.length < 7 || digits.length > 15)) {
    add("candidate.phone", phoneExample ? t("Enter a phone number we can text, like %(example)s.", {example: phoneExample})
      : t("Enter a phone number we can text."));
  }
  if (!body.candidate.time_zone) add("candidate.time_zone", t("Choose your time zone."));
  text("company", body, "company", t("Enter the company's name."));
  text("role", body, "role", t("Enter the job you interviewed for."));
  text("interviewer.name", body.interviewer, "name", t("Enter your interviewer's name."));
  text("interviewer.title", body.interviewer, "title", null);
  const at = body.interview_at;
  if (!at) {
    add("interview_at", t("Enter the date and time of your interview."));
  } else {
    const here = wallNow(body.candidate.time_zone);
    const earliest = addDays(here.slice(0, 10), -60) + here.slice(10);
    const latest = addDays(here.slice(0, 10), 365) + here.slice(10);
    if (at.slice(0, 16) < earliest || at.slice(0, 16) > latest) {
      add("interview_at", t("The interview must be within the past 60 days or the coming year."));
    }
  }
  const days = body.expected_decision_days;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 60)) {
    add("expected_decision_days", t("Choose a number of days from 1 to 60."));
  }
  if (!body.channels.length) add("channels", t("Choose email, text messages, or both."));
  if (body.channels.includes("sms") && !body.sms_consent) {
    add("sms_consent", t("Tick the box to agree to text messages, or choose email only."));
  }
  return errors;
}

function onlyTheLocaleRefused(data) {
  const errors = (data && data.errors) || [];
  return errors.length > 0 && errors.every((e) => e.field === "candidate.locale");
}

const CHANNEL_NAMES = {email: N_("Email"), sms: N_("Text message")};

function showResult(answer) {
  const sentTo = answer.confirmations_sent_to || [];
  document.getElementById("sent-to").replaceChildren(
    ...sentTo.map((c) => el("li", {text: t("%(channel)s: %(destination)s", {
      channel: CHANNEL_NAMES[c.channel] ? t(CHANNEL_NAMES[c.channel]) : c.channel, destination: c.destination})})));
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
  statusLine.textContent = t("Sending...");
  let answer = await callApi("POST", "/interviews", {body, headers: {"Idempotency-Key": idempotencyKey}});
  if (answer.status === 422 && onlyTheLocaleRefused(answer.data)) {
    // The device's language is not one the service knows: the firm's default is used instead (a new request).
    delete body.candidate.locale;
    idempotencyKey = newKey();
    answer = await callApi("POST", "/interviews", {body, headers: {"Idempotency-Key": idempotencyKey}});
  }
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
  showPastNote();
  result.hidden = true;
  form.hidden = false;
  document.getElementById("candidate-name").focus();
});
