// Review panel: ask before steps that cannot be undone, and keep a slow step (the bureau's approval
// renders the PDF, a few seconds) from being sent twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form.rp-action")) return;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  var button = form.querySelector("button[type=submit]");
  if (button) {
    button.disabled = true;
    var busy = form.getAttribute("data-busy");
    if (busy) button.textContent = busy;
  }
});
