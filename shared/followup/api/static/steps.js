// The candidate's page, step by step: what each status means in words a person reads at a glance, the page's
// headline for the interview's state, and each step's guide (what the nudge says: the drafts with a copy button,
// the don'ts). A classic script loaded after common.js; manage.js uses these names.
/* exported STEP_LABELS, stepLabel, stepInASentence, viewLocale, shortDate, headline, timelineItem, inTimeOrder, zoneLabel, wordsKeptWhole,
   channelNames, stoppedChannels, fixLink */
/* global t, N_, inList, el, formatDate */
"use strict";
// Each table's words are message ids (N_), put in the page's language where they are shown (t).
const STEP_LABELS = {
  thank_you_note: N_("Thank-you card to your interviewer"),
  check_in: N_("Check in: say you are still interested"),
  decision_thank_you: N_("Thank-you card after the decision"),
};
// A step's name inside a sentence ("next, thank-you card to your interviewer, ..."): as a language writes it there.
const STEP_IN_A_SENTENCE = {
  thank_you_note: N_("thank-you card to your interviewer"),
  check_in: N_("check in: say you are still interested"),
  decision_thank_you: N_("thank-you card after the decision"),
};
const SHORT_DATE = {weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit"};
const CHANNEL_WORDS = {email: N_("email"), sms: N_("text message")};
// A channel in a sentence of its own ("Email delivered ..."), where the sentence names the channel first.
const CHANNEL_TITLE_WORDS = {email: N_("Email"), sms: N_("Text message")};
const NOT_SENT = {
  opted_out: {sms: N_("you unsubscribed from texts"), email: N_("you unsubscribed from these emails")},
  no_consent: {sms: N_("texts need your consent"), email: N_("no consent")},
  unverified: {sms: N_("this phone number is not confirmed yet"), email: N_("this email address is not confirmed yet")},
  bounced: {email: N_("this address bounced")},
  complained: {email: N_("you marked our email as spam")},
  stop: {sms: N_("you replied STOP")},
  blocked: {sms: N_("your carrier blocks our texts")},
  unreachable: {sms: N_("your phone could not be reached")},
};
// A channel's reminder went out (on its way, handed over, or accepted by the receiving server); any other state
// says why it did not reach the candidate.
const WENT_OUT = ["sending", "sent", "delivered"];
// "Not emailed: <why>", "Not texted: <why>"; "Not sent: <why>" for a channel this page does not know.
const NOT_BY = {email: N_("Not emailed: %(why)s"), sms: N_("Not texted: %(why)s")};
// Why a channel takes no more reminders, as the headline says it.
const STOPPED = {
  bounced: {email: N_("your email address bounced. Change it below to get them again")},
  complained: {email: N_("you reported our email as spam, so we stopped emailing you")},
  stop: {sms: N_("you replied STOP, so we stopped texting you. To get texts again, reply START to our number, then " +
                 "turn them back on below")},
  blocked: {sms: N_("your carrier blocks our texts")},
  unreachable: {sms: N_("your phone could not be reached")},
};
const TAKES_NO_MORE = {email: N_("this address takes no more"), sms: N_("this number takes no more")};
// Why a text did not reach the phone, as SNS's receipt classed it.
const NOT_DELIVERED = {
  blocked: N_("Not delivered: your carrier blocked it"), unreachable: N_("Not delivered: your phone could not be reached"),
  opted_out: N_("Not delivered: this number opted out of texts"),
};
const NOT_DELIVERED_BY = {
  blocked: N_("%(channel)s not delivered: your carrier blocked it"),
  unreachable: N_("%(channel)s not delivered: your phone could not be reached"),
  opted_out: N_("%(channel)s not delivered: this number opted out of texts"),
};

function stepLabel(step) { return STEP_LABELS[step] ? t(STEP_LABELS[step]) : step; }

function stepInASentence(step) { return STEP_IN_A_SENTENCE[step] ? t(STEP_IN_A_SENTENCE[step]) : step; }

function channelWord(channel) { return CHANNEL_WORDS[channel] ? t(CHANNEL_WORDS[channel]) : channel; }

function channelNames(channels) { return inList(channels.map(channelWord)); }

// The view's locale (the interview's language in the candidate's region), which the page's language is.
function viewLocale(view) { return (view.display && view.display.locale) || view.candidate.locale; }

function shortDate(iso, view) { return formatDate(iso, view.candidate.time_zone, SHORT_DATE, viewLocale(view)); }

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
    case "planned":
      return comingStatus(followUp, t("Reminder planned for %(when)s: it starts once you confirm", {when}), view);
    case "scheduled": return comingStatus(followUp, t("Reminder due %(when)s", {when}), view);
    case "done": return {text: followUp.done_by === "reply" ? t("Marked done by your reply") : t("You marked it done"),
                         kind: "sent"};
    case "skipped": return {text: followUp.step === "thank_you_note"
      ? t("Skipped: a card is for the first three days after the interview") : t("Skipped: its moment had passed"),
                            kind: "off"};
    case "failed": return {text: t("Could not be sent: mark it done once you have done it"), kind: "bad"};
    case "cancelled":
      if (view.status === "cancelled") return {text: t("Cancelled: no more reminders"), kind: "off"};
      if (view.decision && followUp.step !== "decision_thank_you") {
        return {text: t("Not needed: the decision came first"), kind: "off"};
      }
      return {text: t("Cancelled"), kind: "off"};
    case "sent": return sentStatus(followUp, view);
    default: return {text: followUp.status, kind: "off"};
  }
}

