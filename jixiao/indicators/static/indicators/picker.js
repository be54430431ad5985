/* 指标库 picker: fill a row of the target declaration from the indicator library.

   The contract (the declaration page provides the first two, templates/indicators/_picker.html the rest):

   [data-target-row]                     one declared target's row (any element: <tr>, <fieldset> …)
     [data-target-field="NAME"]          its inputs/selects, NAME one of: level1 level2 name unit
                                         direction library_id. Missing fields are left alone; a
                                         <select> is set only when it has an option of that value.
     [data-indicator-picker-open]        a button in the row: remembers the row and opens the picker
                                         (value: the picker's id; empty = "indicator-picker")
   [data-indicator-picker] (hidden)      the picker (_picker.html), loaded on first open by htmx
     [data-indicator-picker-search]      its search box, focused when it opens
     [data-indicator-picker-close]       closes it (Escape too)
     [data-indicator-pick]               one result (_picker_results.html), carrying
                                         data-indicator-id data-level1 data-level2 data-name
                                         data-unit data-direction: clicking it fills the remembered
                                         row, fires "input" and "change" on every field it set (so
                                         autosave and the checks run), fires "indicator:picked" on the
                                         row (detail: the entry), closes the picker and focuses the
                                         row's name field.

   Same entries as JSON: GET /indicators/picker/?q=…&format=json → {results: [{id, kind, level1,
   level2, name, unit, direction, units}], next}. No inline script anywhere (CSP).
*/
(function () {
  "use strict";

  const FIELDS = ["level1", "level2", "name", "unit", "direction", "library_id"];
  let currentRow = null;

  function pickerFor(button) {
    const id = button.getAttribute("data-indicator-picker-open") || "indicator-picker";
    return document.getElementById(id);
  }

  function open(picker, row) {
    currentRow = row;
    picker.hidden = false;
    document.body.dispatchEvent(new CustomEvent("indicator-picker-open"));
    const search = picker.querySelector("[data-indicator-picker-search]");
    if (search) search.focus();
  }

  function close(picker) {
    if (picker) picker.hidden = true;
  }

  function setField(row, name, value) {
    const field = row.querySelector('[data-target-field="' + name + '"]');
    if (!field || value === null || value === undefined) return;
    if (field instanceof HTMLSelectElement) {
      const has = Array.prototype.some.call(field.options, function (o) { return o.value === value; });
      if (!has) return;
    }
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fill(row, pick) {
    const entry = {
      library_id: pick.getAttribute("data-indicator-id") || "",
      level1: pick.getAttribute("data-level1") || "",
      level2: pick.getAttribute("data-level2") || "",
      name: pick.getAttribute("data-name") || "",
      unit: pick.getAttribute("data-unit") || "",
      direction: pick.getAttribute("data-direction") || "",
    };
    FIELDS.forEach(function (name) {
      // An empty level or direction from the library keeps what the row has.
      if (entry[name] !== "" || name === "unit" || name === "library_id") setField(row, name, entry[name]);
    });
    row.dispatchEvent(new CustomEvent("indicator:picked", { bubbles: true, detail: entry }));
    const name = row.querySelector('[data-target-field="name"]');
    if (name) name.focus();
  }

  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const opener = target.closest("[data-indicator-picker-open]");
    if (opener) {
      const picker = pickerFor(opener);
      const row = opener.closest("[data-target-row]");
      if (picker && row) {
        event.preventDefault();
        open(picker, row);
      }
      return;
    }
    const pick = target.closest("[data-indicator-pick]");
    if (pick) {
      event.preventDefault();
      const picker = pick.closest("[data-indicator-picker]");
      if (currentRow && document.body.contains(currentRow)) fill(currentRow, pick);
      close(picker);
      return;
    }
    const closer = target.closest("[data-indicator-picker-close]");
    if (closer) close(closer.closest("[data-indicator-picker]"));
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("[data-indicator-picker]").forEach(function (p) { close(p); });
  });
})();
