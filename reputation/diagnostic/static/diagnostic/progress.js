// The result page of a running diagnostic: ask for its progress every 1.5 s, show it,
// and reload the page once it is finished (CSP forbids inline scripts: this file).
(function () {
  "use strict";
  var box = document.getElementById("diagnostic");
  if (!box) return;
  var url = box.getAttribute("data-status");
  var bar = document.getElementById("diagnostic-progress");
  var step = document.getElementById("diagnostic-step");
  var tries = 0;
  function tick() {
    tries += 1;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.finished) { window.location.reload(); return; }
        if (bar && typeof status.progress === "number") bar.value = status.progress;
        if (step && status.step) step.textContent = status.step;
        if (tries < 200) window.setTimeout(tick, 1500);
      })
      .catch(function () { if (tries < 200) window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 1000);
})();