// A step still to come names each channel it will skip (one that bounced, was marked as spam, or a number that replied
// STOP or that the carrier blocks or cannot reach); with every chosen
// channel skipped, the reminder reaches nobody.
function comingStatus(followUp, text, view) {
  const skipped = Object.entries(followUp.deliveries || {}).filter(([, d]) => d.status === "skipped");
  if (!skipped.length) return {text, kind: "due"};
  const nowhere = view.channels.every((c) => skipped.some(([channel]) => channel === c));
  return {text: [text, ...skipped.map(skippedWords)].join(". "), kind: nowhere ? "bad" : "due"};
}

const NOT_SENT_BY_ANY = N_("Not sent: %(why)s");  // a channel this page does not know

function skippedWords([channel, d]) {
  const reason = (NOT_SENT[d.reason] || {})[channel];
  const why = reason ? t(reason) : t("it was skipped");
  return t(NOT_BY[channel] || NOT_SENT_BY_ANY, {why});
}

// The channels that take no more reminders of this interview, and why (bounced, complained; for texts stop, blocked,
// unreachable): the API shows each, on
// every step still to come, as skipped with that reason.
function stoppedChannels(view) {
  const stopped = {};
  for (const f of view.follow_ups.filter((step) => ["planned", "scheduled"].includes(step.status))) {
    for (const [channel, d] of Object.entries(f.deliveries || {})) {
      if (d.status === "skipped" && STOPPED[d.reason]) stopped[channel] = d.reason;
    }
  }
  return stopped;
}

// A step's reminder reads as sent only when it went out on some channel; each channel that it did not reach says why,
// in a sentence of its own: "Delivered Fri, Nov 27, 9:02 AM by email. Not texted: you unsubscribed from texts".
// A bounce ends with the way to fix it (``fix``: the channel whose address to update); with several channels, each
// sentence about one of them names it.
function sentStatus(followUp, view) {
  const deliveries = Object.entries(followUp.deliveries || {});
  const out = deliveries.filter(([, d]) => WENT_OUT.includes(d.status));
  const missed = deliveries.filter(([, d]) => !WENT_OUT.includes(d.status));
  // With several channels, a sentence about one of them names it first: the words of each kind of sentence both ways.
  const several = deliveries.length > 1;
  const named = (channel, alone, withChannel, values) => several
    ? t(withChannel, Object.assign({channel: CHANNEL_TITLE_WORDS[channel] ? t(CHANNEL_TITLE_WORDS[channel]) : channel},
                                   values))
    : t(alone, values);
  const parts = [];
  if (out.length || !deliveries.length) {
    const by = missed.length ? channelNames(out.map(([c]) => c)) : "";
    const delivered = out.filter(([, d]) => d.status === "delivered" && d.delivered_at);
    if (out.length === 1 && delivered.length === 1) {
      const when = shortDate(delivered[0][1].delivered_at, view);
      parts.push(by ? t("Delivered %(when)s by %(channels)s", {when, channels: by}) : t("Delivered %(when)s", {when}));
    } else {
      const when = shortDate((out[0] && out[0][1].at) || followUp.due_at, view);
      parts.push(by ? t("Reminder sent %(when)s by %(channels)s", {when, channels: by})
        : t("Reminder sent %(when)s", {when}));
      for (const [channel, d] of delivered) {
        parts.push(named(channel, N_("Delivered %(when)s"), N_("%(channel)s delivered %(when)s"),
                         {when: shortDate(d.delivered_at, view)}));
      }
    }
    const delayed = out.filter(([, d]) => d.status === "sent" && d.reason === "delayed");
    for (const [channel] of delayed) {
      parts.push(named(channel, N_("Delayed: the receiving server is retrying"),
                       N_("%(channel)s delayed: the receiving server is retrying")));
    }
  }
  let bounced = null;  // last, so that its fix ends the sentence
  for (const [channel, d] of missed) {
    if (d.status === "skipped") {
      parts.push(skippedWords([channel, d]));
    } else if (d.status === "complained") {
      parts.push(t("You reported this email as spam, so we stopped emailing you"));
    } else if (d.status === "bounced") {
      bounced = channel;
    } else if (d.status === "failed" && d.reason === "rejected") {
      parts.push(channel === "sms" ? t("Not texted: our text message service refused to send it")
        : t("Not emailed: our email service refused to send it"));
    } else if (d.status === "failed" && channel === "sms") {  // SNS's receipt: the text did not reach the phone
      parts.push(NOT_DELIVERED[d.reason]
        ? named(channel, NOT_DELIVERED[d.reason], NOT_DELIVERED_BY[d.reason])
        : named(channel, N_("Not delivered"), N_("%(channel)s not delivered")));
    } else {
      const why = t("it could not be delivered");
      parts.push(t(NOT_BY[channel] || NOT_SENT_BY_ANY, {why}));
    }
  }
  if (bounced) {
    parts.push(bounced === "sms"
      ? named(bounced, N_("Bounced: that number does not exist"), N_("%(channel)s bounced: that number does not exist"))
      : named(bounced, N_("Bounced: that address does not exist"),
              N_("%(channel)s bounced: that address does not exist")));
  }
  const reached = out.length > 0 || !deliveries.length;
  const bad = !reached || missed.some(([, d]) => d.status !== "skipped");
  // A cancelled interview has nothing left to update.
  return {text: parts.join(". "), kind: bad ? "bad" : "sent", fix: view.status === "cancelled" ? null : bounced};
}

