/*
 * After a form comes back with errors, move the focus to the summary of what is wrong, so
 * that a screen reader reads it and a keyboard user starts from its links.
 */
(() => {
  "use strict";
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
