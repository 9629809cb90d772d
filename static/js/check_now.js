// "Check now" without leaving the page: ask for the check, then follow its progress
// (reputation/source_status.py) and say the result. Without JavaScript the form
// submits and the page says the check will happen within a minute.
(function () {
  "use strict";
  var WAIT_MS = 2000, GIVE_UP_MS = 120000;

  function status(form) {
    return fetch(form.getAttribute("data-status"), {credentials: "same-origin"})
      .then(function (r) { return r.json(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("check-now") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector("button");
    var card = form.closest(".source-card, section") || document;
    var out = card.querySelector(".check-status");
    button.disabled = true;
    status(form).then(function (before) {
      out.textContent = before.checking;
      out.classList.add("busy");
      return fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: {"X-Requested-With": "fetch"}
      })
        .then(function () { return before; });
    }).then(function (before) {
      var started = Date.now();
      function again() {
        status(form).then(function (now) {
          if (now.checked_at && now.checked_at !== before.checked_at) {
            out.textContent = now.result;
            out.classList.remove("busy");
            button.disabled = false;
          } else if (Date.now() - started < GIVE_UP_MS) {
            setTimeout(again, WAIT_MS);
          } else {
            out.textContent = now.slow;
            out.classList.remove("busy");
            button.disabled = false;
          }
        });
      }
      setTimeout(again, WAIT_MS);
    }).catch(function () { form.submit(); });
  });
})();
