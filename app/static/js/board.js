/*
 * The workshop board and projector: htmx fetches their live part from the server every few
 * seconds (the data-hx-* attributes); the part of a closed workshop has no trigger, and the
 * fetching ends. This script sets htmx up for the site's content security policy (no inline
 * style, no eval) and holds the fetching back while the tab is hidden. The pages are complete
 * without scripts.
 */
(() => {
  "use strict";

  const htmx = window.htmx;
  if (!htmx) return;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.allowEval = false;
  htmx.config.allowScriptTags = false;

  // On these pages htmx only polls: nothing is fetched for a tab nobody sees.
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (document.visibilityState === "hidden") event.preventDefault();
  });
})();
