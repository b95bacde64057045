/*
 * Reviewing a contractor's answers on one page: each answer's mark is saved in the background
 * and its card redrawn from the server's answer. Without this script each form posts and
 * the page comes back at the answer.
 */
(() => {
  "use strict";

  const section = document.querySelector("section[aria-labelledby=review-heading]");
  if (!section || !window.fetch || !window.ddcheckFragments) return;
  const counter = section.querySelector("[data-unmarked]");

  section.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form[data-review-form]")) return;
    event.preventDefault();
    const card = form.closest("[data-question]");
    const wasMarked = card.hasAttribute("data-marked");
    form.querySelector("button[type=submit]").disabled = true;
    const html = await window.ddcheckFragments.post(form);
    if (html === null) return;
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const fresh = holder.firstElementChild;
    card.replaceWith(fresh);
    if (counter && !wasMarked && fresh.hasAttribute("data-marked")) {
      const left = Math.max(0, Number(counter.dataset.unmarked) - 1);
      counter.dataset.unmarked = String(left);
      counter.textContent = counter.textContent.replace(/\d+/, String(left));
    }
    const invalid = fresh.querySelector("[aria-invalid=true]");
    (invalid || fresh.querySelector("button[type=submit]")).focus();
  });
})();
