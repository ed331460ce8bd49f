// The candidate's page, step by step: what each status means in words a person reads at a glance, the page's
// headline for the interview's state, and each step's guide (what the nudge says: the drafts with a copy button,
// the don'ts). A classic script loaded after common.js; manage.js uses these names.
/* exported STEP_LABELS, stepLabel, shortDate, headline, timelineItem, inTimeOrder, zoneLabel, wordsKeptWhole,
   channelNames */
/* global el, formatDate */
"use strict";
const STEP_LABELS = {
  thank_you_note: "Thank-you card to your interviewer",
  check_in: "Check in: say you are still interested",
  decision_thank_you: "Thank-you card after the decision",
};
const SHORT_DATE = {weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit"};
const CHANNEL_WORDS = {email: "email", sms: "text message"};
const NOT_SENT = {
  opted_out: {sms: "you unsubscribed from texts", email: "you unsubscribed from these emails"},
  no_consent: {sms: "texts need your consent", email: "no consent"},
  unverified: {sms: "this phone number is not confirmed yet", email: "this email address is not confirmed yet"},
};

function stepLabel(step) { return STEP_LABELS[step] || step; }

function channelNames(channels) { return channels.map((c) => CHANNEL_WORDS[c] || c).join(" and "); }

function shortDate(iso, view) { return formatDate(iso, view.candidate.time_zone, SHORT_DATE, view.candidate.locale); }

// A hyphenated word (follow-ups, thank-you) is kept on one line: a narrow screen never splits it at its hyphen.
function wordsKeptWhole(text) {
  return String(text).split(/(\S+-\S+)/).filter(Boolean)
    .map((part) => /\S-\S/.test(part) ? el("span", {class: "nowrap", text: part}) : document.createTextNode(part));
}

// "New York (Eastern Time, GMT-5)": the zone by its city and its name and offset, in the page's language.
function zoneLabel(zone, locale) {
  const city = zone.split("/").pop().replaceAll("_", " ");
  const name = (style) => {
    try {
      const parts = new Intl.DateTimeFormat(locale || undefined, {timeZone: zone, timeZoneName: style})
        .formatToParts(new Date());
      return (parts.find((p) => p.type === "timeZoneName") || {}).value || "";
    } catch (err) { return ""; }
  };
  const words = [name("longGeneric"), name("shortOffset")].filter((w, i, all) => w && all.indexOf(w) === i);
  return words.length ? city + " (" + words.join(", ") + ")" : city;
}

// What became of a step, in words: {text, kind} where kind is what it looks like (sent, due, off, bad).
function stepStatus(followUp, view) {
  const when = shortDate(followUp.due_at, view);
  switch (followUp.status) {
    case "planned": return {text: "Reminder planned for " + when + ": it starts once you confirm", kind: "due"};
    case "scheduled": return {text: "Reminder due " + when, kind: "due"};
    case "done": return {text: "You marked it done", kind: "sent"};
    case "skipped": return {text: followUp.step === "thank_you_note"
      ? "Skipped: a card is for the first three days after the interview" : "Skipped: its moment had passed", kind: "off"};
    case "failed": return {text: "Could not be sent: mark it done once you have done it", kind: "bad"};
    case "cancelled":
      if (view.status === "cancelled") return {text: "Cancelled: no more reminders", kind: "off"};
      if (view.decision && followUp.step !== "decision_thank_you") {
        return {text: "Not needed: the decision came first", kind: "off"};
      }
      return {text: "Cancelled", kind: "off"};
    case "sent": return sentStatus(followUp, view);
    default: return {text: followUp.status, kind: "off"};
  }
}

// A step's reminder reads as sent only when it went out on some channel; a skipped channel says why.
function sentStatus(followUp, view) {
  const deliveries = Object.entries(followUp.deliveries || {});
  const sent = deliveries.filter(([, d]) => d.status !== "skipped");
  const skipped = deliveries.filter(([, d]) => d.status === "skipped");
  const why = ([channel, d]) => (NOT_SENT[d.reason] || {})[channel] || "it was skipped";
  if (deliveries.length && !sent.length) {
    return {text: "Not sent: " + skipped.map(why).join("; "), kind: "bad"};
  }
  const at = (sent[0] && sent[0][1].at) || followUp.due_at;
  let text = "Reminder sent " + shortDate(at, view);
  if (skipped.length) {
    text += " by " + channelNames(sent.map(([c]) => c)) + ". Not sent by " + channelNames(skipped.map(([c]) => c)) +
            ": " + skipped.map(why).join("; ");
  }
  return {text, kind: "sent"};
}

function inTimeOrder(followUps) {
  return [...followUps].sort((a, b) => new Date(a.due_at) - new Date(b.due_at));
}

// The page's headline: where the interview stands, in one sentence.
function headline(view) {
  const pending = inTimeOrder(view.follow_ups).filter((f) => f.status === "scheduled");
  switch (view.status) {
    case "awaiting_confirmation": return "Waiting for your confirmation: no reminder is sent before it.";
    case "cancelled": return "Cancelled: no more messages will be sent.";
    case "decided": {
      const what = view.decision.outcome === "offer" ? "an offer. Congratulations!" : "not selected this time.";
      const card = view.follow_ups.find((f) => f.step === "decision_thank_you");
      const after = card && card.status === "scheduled" ? " Your thank-you card reminder comes " +
        shortDate(card.due_at, view) + "." : "";
      return "Decision recorded: " + what + after;
    }
    default:
      if (pending.length) {
        return "Your reminders are running: next, " + stepLabel(pending[0].step).toLowerCase() + ", " +
               shortDate(pending[0].due_at, view) + ".";
      }
      if (view.follow_ups.some((f) => f.status === "sent" && sentStatus(f, view).kind !== "sent")) {
        return "No reminder is left to come. Record the decision here once they tell you.";
      }
      return "All your reminders went out. Record the decision here once they tell you.";
  }
}

function copyByHand(text) {
  const area = el("textarea", {readonly: true, class: "offscreen", "aria-hidden": "true", tabindex: "-1"});
  area.value = text;
  document.body.append(area);
  area.select();
  let copied = false;
  try { copied = document.execCommand("copy"); } catch (err) { copied = false; }
  area.remove();
  return copied;
}

async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return true; }
  } catch (err) { /* a refused permission: try the older way */ }
  return copyByHand(text);
}

