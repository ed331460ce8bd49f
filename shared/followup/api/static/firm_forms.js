// The firm's page, its forms: enrol a candidate (the public form's fields), import a CSV (every row's result) and,
// for admins, the report (shown, or downloaded as CSV). Runs after firm.js; tells firm_views.js with events.
/* global el, byId, say, showError, words, api, failure */

function value(id) { return byId(id).value.trim(); }

function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  return Array.from(window.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// ---- enrol ---------------------------------------------------------------------------------------

const enrolForm = byId("enrol-form");
const summary = byId("enrol-summary");
let enrolKey = newKey();
// The zones the service takes for a candidate are places' (followup.domain.locales.is_place_zone): of the names browsers
// list, the "Area/City" ones, never "UTC" (the firm's own default zone may be; a candidate's may not). The
// recruiter's zone is preselected when it is one; else the recruiter chooses.
const PLACE_ZONE = /^(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)\//;
function placeZone(zone) { return PLACE_ZONE.test(zone || "") ? zone : ""; }
let hereZone = "";
try { hereZone = placeZone(Intl.DateTimeFormat().resolvedOptions().timeZone); } catch (err) { /* the recruiter chooses */ }

(function fillZones() {
  let zones = [];
  try { zones = Intl.supportedValuesOf("timeZone"); } catch (err) { zones = []; }
  const all = Array.from(new Set([...zones, hereZone].filter(placeZone))).sort();
  const choose = hereZone ? [] : [el("option", {value: "", text: "Choose the candidate's time zone"})];
  byId("e-zone").replaceChildren(...choose,
                                 ...all.map((zone) => el("option", {value: zone, text: zone.replaceAll("_", " ")})));
  byId("e-zone").value = hereZone;
})();

// Empty answers are left out, so the API names them as required.
function payload() {
  const optional = (target, key, id) => { if (value(id)) target[key] = value(id); };
  // The language alone: its dates are written in the firm's region (DefaultLocale), es with en-US being es-US.
  const candidate = {time_zone: byId("e-zone").value, locale: byId("e-language").value};
  optional(candidate, "name", "e-name");
  optional(candidate, "email", "e-email");
  optional(candidate, "phone", "e-phone");
  const interviewer = {};
  optional(interviewer, "name", "e-interviewer");
  optional(interviewer, "title", "e-title");
  const channels = [...enrolForm.querySelectorAll('input[name="channels"]:checked')].map((box) => box.value);
  const body = {candidate, channels, sms_consent: byId("e-consent").checked, interviewer};
  optional(body, "company", "e-company");
  optional(body, "role", "e-role");
  optional(body, "interview_at", "e-at");
  const days = value("e-days");
  if (days) body.expected_decision_days = /^[0-9]+$/.test(days) ? Number(days) : days;
  return body;
}

function clearErrors() {
  for (const p of enrolForm.querySelectorAll(".field-error")) { p.textContent = ""; p.hidden = true; }
  for (const c of enrolForm.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  summary.hidden = true;
  summary.querySelector("ul").replaceChildren();
}

// The control that answers for an API field path: "candidate.email" itself, "channels.0" its "channels".
function controlFor(path) {
  let parts = String(path || "").split(".");
  while (parts.length) {
    const control = enrolForm.querySelector('[data-field="' + CSS.escape(parts.join(".")) + '"]');
    if (control) return control;
    parts = parts.slice(0, -1);
  }
  return null;
}

function sentence(label, message) {
  let text = String(message || "is invalid").replace(/^Value error, /, "");
  if (text === "Field required" || /^String should have at least 1 character/.test(text)) return label + " is required.";
  if (/^(is|must|should|may) /.test(text)) text = label + " " + text;
  else text = label + ": " + text;
  return /[.!?]$/.test(text) ? text : text + ".";
}

function showErrors(data) {
  const errors = data && Array.isArray(data.errors) ? data.errors : [];
  const list = summary.querySelector("ul");
  for (const error of errors) {
    const control = controlFor(error.field);
    const text = sentence(control ? control.dataset.name : words(error.field), error.message);
    if (control) {
      const p = enrolForm.querySelector('[data-error-for="' + CSS.escape(control.dataset.field) + '"]');
      if (p) { p.textContent = text; p.hidden = false; }
      control.setAttribute("aria-invalid", "true");
      const target = control.matches("fieldset") ? control.querySelector("input") : control;
      const link = el("a", {href: "#" + target.id, text});
      link.addEventListener("click", (event) => { event.preventDefault(); target.focus(); });
      list.append(el("li", {}, link));
    } else {
      list.append(el("li", {text}));
    }
  }
  if (!errors.length) list.append(el("li", {text: (data && data.message) || "Something went wrong. Please try again."}));
  summary.hidden = false;
  summary.focus();
}

enrolForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  const body = payload();
  if (body.channels.includes("sms") && !body.sms_consent) {
    showErrors({errors: [{field: "sms_consent", message: "must be ticked to send text messages"}]});
    return;
  }
  byId("enrol-submit").disabled = true;
  say("Enrolling...");
  const answer = await api("POST", "/firm/interviews", {body, headers: {"Idempotency-Key": enrolKey}});
  byId("enrol-submit").disabled = false;
  if (answer.status === 401) return;
  if (answer.status !== 202) { say(""); showErrors(answer.data); return; }
  const sentTo = (answer.data.confirmations_sent_to || []).map((c) => words(c.channel) + " " + c.destination).join(", ");
  enrolForm.reset();
  byId("e-zone").value = hereZone;
  enrolKey = newKey();
  const message = "Enrolled " + body.candidate.name + ": a confirmation went to " + (sentTo || "the candidate") + ".";
  document.dispatchEvent(new CustomEvent("firm:enrolled", {detail: message}));
});

