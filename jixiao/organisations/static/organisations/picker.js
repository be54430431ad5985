// 单位选择器 (jixiao/organisations/picker.py): a match that is checked moves into the chosen list,
// so the next search, which replaces the matches, keeps it; a single choice replaces the last one.
(function () {
  "use strict";
  if (window.jixiaoOrgPicker) return;
  window.jixiaoOrgPicker = true;
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.checked) return;
    var results = input.closest("[data-picker-results]");
    var picker = input.closest("[data-org-picker]");
    if (!results || !picker) return;
    var chosen = picker.querySelector("[data-picker-chosen]");
    var item = input.closest("label");
    if (!chosen || !item) return;
    if (!picker.hasAttribute("data-multiple")) chosen.innerHTML = "";
    var same = chosen.querySelector("input[value='" + CSS.escape(input.value) + "']");
    if (same) { same.checked = true; item.remove(); return; }
    chosen.appendChild(item);
  });
})();
