// The firm's page at /firm/: sign in with Cognito (InitiateAuth over fetch), then the recruiter's list of
// interviews, one interview's detail and actions, enrolment, CSV import and, for admins, the report.
// The ID token lives in sessionStorage (gone with the tab) and goes to the API as Authorization: Bearer.
// Everything is built with textContent: no HTML from the API is ever parsed. A classic script whose top-level names
// are globals for firm_views.js (the sections); a sign-in tells it with a "firm:signed-in" event on the document.
/* exported byId, say, showError, formatMoment, words, api, failure, show, toSignIn, currentToken */
"use strict";

const main = document.getElementById("main");
const CLIENT_ID = main.dataset.clientId || "";
const IDP = main.dataset.idpEndpoint || "";
const TOKEN_KEY = "firm.idToken";
const statusLine = document.getElementById("status");

if (main.dataset.brandColour) document.documentElement.style.setProperty("--accent", main.dataset.brandColour);

// ---- small helpers -------------------------------------------------------------------------------

function byId(id) { return document.getElementById(id); }

function say(text) { statusLine.textContent = ""; window.setTimeout(() => { statusLine.textContent = text; }, 30); }

function showError(id, text) { const p = byId(id); p.textContent = text || ""; p.hidden = !text; }

function formatMoment(iso, zone, withTime = true) {
  const moment = new Date(iso);
  if (!iso || Number.isNaN(moment.getTime())) return iso || "";
  const style = withTime ? {dateStyle: "medium", timeStyle: "short"} : {dateStyle: "medium"};
  try { return new Intl.DateTimeFormat(undefined, {...style, timeZone: zone || undefined}).format(moment); }
  catch (err) { return moment.toLocaleString(); }
}

function words(code) { return String(code || "").replaceAll("_", " "); }

// ---- the session: the ID token in sessionStorage -------------------------------------------------

// The token as kept; its expiry is the API's to judge (a 401 brings the sign-in back), not this device's clock.
function currentToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

let challenge = null;  // {session, username} while Cognito asks for a new password

async function cognito(action, body) {
  let response;
  try {
    response = await fetch(IDP, {method: "POST", credentials: "omit", cache: "no-store", body: JSON.stringify(body),
      headers: {"Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "AWSCognitoIdentityProviderService." + action}});
  } catch (err) {
    return {error: "The sign-in service could not be reached. Check your connection and try again."};
  }
  let data = {};
  try { data = await response.json(); } catch (err) { data = {}; }
  if (response.ok) return {data};
  const kind = String(data.__type || "").split("#").pop();
  const known = {
    NotAuthorizedException: "Wrong email or password.",
    UserNotFoundException: "Wrong email or password.",
    UserNotConfirmedException: "This account is not confirmed yet; ask your admin.",
    PasswordResetRequiredException: "Your password must be reset; ask your admin.",
    TooManyRequestsException: "Too many attempts. Wait a minute and try again.",
    LimitExceededException: "Too many attempts. Wait a minute and try again.",
    InvalidPasswordException: "That password is too weak: " + (data.message || "choose a longer one") + ".",
    CodeMismatchException: "The sign-in took too long. Start again.",
    ExpiredCodeException: "The sign-in took too long. Start again.",
  };
  return {error: known[kind] || "Sign-in failed. Please try again."};
}

function signedIn(result) {
  const token = result && result.AuthenticationResult && result.AuthenticationResult.IdToken;
  if (!token) return false;
  sessionStorage.setItem(TOKEN_KEY, token);
  return true;
}

function show(viewId) {
  for (const id of ["signin-view", "newpassword-view"]) byId(id).hidden = id !== viewId;
  byId("app").hidden = viewId !== "app";
  byId("who").hidden = viewId !== "app";
}

function toSignIn(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  challenge = null;
  show("signin-view");
  byId("signin-password").value = "";
  showError("signin-error", message || "");
  if (!CLIENT_ID || !IDP) showError("signin-error", "Sign-in is not set up on this deployment.");
  byId("signin-title").focus();
}

byId("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const username = byId("signin-email").value.trim();
  const password = byId("signin-password").value;
  if (!username || !password) { showError("signin-error", "Enter your email and your password."); return; }
  showError("signin-error", "");
  say("Signing in...");
  const answer = await cognito("InitiateAuth", {AuthFlow: "USER_PASSWORD_AUTH", ClientId: CLIENT_ID,
                                                AuthParameters: {USERNAME: username, PASSWORD: password}});
  byId("signin-password").value = "";
  if (answer.error) { say(""); showError("signin-error", answer.error); byId("signin-email").focus(); return; }
  if (answer.data.ChallengeName === "NEW_PASSWORD_REQUIRED") {
    challenge = {session: answer.data.Session, username};
    byId("newpassword-username").value = username;  // for password managers
    show("newpassword-view");
    say("Choose a new password.");
    byId("newpassword-title").focus();
    return;
  }
  if (!signedIn(answer.data)) { showError("signin-error", "Sign-in failed. Please try again."); return; }
  signedInNow();
});

byId("newpassword-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const password = byId("newpassword").value;
  if (password !== byId("newpassword-again").value) {
    showError("newpassword-error", "The two passwords differ."); return;
  }
  const answer = await cognito("RespondToAuthChallenge", {ChallengeName: "NEW_PASSWORD_REQUIRED", ClientId: CLIENT_ID,
    Session: challenge && challenge.session,
    ChallengeResponses: {USERNAME: challenge && challenge.username, NEW_PASSWORD: password}});
  byId("newpassword").value = byId("newpassword-again").value = "";
  if (answer.error) { showError("newpassword-error", answer.error); return; }
  showError("newpassword-error", "");
  if (!signedIn(answer.data)) { toSignIn("Sign-in failed. Please try again."); return; }
  signedInNow();
});

byId("sign-out").addEventListener("click", () => {
  if (window.location.hash) window.history.replaceState(null, "", window.location.pathname + window.location.search);
  toSignIn("");
  say("You are signed out.");
});

function signedInNow() { document.dispatchEvent(new CustomEvent("firm:signed-in")); }

// ---- the API -------------------------------------------------------------------------------------

// One call to the firm's API with the ID token. A 401 (no token, or an expired one) goes back to sign-in.
async function api(method, path, {body, contentType, accept, headers: extra} = {}) {
  const token = currentToken();
  if (!token) { toSignIn("Your session ended. Please sign in again."); return {status: 401, data: null}; }
  const headers = {...(extra || {}), "Accept": accept || "application/json", "Authorization": "Bearer " + token};
  if (body !== undefined) headers["Content-Type"] = contentType || "application/json";
  let response;
  try {
    response = await fetch(path, {method, headers, credentials: "omit", cache: "no-store",
      body: body === undefined ? undefined : (contentType ? body : JSON.stringify(body))});
  } catch (err) {
    return {status: 0, data: {message: "The service could not be reached. Check your connection and try again."}};
  }
  if (response.status === 401) { toSignIn("Your session ended. Please sign in again."); return {status: 401, data: null}; }
  if (accept && accept !== "application/json" && response.ok) return {status: response.status, blob: await response.blob()};
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (err) { data = {message: "Unexpected answer from the service."}; }
  return {status: response.status, data};
}

function failure(answer) {
  if (answer.status === 403) return "Only an admin may do this.";
  if (answer.status === 404) return "Not found: it may belong to another recruiter.";
  const data = answer.data || {};
  const details = (data.errors || []).map((e) => words(e.field) + ": " + e.message).join("; ");
  return (data.message || "Something went wrong. Please try again.") + (details ? " (" + details + ")" : "");
}
