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

   Without a remembered row (the picker was fetched whole from /indicators/picker/ into a container
   by a page-level button, not opened from a row), a pick fires "jixiao:indicator-picked" on the
   document instead, detail {id, level1, level2, name, unit, direction, criteria, explanation,
   data_source: ""}, for the page to add a row with it; the picker stays open for more picks.
   Rows may also have [data-target-field="criteria"] and "explanation" (filled when the entry has
   them: 共性指标 carry their rule-set's 指标说明 and 评分标准).

   Same entries as JSON: GET /indicators/picker/?q=…&format=json → {results: [{id, kind, level1,
   level2, name, unit, direction, criteria, explanation, units}], next}; ?results=1 answers the
   result rows alone (the panel's own searches). No inline script anywhere (CSP).
*/
(function () {
  "use strict";
  // The panel may be fetched (with this script) more than once: wire the page once.
  if (window.jixiaoIndicatorPicker) return;
  window.jixiaoIndicatorPicker = true;

  const FIELDS = ["level1", "level2", "name", "unit", "direction", "library_id", "criteria", "explanation"];
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

  function entryOf(pick) {
    return {
      library_id: pick.getAttribute("data-indicator-id") || "",
      level1: pick.getAttribute("data-level1") || "",
      level2: pick.getAttribute("data-level2") || "",
      name: pick.getAttribute("data-name") || "",
      unit: pick.getAttribute("data-unit") || "",
      direction: pick.getAttribute("data-direction") || "",
      criteria: pick.getAttribute("data-criteria") || "",
      explanation: pick.getAttribute("data-explanation") || "",
    };
  }

  function fill(row, entry) {
    FIELDS.forEach(function (name) {
      // An empty level, direction, criteria or explanation from the library keeps what the row has.
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
      const entry = entryOf(pick);
      if (currentRow && document.body.contains(currentRow)) {
        fill(currentRow, entry);
        currentRow = null;
        close(picker);
      } else {
        document.dispatchEvent(new CustomEvent("jixiao:indicator-picked", {
          detail: {
            id: entry.library_id ? parseInt(entry.library_id, 10) : null,
            level1: entry.level1, level2: entry.level2, name: entry.name, unit: entry.unit,
            direction: entry.direction, criteria: entry.criteria, explanation: entry.explanation,
            data_source: "",
          },
        }));
      }
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
