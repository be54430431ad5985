// 报告审查 pages: a busy note while files upload, and the prefill page's selection buttons.
(function () {
  document.querySelectorAll("form.audit-upload").forEach(function (form) {
    form.addEventListener("submit", function () {
      var busy = form.querySelector(".busy");
      if (busy) { busy.textContent = form.dataset.busyText || ""; busy.hidden = false; }
    });
  });
  var confirm = document.getElementById("prefill-confirm");
  if (!confirm) return;
  var boxes = Array.prototype.slice.call(confirm.querySelectorAll("input[name=apply]"));
  var counter = document.getElementById("checked-count");
  function count() {
    if (!counter) return;
    var n = boxes.filter(function (b) { return b.checked; }).length;
    counter.textContent = (counter.dataset.countTemplate || "{n}").replace("{n}", n);
  }
  confirm.querySelectorAll("button[data-select]").forEach(function (button) {
    button.addEventListener("click", function () {
      var mode = button.dataset.select;
      boxes.forEach(function (b) {
        if (mode === "all") b.checked = true;
        else if (mode === "none") b.checked = false;
        else b.checked = b.dataset.confidence === "high" && b.dataset.same !== "1";
      });
      count();
    });
  });
  boxes.forEach(function (b) { b.addEventListener("change", count); });
  count();
})();
