// Choosing a department reloads the list so the unit list shows that department's units.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("select[data-autosubmit]")) {
    var unit = select.form.querySelector("select[name=unit]");
    if (unit) unit.value = "";
    select.form.submit();
  }
});
