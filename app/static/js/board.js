/*
 * The workshop board: htmx fetches its live part from the server every few seconds (the
 * data-hx-* attributes of #board-live); the part of a closed workshop has no trigger, and the
 * fetching ends. This script sets htmx up for the site's content security policy (no inline
 * style, no eval) and holds the fetch back while the tab is hidden. The page is complete
 * without scripts.
 */
(() => {
  "use strict";

  const htmx = window.htmx;
  if (!htmx) return;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.allowEval = false;
  htmx.config.allowScriptTags = false;

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (document.visibilityState === "hidden" && event.target.id === "board-live") {
      event.preventDefault();
    }
  });
})();
