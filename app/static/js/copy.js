/*
 * Copy buttons: <button data-copy="#field"> copies the field's text to the clipboard and
 * says so in the nearest [data-copy-status]. Where the clipboard is not allowed, the text is
 * selected so that the person can copy it by hand.
 */
(() => {
  "use strict";

  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.querySelector(button.dataset.copy);
    const status = button.closest("div.mb-3, form, main").querySelector("[data-copy-status]");
    if (!field) continue;
    const say = (text) => {
      if (status) status.textContent = text;
    };
    button.addEventListener("click", async () => {
      field.focus();
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        say(button.dataset.copied);
      } catch {
        // Older browsers and some settings refuse the clipboard API; the old command may work.
        const copied = document.execCommand?.("copy");
        say(copied ? button.dataset.copied : button.dataset.copyFailed);
      }
    });
  }
})();