// ---- CSV import ----------------------------------------------------------------------------------

function rowResult(row) {
  if (row.status === "created") {
    const opener = el("button", {type: "button", class: "link", text: "Created: open it"});
    opener.addEventListener("click", () => document.dispatchEvent(new CustomEvent("firm:open", {detail: row.id})));
    return el("td", {}, opener);
  }
  const errors = (row.errors || []).map((e) => (e.column ? e.column + ": " : "") + e.message);
  return el("td", {class: "refused"}, el("strong", {text: "Refused"}), errors.length ? " (" + errors.join("; ") + ")" : "");
}

byId("import-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = byId("import-file").files[0];
  if (!file) { showError("import-error", "Choose a CSV file first."); return; }
  showError("import-error", "");
  byId("import-submit").disabled = true;
  say("Importing " + file.name + "...");
  // A long file is answered in parts (202, status partial): the same file again goes on where the last part
  // stopped; each row is imported once, however often the file is sent.
  const text = await file.text();
  let answer = await api("POST", "/firm/interviews:import", {body: text, contentType: "text/csv"});
  for (let parts = 1; answer.status === 202 && parts < 100; parts += 1) {
    say("Importing " + file.name + ": " + answer.data.rows.length + " of " + answer.data.total + " rows done...");
    answer = await api("POST", "/firm/interviews:import", {body: text, contentType: "text/csv"});
  }
  byId("import-submit").disabled = false;
  if (answer.status === 401) return;
  if (answer.status !== 200) { say(""); showError("import-error", failure(answer)); return; }
  const result = answer.data;
  byId("import-rows").replaceChildren(...(result.rows || []).map((row) =>
    el("tr", {"data-status": row.status}, el("td", {text: String(row.row)}), rowResult(row))));
  byId("import-summary").textContent = result.created + " created, " + result.refused + " refused.";
  byId("import-results").hidden = false;
  byId("import-summary").focus();
  say(byId("import-summary").textContent);
});

// ---- the report (admins) -------------------------------------------------------------------------

function isoDay(date) {
  return [date.getFullYear(), String(date.getMonth() + 1).padStart(2, "0"), String(date.getDate()).padStart(2, "0")].join("-");
}
(function thisMonth() {
  const today = new Date();
  byId("report-from").value = isoDay(new Date(today.getFullYear(), today.getMonth(), 1));
  byId("report-to").value = isoDay(today);
})();

function period() {
  const from = value("report-from");
  const to = value("report-to");
  if (!from || !to) { showError("report-error", "Choose both dates."); return null; }
  showError("report-error", "");
  return {from, to, query: "?" + new URLSearchParams({from, to})};
}

// The JSON report, whatever its shape: objects as term lists, lists of objects as tables, numbers as they are.
function rendered(data) {
  if (Array.isArray(data)) {
    if (!data.length) return el("p", {text: "None."});
    if (data.every((row) => row && typeof row === "object" && !Array.isArray(row))) {
      const columns = Array.from(new Set(data.flatMap(Object.keys)));
      return el("div", {class: "scroll"}, el("table", {},
        el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", {scope: "col", text: words(c)})))),
        el("tbody", {}, ...data.map((row) => el("tr", {}, ...columns.map((c) => el("td", {}, leaf(row[c]))))))));
    }
    return el("p", {text: data.map((x) => leaf(x)).join(", ")});
  }
  if (data && typeof data === "object") {
    return el("dl", {class: "facts"}, ...Object.entries(data).flatMap(([key, v]) =>
      [el("dt", {text: words(key)}), el("dd", {}, v && typeof v === "object" ? rendered(v) : leaf(v))]));
  }
  return el("p", {text: leaf(data)});
}

function leaf(v) {
  if (v && typeof v === "object") return rendered(v);
  return v === null || v === undefined ? "" : String(v);
}

