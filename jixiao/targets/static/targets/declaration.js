// 绩效目标申报: add and remove target rows, keep 二级指标 within the chosen 一级指标, and open the
// 指标库 picker for a new row (indicators/picker.js fills the row's data-target-field inputs). Checks and autosave are htmx requests on the form's events
// (targets/edit.html); this file only tells them when rows change ("rows-changed").
(function () {
  "use strict";

  function form() { return document.getElementById("declaration-form"); }

  function levels() {
    var f = form();
    try { return JSON.parse(f.dataset.level2 || "{}"); } catch (e) { return {}; }
  }

  function fillLevel2(row) {
    var level1 = row.querySelector("[data-level1]");
    var level2 = row.querySelector("[data-level2]");
    if (!level1 || !level2) return;
    var names = levels()[level1.value] || [];
    var current = level2.value || level2.dataset.current || "";
    while (level2.options.length) level2.remove(0);
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      if (name === current) option.selected = true;
      level2.appendChild(option);
    });
  }

  function renumber() {
    var rows = document.querySelectorAll("#target-rows [data-target-row]");
    Array.prototype.forEach.call(rows, function (row, index) {
      var cell = row.querySelector(".row-no");
      if (cell && cell.firstChild && cell.firstChild.nodeType === 3) cell.firstChild.nodeValue = String(index + 1);
      else if (cell) cell.insertBefore(document.createTextNode(String(index + 1)), cell.firstChild);
      row.id = "target-row-" + (index + 1);
    });
  }

  function changed() {
    renumber();
    var f = form();
    if (f && window.htmx) window.htmx.trigger(f, "rows-changed");
    else if (f) f.dispatchEvent(new CustomEvent("rows-changed", { bubbles: true }));
  }

  function addRow(values) {
    var template = document.getElementById("target-row-template");
    var body = document.getElementById("target-rows");
    if (!template || !body) return null;
    var row = template.content.firstElementChild.cloneNode(true);
    body.appendChild(row);
    values = values || {};
    Object.keys(values).forEach(function (name) {
      var field = row.querySelector("[name='t-" + name + "']");
      if (field && values[name] !== null && values[name] !== undefined) field.value = String(values[name]);
    });
    var level2 = row.querySelector("[data-level2]");
    if (level2 && values.level2) level2.dataset.current = values.level2;
    fillLevel2(row);
    changed();
    var first = row.querySelector("[name='t-name']");
    if (first && !values.name) first.focus();
    return row;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.closest("[data-add-row]")) {
      event.preventDefault();
      addRow({});
    } else if (target.closest("[data-remove-row]")) {
      event.preventDefault();
      var row = target.closest("[data-target-row]");
      if (row) { row.remove(); changed(); }
    } else if (target.closest("[data-add-from-library]")) {
      // A new row, then the 指标库 picker for it (indicators/picker.js fills the row).
      event.preventDefault();
      var added = addRow({});
      var opener = added && added.querySelector("[data-indicator-picker-open]");
      if (opener) opener.click();
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof Element && target.matches("[data-level1]")) {
      var row = target.closest("[data-target-row]");
      if (row) fillLevel2(row);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var rows = document.querySelectorAll("#target-rows [data-target-row]");
    Array.prototype.forEach.call(rows, fillLevel2);
  });
})();
