// Copies a reply draft to the clipboard: <button data-copy="textarea-id">. The text
// copied is the textarea's current value, so what the person adapted is what they
// paste. Without the Clipboard API (an old browser, a page not served over HTTPS)
// it selects the text and says to copy it by hand.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  var area = document.getElementById(button.getAttribute("data-copy"));
  var status = button.parentNode.querySelector(".copy-status");
  function say(attribute) {
    if (status) {
      status.textContent = button.getAttribute(attribute);
    }
  }
  if (!area) {
    return;
  }
  if (!navigator.clipboard || !navigator.clipboard.writeText) {
    area.select();
    say("data-failed");
    return;
  }
  navigator.clipboard.writeText(area.value).then(
    function () { say("data-copied"); },
    function () { area.select(); say("data-failed"); }
  );
});
