// Asks before submitting forms that undo something (unfollow): <form data-confirm="...">.
// Without JavaScript the form simply submits; the action can be redone from "Add a source".
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
