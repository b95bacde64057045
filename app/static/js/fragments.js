/*
 * Saving one form in the background and getting back the server-rendered fragment that
 * replaces it (a row of the action plan, a card of the review). Where the request fails or
 * the server answers anything but 200, the form is sent the ordinary way: nothing is lost.
 */
window.ddcheckFragments = (() => {
  "use strict";

  async function post(form) {
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
    } catch {
      // No answer at all (offline): the ordinary submit tries, and says what went wrong.
      form.submit();
      return null;
    }
    if (response.status !== 200) {
      form.submit();
      return null;
    }
    return response.text();
  }

  return { post: post };
})();
