// ESLint for the scripts the API serves to browsers (shared/followup/api/static/*.js): `make lint-js`.
// common.js (and steps.js, the manage page's) are classic scripts loaded first, whose top-level names are globals; each page's script is a module that
// names what it uses of them in a `/* global */` comment, and common.js lists what it offers in `/* exported */`.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");
const noUnsanitized = require("eslint-plugin-no-unsanitized");

// The pages build the DOM with textContent only and the CSP forbids eval: none of these may appear.
const HTML_SINKS = ["innerHTML", "outerHTML", "insertAdjacentHTML", "write", "writeln"].map((property) => ({
  property,
  message: "Build the DOM with el()/textContent: what a user typed must never be parsed as HTML.",
}));

module.exports = [
  js.configs.recommended,
  noUnsanitized.configs.recommended,
  {
    files: ["shared/followup/api/static/**/*.js"],
    languageOptions: {ecmaVersion: 2022, globals: globals.browser},
    linterOptions: {reportUnusedDisableDirectives: "error"},
    rules: {
      "eqeqeq": "error",
      "no-undef": "error",
      "no-unused-vars": ["error", {args: "after-used", caughtErrors: "none"}],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
      "no-restricted-properties": ["error", ...HTML_SINKS],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    // The helpers: a classic script, whose top-level names are the page's globals.
    files: ["shared/followup/api/static/common.js", "shared/followup/api/static/steps.js",
            "shared/followup/api/static/firm.js"],
    languageOptions: {sourceType: "script"},
    rules: {"strict": ["error", "global"]},
  },
  {
    // Each page's own script: a module (strict, deferred, its names its own), run after common.js.
    files: ["shared/followup/api/static/form.js", "shared/followup/api/static/manage.js",
            "shared/followup/api/static/firm_views.js", "shared/followup/api/static/firm_forms.js"],
    languageOptions: {sourceType: "module"},
  },
];