// What the providers told of the messages sent, per channel, what the candidates texted back and whose texts stopped
// (by why), and the firm's email reputation: each rate (of the emails sent) beside the thresholds at which AWS
// reviews the SES account and at which it pauses its sending.
const FEEDBACK = [["delivered", "Delivered"], ["bounced", "Bounced"], ["complained", "Marked as spam"],
                  ["rejected", "Refused by SES"], ["replied", "Replies"], ["stopped.stop", "Stopped: replied STOP"],
                  ["stopped.blocked", "Stopped: carrier blocks"], ["stopped.unreachable", "Stopped: unreachable"]];
const REPORT_CHANNELS = {email: "Email", sms: "Text messages"};
const RATES = [["bounce", "Bounces"], ["complaint", "Spam complaints"]];

function percent(rate) {
  return new Intl.NumberFormat(undefined, {style: "percent", maximumFractionDigits: 3}).format(rate);
}

function feedbackTable(feedback) {
  return el("div", {class: "scroll"}, el("table", {id: "report-feedback"},
    el("caption", {text: "What came back of the messages sent"}),
    el("thead", {}, el("tr", {}, el("th", {scope: "col", text: "Channel"}),
                               ...FEEDBACK.map(([, name]) => el("th", {scope: "col", text: name})))),
    el("tbody", {}, ...Object.entries(feedback).map(([channel, counts]) => el("tr", {"data-channel": channel},
      el("th", {scope: "row", text: REPORT_CHANNELS[channel] || words(channel)}),
      ...FEEDBACK.map(([key]) => el("td", {"data-count": key, text: String(counted(counts, key))})))))));
}

// "stopped.stop": a count inside the channel's stopped counts; none counted is 0.
function counted(counts, key) {
  const found = key.split(".").reduce((at, part) => (at && typeof at === "object" ? at[part] : undefined), counts);
  return typeof found === "number" ? found : 0;
}

// AWS reviews an account at its review rate "or greater", and may pause its sending at the pause rate.
function standing(r) {
  if (r.rate === null || r.rate === undefined) return {text: "No email sent in this period", over: false};
  if (r.rate >= r.paused_at) return {text: "Over the pause threshold: AWS may pause the firm's email", over: true};
  if (r.rate >= r.review_at) return {text: "Over the review threshold: AWS may review the firm's account", over: true};
  return {text: "Below the review threshold", over: false};
}

function ratesTable(rates) {
  return el("div", {class: "scroll"}, el("table", {id: "report-rates"},
    el("caption", {text: "Of the emails sent, and where AWS steps in"}),
    el("thead", {}, el("tr", {}, ...["Rate", "This period", "AWS reviews at", "AWS pauses at", "Standing"]
      .map((name) => el("th", {scope: "col", text: name})))),
    el("tbody", {}, ...RATES.filter(([key]) => rates[key]).map(([key, name]) => {
      const r = rates[key];
      const where = standing(r);
      return el("tr", {"data-rate": key, class: where.over ? "over" : null},
        el("th", {scope: "row", text: name}),
        el("td", {"data-value": "rate", text: r.rate === null || r.rate === undefined ? "none sent" : percent(r.rate)}),
        el("td", {text: percent(r.review_at)}), el("td", {text: percent(r.paused_at)}),
        el("td", {"data-value": "standing"}, where.over ? el("strong", {text: where.text}) : where.text));
    }))));
}

function report(data) {
  const {feedback, rates, ...rest} = data || {};
  const shown = [];
  if (feedback) shown.push(el("h2", {text: "Delivery feedback"}), feedbackTable(feedback));
  if (rates && rates.email) shown.push(el("h2", {text: "Email reputation"}), ratesTable(rates.email));
  if (shown.length) shown.push(el("h2", {text: "Every count"}));
  return [...shown, rendered(rest)];
}

byId("report-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const asked = period();
  if (!asked) return;
  const answer = await api("GET", "/firm/report" + asked.query);
  if (answer.status === 401) return;
  if (answer.status !== 200) { showError("report-error", failure(answer)); return; }
  byId("report-output").replaceChildren(...report(answer.data));
  say("Report from " + asked.from + " to " + asked.to + " shown.");
});

byId("report-csv").addEventListener("click", async () => {
  const asked = period();
  if (!asked) return;
  const answer = await api("GET", "/firm/report" + asked.query, {accept: "text/csv"});
  if (answer.status === 401) return;
  if (!answer.blob) { showError("report-error", failure(answer)); return; }
  const url = URL.createObjectURL(answer.blob);
  const name = "report-" + asked.from + "-to-" + asked.to + ".csv";
  const link = el("a", {href: url, download: name, hidden: true});
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  say("Downloaded " + name + ".");
});
