// Helpers both pages load before their own script: the page's words in its language, DOM building with textContent,
// API calls, dates in a zone, field errors. A classic script, so its top-level names are the page's globals; the
// pages' modules use these:
/* exported t, tn, N_, pageLanguage, pageLocale, inList, el, formatDate, callApi, humanMessage, clearErrors, showErrors,
   newKey */
"use strict";

// ---- words: every sentence a script shows is a message id of the ``pages`` catalogue, looked up in the page's
// language. The words.<language>.<hash>.js the page loads first sets WORDS (followup.api.pages); an English page has
// none, and a message id is its own English. Placeholders are named, as in Python: "%(name)s", and "%%" is a "%".
const WORDS = globalThis.WORDS || {language: "en", messages: {}, plural: (n) => (n === 1 ? 0 : 1)};

function formatted(text, values) {
  if (!values) return text;
  return text.replace(/%(?:\((\w+)\)s|%)/g, (found, name) => {
    if (!name) return "%";
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : found;
  });
}

function t(message, values) {
  const translated = WORDS.messages[message];
  return formatted(typeof translated === "string" && translated ? translated : message, values);
}

// A sentence about n things: the form the language's plural rule picks (values also get n as "%(n)s").
function tn(singular, plural, n, values) {
  const forms = WORDS.messages[singular];
  const text = Array.isArray(forms) && forms[WORDS.plural(n)] ? forms[WORDS.plural(n)] : (n === 1 ? singular : plural);
  return formatted(text, Object.assign({n}, values || {}));
}

// Marks a message id kept in a table for the catalogue; t() translates it where it is shown.
function N_(message) { return message; }

// The page's language ("en", "es"), as the server wrote it on <html lang>.
function pageLanguage() { return document.documentElement.lang || "en"; }

// The locale the page writes dates in: the candidate's (the view's "es-MX") when it speaks the page's language,
// else the page's language in the candidate's region (an English page for "fr-CA" writes "en-CA" dates).
function pageLocale(tag) {
  const language = pageLanguage();
  if (!tag) return language;
  try {
    const given = new Intl.Locale(tag);
    if (given.language === language) return given.toString();
    return given.region ? language + "-" + given.region : language;
  } catch (err) {
    return language;
  }
}

// "email and text message", "correo y mensaje de texto": a list as the page's language writes one.
function inList(items) {
  try {
    return new Intl.ListFormat(pageLanguage(), {style: "long", type: "conjunction"}).format(items);
  } catch (err) {
    return items.join(", ");
  }
}
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

// A moment in the candidate's zone, in the page's language (in the candidate's region when known: pageLocale).
const FULL_DATE = {dateStyle: "full", timeStyle: "short"};
function formatDate(iso, zone, options, locale) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(pageLocale(locale), Object.assign({timeZone: zone}, options || FULL_DATE))
      .format(moment);
  } catch (err) {
    return moment.toLocaleString();
  }
}

async function callApi(method, path, {token, body, headers} = {}) {
  // The page's language, so an error comes back in the words the page speaks (functions/api/current.py).
  const sent = Object.assign({"Accept": "application/json", "Accept-Language": document.documentElement.lang || "en"},
                             headers || {});
  if (token) sent["Authorization"] = "Bearer " + token;
  if (body !== undefined) sent["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body),
                                  credentials: "omit", cache: "no-store"});
  } catch (err) {
    return {status: 0, data: {message: t("The service could not be reached. Check your connection and try again.")}};
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try { data = JSON.parse(text); } catch (err) { data = {message: t("Unexpected answer from the service.")}; }
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

// What the API's validators say, in the words a candidate uses. Each is a whole sentence with the field's label in it
// (``label``: "Email"), so a language may put the label where it goes; without a label, the sentence for none.
const PLAIN_WORDS = [
  [/^(Field required|String should have at least 1 character)/,
   (m, label) => label ? t("%(label)s is required", {label}) : t("Is required")],
  [/^Input should be less than or equal to (\d+)/,
   (m, label) => label ? t("%(label)s must be %(n)s or less", {label, n: m[1]}) : t("Must be %(n)s or less", {n: m[1]})],
  [/^Input should be greater than or equal to (\d+)/,
   (m, label) => label ? t("%(label)s must be %(n)s or more", {label, n: m[1]}) : t("Must be %(n)s or more", {n: m[1]})],
  [/^Input should be a valid (integer|number)/,
   (m, label) => label ? t("%(label)s must be a whole number", {label}) : t("Must be a whole number")],
  [/^String should have at most (\d+) characters?/, (m, label) => label
    ? t("%(label)s is too long: %(n)s characters at most", {label, n: m[1]})
    : t("Is too long: %(n)s characters at most", {n: m[1]})],
  [/valid email address/i, (m, label) => label
    ? t("%(label)s must be an email address such as name@example.com", {label})
    : t("Must be an email address such as name@example.com")],
  [/E\.164|valid phone number/i, (m, label) => label
    ? t("%(label)s must be a mobile number we can text", {label}) : t("Must be a mobile number we can text")],
  [/^is required when channels include email/, (m, label) => label
    ? t("%(label)s is needed for reminders by email", {label}) : t("Is needed for reminders by email")],
  [/^is required when channels include sms/, (m, label) => label
    ? t("%(label)s is needed for text messages", {label}) : t("Is needed for text messages")],
  [/^must be true when channels include sms/, (m, label) => label
    ? t("%(label)s must be ticked to get text messages", {label}) : t("Must be ticked to get text messages")],
  [/IANA time zone/, (m, label) => label
    ? t("%(label)s must be a time zone from the list", {label}) : t("Must be a time zone from the list")],
  [/^List should have at least 1 item/, (m, label) => label
    ? t("%(label)s needs at least one way to remind you", {label}) : t("Needs at least one way to remind you")],
  [/^(Input should be a valid datetime|must be a date and time in ISO 8601)/, (m, label) => label
    ? t("%(label)s must be a date and a time", {label}) : t("Must be a date and a time")],
  [/^(can't contain a web address or a link)$/, (m, label) => label
    ? t("%(label)s can't contain a web address or a link", {label}) : t("Can't contain a web address or a link")],
  [/^(can't contain an IP address)$/, (m, label) => label
    ? t("%(label)s can't contain an IP address", {label}) : t("Can't contain an IP address")],
  [/^must be 200 characters or fewer$/, (m, label) => label
    ? t("%(label)s must be 200 characters or fewer", {label}) : t("Must be 200 characters or fewer")],
];

// A message of the API or of the page's own checks as a sentence: the plain words above when one fits (its label in
// it), else the message as it came (the API's own words are already the candidate's: their language is the API's),
// after the label when it reads as the rest of a sentence about the field.
function humanMessage(label, message) {
  if (!message) return label ? t("%(label)s is invalid.", {label}) : t("Is invalid.");
  let text = String(message).replace(/^Value error, /, "");
  let matched = false;
  for (const [pattern, words] of PLAIN_WORDS) {
    const match = pattern.exec(text);
    if (match) { text = words(match, label); matched = true; break; }
  }
  if (!matched && /^(is|must|should|may|needs|can't) /.test(text) && label) text = label + " " + text;
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
  if (!errors.length) list.append(el("li", {text: (data && data.message) || t("Something went wrong. Please try again.")}));
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
