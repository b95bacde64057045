/*
 * Autosave for the answering pages. Each question (a fieldset with data-question) is saved on
 * its own as soon as it changes, with the revision it was based on. The server refuses a save
 * based on an older revision (409): then the question shows a message and a reload button and
 * nothing is overwritten. A refusal (signed out, read-only, submitted, not a valid answer)
 * shows the server's message and is not retried; the typed answer stays in the form. A server
 * error or a lost connection is retried after 1, 2, 4… seconds (at most 30), and says so.
 * Without this script the page's plain form submit saves everything.
 */
(() => {
  "use strict";

  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const csrfToken = form.querySelector("input[name=csrf_token]").value;
  const messages = JSON.parse(document.getElementById("autosave-messages").textContent);
  const pending = new Map(); // question key -> timer
  const inFlight = new Set();
  const retryDelay = new Map(); // question key -> the wait before its next retry (ms)
  const refused = new Set(); // signed out: kept until a save succeeds, so leaving warns
  const FIRST_RETRY = 1000;
  const LONGEST_RETRY = 30000;

  function fieldsetOf(element) {
    return element.closest("fieldset[data-question]");
  }

  function collect(fieldset) {
    const key = fieldset.dataset.question;
    const prefix = `${key}__`;
    const payload = {
      revision: Number(fieldset.dataset.revision || 0),
      value: null,
      na: false,
      na_reason: "",
      comment: "",
      basis: "",
    };
    const ticked = [];
    let isMultiple = false;
    for (const input of fieldset.querySelectorAll("input, textarea, select")) {
      if (!input.name?.startsWith(prefix)) continue;
      const part = input.name.slice(prefix.length);
      if (part === "value") {
        if (input.type === "checkbox") {
          isMultiple = true;
          if (input.checked) ticked.push(input.value);
        } else if (input.type === "radio") {
          if (input.checked) payload.value = input.value;
        } else {
          payload.value = input.value.trim() === "" ? null : input.value;
        }
      } else if (part === "na") {
        payload.na = input.checked;
      } else if (part === "na_reason" || part === "comment") {
        payload[part] = input.value;
      } else if (part === "basis") {
        if (input.checked) payload.basis = input.value;
      }
    }
    if (isMultiple) payload.value = ticked.length ? ticked : null;
    return payload;
  }

  function setStatus(fieldset, text, kind) {
    const status = fieldset.querySelector(".save-status");
    if (!status) return;
    status.textContent = text;
    status.dataset.kind = kind;
    status.classList.toggle("text-danger", kind === "error" || kind === "conflict");
    status.classList.toggle("text-success", kind === "saved");
  }

  // After signing in again (in another tab) the answer is sent again with one click.
  function offerRetry(fieldset) {
    const status = fieldset.querySelector(".save-status");
    if (!status) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-primary ms-2";
    button.textContent = messages.tryAgain;
    button.addEventListener("click", () => schedule(fieldset, 0));
    status.append(button);
  }

  // Server errors and lost connections: wait 1, 2, 4… seconds (at most 30) and say so.
  function retryLater(fieldset) {
    const key = fieldset.dataset.question;
    const delay = retryDelay.get(key) || FIRST_RETRY;
    retryDelay.set(key, Math.min(delay * 2, LONGEST_RETRY));
    schedule(fieldset, delay, false);
    setStatus(fieldset, messages.retrying.replace("%(seconds)s", delay / 1000), "error");
  }

  // A refusal the same request would meet again: the server's message, and no retry.
  function refuse(fieldset, response, body) {
    const key = fieldset.dataset.question;
    retryDelay.delete(key);
    setStatus(fieldset, body.message || messages.notSaved, "error");
    if (response.status === 401) {
      refused.add(key);
      offerRetry(fieldset);
    }
  }

  function showConflict(fieldset, body) {
    const box = fieldset.querySelector(".conflict");
    if (!box) return;
    let text = messages.conflict;
    if (body?.current?.updated_by) {
      text += ` ${messages.changedBy.replace("%s", body.current.updated_by)}`;
    }
    box.querySelector(".conflict-text").textContent = text;
    box.hidden = false;
    fieldset.dataset.conflict = "1";
  }

  function applyVisibility(visible) {
    if (!visible) return;
    for (const fieldset of form.querySelectorAll("fieldset[data-question]")) {
      const key = fieldset.dataset.question;
      if (key in visible) fieldset.hidden = !visible[key];
    }
  }

  // Questions made not applicable by an earlier (gating) answer show the reason instead of
  // their answer controls.
  function applyGates(gated) {
    if (!gated) return;
    for (const fieldset of form.querySelectorAll("fieldset[data-question]")) {
      const key = fieldset.dataset.question;
      if (!(key in gated)) continue;
      const note = fieldset.querySelector("[data-gated-note]");
      const body = fieldset.querySelector(".answer-body");
      const reason = gated[key];
      if (note) {
        note.textContent = reason ? messages.gated.replace("%(reason)s", reason) : "";
        note.hidden = !reason;
      }
      if (body) body.hidden = Boolean(reason);
    }
  }

  function clearErrors(fieldset) {
    for (const element of fieldset.querySelectorAll(".answer-error, [data-error-for]")) {
      element.hidden = true;
      element.textContent = "";
    }
  }

  function showError(fieldset, field, text) {
    const target =
      fieldset.querySelector(`[data-error-for="${field}"]`) ||
      fieldset.querySelector(".answer-error");
    if (!target) return;
    target.textContent = text;
    target.hidden = false;
  }

  function applyProgress(progress) {
    if (!progress) return;
    const update = (selector, figures) => {
      for (const element of document.querySelectorAll(selector)) {
        if (element.tagName === "PROGRESS") {
          element.max = Math.max(figures.applicable, 1);
          element.value = figures.answered;
        } else {
          element.textContent = messages.progress
            .replace("%(answered)s", figures.answered)
            .replace("%(applicable)s", figures.applicable);
        }
      }
    };
    const updateNa = (selector, figures) => {
      for (const element of document.querySelectorAll(selector)) {
        element.textContent = messages.na.replace("%(count)s", figures.na || 0);
      }
    };
    update("[data-progress=overall]", progress.overall);
    updateNa("[data-na-count=overall]", progress.overall);
    for (const [theme, figures] of Object.entries(progress.themes || {})) {
      update(`[data-progress="theme:${theme}"]`, figures);
      updateNa(`[data-na-count="theme:${theme}"]`, figures);
      const mark = document.querySelector(`[data-theme-mark="${theme}"]`);
      if (mark) mark.hidden = figures.answered < figures.applicable;
    }
  }

  async function save(fieldset) {
    const key = fieldset.dataset.question;
    if (fieldset.dataset.conflict) return;
    if (inFlight.has(key)) {
      schedule(fieldset, 300);
      return;
    }
    inFlight.add(key);
    try {
      await send(fieldset, key);
    } catch (error) {
      // A fault of this script: the answer is not saved, and the error reaches the console.
      setStatus(fieldset, messages.notSaved, "error");
      throw error;
    } finally {
      inFlight.delete(key);
    }
  }

  async function send(fieldset, key) {
    const payload = collect(fieldset);
    setStatus(fieldset, messages.saving, "saving");
    let response;
    try {
      response = await fetch(fieldset.dataset.saveUrl, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrfToken,
        },
        body: JSON.stringify(payload),
        credentials: "same-origin",
      });
    } catch {
      retryLater(fieldset); // no answer at all: the connection failed
      return;
    }
    // A proxy's error page is not JSON: such an answer carries no message of ours.
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      fieldset.dataset.revision = body.revision;
      const revisionInput = fieldset.querySelector(`input[name="${key}__revision"]`);
      if (revisionInput) revisionInput.value = body.revision;
      retryDelay.delete(key);
      refused.delete(key);
      fieldset.classList.remove("has-error");
      clearErrors(fieldset);
      setStatus(fieldset, messages.saved, "saved");
      applyVisibility(body.visible);
      applyGates(body.gated);
      applyProgress(body.progress);
    } else if (response.status >= 500 || response.status === 429) {
      retryLater(fieldset);
    } else if (response.status === 409 && body.error === "conflict") {
      setStatus(fieldset, messages.notSaved, "conflict");
      showConflict(fieldset, body);
    } else if (response.status === 422 || response.status === 400) {
      retryDelay.delete(key);
      clearErrors(fieldset);
      showError(fieldset, body.field || "value", body.message || messages.invalid);
      fieldset.classList.add("has-error");
      setStatus(fieldset, messages.notSaved, "error");
    } else {
      refuse(fieldset, response, body);
    }
  }

  function schedule(fieldset, delay, announce = true) {
    const key = fieldset.dataset.question;
    clearTimeout(pending.get(key));
    if (announce) setStatus(fieldset, messages.unsaved, "pending");
    pending.set(
      key,
      setTimeout(() => {
        pending.delete(key);
        save(fieldset);
      }, delay),
    );
  }

  // The document controls sit inside a question but belong to their own forms: no autosave.
  function isEvidence(element) {
    return Boolean(element.closest("[data-evidence]"));
  }

  form.addEventListener("change", (event) => {
    const fieldset = fieldsetOf(event.target);
    if (fieldset && !isEvidence(event.target)) schedule(fieldset, 50);
  });
  form.addEventListener("input", (event) => {
    const fieldset = fieldsetOf(event.target);
    if (
      fieldset &&
      !isEvidence(event.target) &&
      event.target.matches("textarea, input[type=text], input[type=number]")
    ) {
      schedule(fieldset, 800);
    }
  });

  // Drag and drop a file onto a question's document area: it fills the file field (and the
  // title, from the file's name, when empty); the Attach button then sends it as without
  // JavaScript.
  for (const zone of form.querySelectorAll("[data-drop]")) {
    const input = zone.querySelector("input[type=file]");
    const title = zone.querySelector("input[name=title]");
    if (!input) continue;
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("border-primary");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("border-primary"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("border-primary");
      const files = event.dataTransfer?.files;
      if (!files || files.length === 0) return;
      const chosen = new DataTransfer();
      chosen.items.add(files[0]);
      input.files = chosen.files;
      if (title && !title.value) title.value = files[0].name.replace(/\.[^.]+$/, "");
      zone.querySelector("button[type=submit]")?.focus();
    });
  }
  for (const button of form.querySelectorAll("[data-reload]")) {
    button.addEventListener("click", () => window.location.reload());
  }
  for (const toggle of form.querySelectorAll("input[name$='__na']")) {
    const update = () => {
      const reason = fieldsetOf(toggle).querySelector(".na-reason");
      if (reason) reason.hidden = !toggle.checked;
    };
    toggle.addEventListener("change", update);
    update();
  }
  let submitting = false;
  form.addEventListener("submit", () => {
    // The plain submit saves every answer on the page: pending autosaves are not needed.
    submitting = true;
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
  });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && (pending.size || inFlight.size || refused.size)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  document.documentElement.classList.add("autosave-on");
})();
