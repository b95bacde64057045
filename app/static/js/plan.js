/*
 * The action plan on one page: each row's form is saved in the background and the row is
 * redrawn from the server's answer (its status, errors beside the fields, the done form).
 * Without this script each row's form posts as a plain form and the page comes back.
 */
(() => {
  "use strict";

  const table = document.querySelector("table.plan-table");
  if (!table || !window.fetch || !window.ddcheckFragments) return;

  table.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form[data-plan-row]")) return;
    event.preventDefault();
    const row = form.closest("tr");
    const button = form.querySelector("button[type=submit]");
    const status = form.querySelector("[data-row-status]");
    button.disabled = true;
    const html = await window.ddcheckFragments.post(form);
    if (html === null) return;
    const holder = document.createElement("tbody");
    holder.innerHTML = html;
    const fresh = holder.querySelector("tr");
    row.replaceWith(fresh);
    const invalid = fresh.querySelector("[aria-invalid=true], fieldset[aria-describedby] input");
    if (invalid) {
      invalid.focus();
    } else {
      const next = fresh.querySelector("form[data-plan-row] button[type=submit]");
      if (next) next.focus();
    }
    if (status) status.textContent = "";
  });
})();
