// The client switcher goes as soon as a client is chosen (its "Go" button is kept
// for browsers without JavaScript, inside <noscript>).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.id === "switch-to" && select.value && select.form) {
    select.form.submit();
  }
});