function inTimeOrder(followUps) {
  return [...followUps].sort((a, b) => new Date(a.due_at) - new Date(b.due_at));
}

// The page's headline: where the interview stands, in one sentence.
function headline(view) {
  const pending = inTimeOrder(view.follow_ups).filter((f) => f.status === "scheduled");
  switch (view.status) {
    case "awaiting_confirmation": return t("Waiting for your confirmation: no reminder is sent before it.");
    case "cancelled": return t("Cancelled: no more messages will be sent.");
    case "decided": {
      const offer = view.decision.outcome === "offer";
      const card = view.follow_ups.find((f) => f.step === "decision_thank_you");
      if (card && card.status === "scheduled") {
        const when = shortDate(card.due_at, view);
        return offer
          ? t("Decision recorded: an offer. Congratulations! Your thank-you card reminder comes %(when)s.", {when})
          : t("Decision recorded: not selected this time. Your thank-you card reminder comes %(when)s.", {when});
      }
      return offer ? t("Decision recorded: an offer. Congratulations!") : t("Decision recorded: not selected this time.");
    }
    default: {
      const stopped = stoppedChannels(view);
      if (pending.length && view.channels.length && view.channels.every((c) => stopped[c])) {
        const why = view.channels.map((c) => {
          const reason = STOPPED[stopped[c]][c] || TAKES_NO_MORE[c];
          return reason ? t(reason) : c;
        }).join("; ");
        return t("No reminder can reach you: %(why)s.", {why});
      }
      if (pending.length) {
        return t("Your reminders are running: next, %(step)s, %(when)s.",
                 {step: stepInASentence(pending[0].step), when: shortDate(pending[0].due_at, view)});
      }
      if (view.follow_ups.some((f) => f.status === "sent" && sentStatus(f, view).kind !== "sent")) {
        return t("No reminder is left to come. Record the decision here once they tell you.");
      }
      return t("All your reminders went out. Record the decision here once they tell you.");
    }
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
  line(t("To"), draft.to);
  line(t("Subject"), draft.subject);
  line(t("On the envelope"), draft.envelope);
  const said = el("span", {class: "copy-status", role: "status", "aria-live": "polite"});
  const button = el("button", {type: "button", class: "secondary small",
                               "aria-label": t("Copy: %(draft)s", {draft: draft.label})}, t("Copy"));
  const copied = [draft.subject ? t("Subject: %(subject)s", {subject: draft.subject}) + "\n\n" : "", draft.text].join("");
  button.addEventListener("click", async () => {
    const done = await copyText(copied);
    button.focus();
    said.textContent = done ? t("Copied") : t("Could not copy: select the text and copy it");
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
    block.append(el("h4", {text: t("Don't")}), el("ul", {class: "donts"}, ...guide.donts.map((d) => el("li", {text: d}))));
  }
  return block;
}

// One step's section, reachable as #<step> (an SMS links there): its label, when, its status, its actions, its guide.
function timelineItem(followUp, view, actions) {
  const status = stepStatus(followUp, view);
  return el("li", {id: followUp.step, "data-step": followUp.step, "data-status": followUp.status, "data-look": status.kind},
    el("h3", {id: "step-" + followUp.step}, ...wordsKeptWhole(stepLabel(followUp.step))),
    el("time", {datetime: followUp.due_at, text: formatDate(followUp.due_at, view.candidate.time_zone, null,
                                                           viewLocale(view))}),
    el("p", {class: "status status-" + status.kind, id: "status-" + followUp.step, tabindex: "-1"},
      status.text, ...fixLink(status.fix)),
    actions || null, guideBlock(followUp.guide));
}

// "Update it": to the page's edit of that channel's address (manage.js opens the edit and puts the focus there).
function fixLink(channel) {
  if (!channel) return [];
  const field = channel === "sms" ? "phone" : "email";
  return [". ", el("a", {href: "#edit-" + field, "data-fix": field,
                         "aria-label": channel === "sms" ? t("Update it: your phone number")
                           : t("Update it: your email address")},
                   t("Update it"))];
}