function draftBlock(draft) {
  const meta = el("dl", {class: "draft-meta"});
  const line = (term, value) => { if (value) meta.append(el("dt", {text: term}), el("dd", {text: value})); };
  line("To", draft.to);
  line("Subject", draft.subject);
  line("On the envelope", draft.envelope);
  const said = el("span", {class: "copy-status", role: "status", "aria-live": "polite"});
  const button = el("button", {type: "button", class: "secondary small", "aria-label": "Copy: " + draft.label}, "Copy");
  const copied = [draft.subject ? "Subject: " + draft.subject + "\n\n" : "", draft.text].join("");
  button.addEventListener("click", async () => {
    const done = await copyText(copied);
    button.focus();
    said.textContent = done ? "Copied" : "Could not copy: select the text and copy it";
    window.setTimeout(() => { said.textContent = ""; }, 4000);
  });
  return el("div", {class: "draft", "data-draft": draft.id, "data-kind": draft.kind},
    el("h4", {}, ...wordsKeptWhole(draft.label)), meta.children.length ? meta : null,
    el("p", {class: "draft-text", text: draft.text}), el("div", {class: "step-actions"}, button, said));
}

function guideBlock(guide) {
  if (!guide) return null;
  const block = el("div", {class: "guide"});
  if (guide.summary) block.append(el("p", {class: "guide-summary", text: guide.summary}));
  for (const draft of guide.drafts || []) block.append(draftBlock(draft));
  if ((guide.donts || []).length) {
    block.append(el("h4", {text: "Don't"}), el("ul", {class: "donts"}, ...guide.donts.map((d) => el("li", {text: d}))));
  }
  return block;
}

// One step's section, reachable as #<step> (an SMS links there): its label, when, its status, its actions, its guide.
function timelineItem(followUp, view, actions) {
  const status = stepStatus(followUp, view);
  return el("li", {id: followUp.step, "data-step": followUp.step, "data-status": followUp.status},
    el("h3", {id: "step-" + followUp.step}, ...wordsKeptWhole(stepLabel(followUp.step))),
    el("time", {datetime: followUp.due_at, text: formatDate(followUp.due_at, view.candidate.time_zone, null,
                                                           view.candidate.locale)}),
    el("p", {class: "status status-" + status.kind, id: "status-" + followUp.step, tabindex: "-1", text: status.text}),
    actions || null, guideBlock(followUp.guide));
}
