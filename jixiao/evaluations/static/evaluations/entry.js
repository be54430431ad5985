// 绩效自评填报: add/remove rows of a formset, and mark the explanations the rules still require.
(function () {
  "use strict";
  const form = document.getElementById("entry-form");
  if (!form) return;

  function changed() {
    // Rows added or removed change the score and the draft just as typing does.
    form.dispatchEvent(new CustomEvent("rows-changed", { bubbles: true }));
  }

  form.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add-row]");
    if (add) {
      const rows = add.closest("[data-rows]");
      const prefix = rows.dataset.rows;
      const total = rows.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
      const index = parseInt(total.value, 10);
      const html = rows.querySelector("template[data-row-template]").innerHTML.replace(/__prefix__/g, String(index));
      const container = rows.querySelector("[data-row-container]");
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const first = container.lastElementChild.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea, select");
      if (first) first.focus();
      changed();
      return;
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) {
      const row = remove.closest("[data-row]");
      const del = row.querySelector('input[type=checkbox][name$="-DELETE"]');
      if (del) del.checked = true;
      row.hidden = true;
      row.style.display = "none";
      changed();
    }
  });

  function markMissing() {
    const data = document.getElementById("missing-fields");
    if (!data) return;
    let missing = {};
    try { missing = JSON.parse(data.textContent) || {}; } catch (e) { missing = {}; }
    form.querySelectorAll(".missing").forEach(function (el) {
      if (!(el.name in missing)) el.classList.remove("missing");
    });
    form.querySelectorAll(".missing-msg").forEach(function (el) { el.remove(); });
    Object.keys(missing).forEach(function (name) {
      const input = form.querySelector('[name="' + name + '"]');
      if (!input) return;
      input.classList.add("missing");
      const note = document.createElement("div");
      note.className = "missing-msg";
      note.textContent = missing[name];
      input.insertAdjacentElement("afterend", note);
    });
  }

  // The 保存 button and autosave must not race: a save posted while an autosave is on its way would
  // carry the old version and be refused as a conflict with the user's own draft.
  const autosave = document.getElementById("autosave");
  let submitting = false;
  if (autosave) {
    autosave.addEventListener("htmx:beforeRequest", function (event) {
      if (submitting) event.preventDefault();
    });
    form.addEventListener("submit", function (event) {
      if (autosave.classList.contains("htmx-request")) {
        event.preventDefault();
        const submitter = event.submitter;
        autosave.addEventListener("htmx:afterSettle", function () {
          form.requestSubmit(submitter || undefined);
        }, { once: true });
        return;
      }
      submitting = true;
    });
  }

  // Leaving with typing that neither autosave nor 保存 has stored yet asks first.
  let dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("rows-changed", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "autosave-status" &&
        event.detail.target.querySelector(".saved")) dirty = false;
  });
  // The idle sign-out is near (web/site.js): store the typing now, while the session accepts it;
  // when it ends with typing still unstored, keep this page open instead of going to the login page.
  // That save is not the person's activity: it must not keep them signed in (X-Jixiao-Background).
  let idleSave = false;
  document.addEventListener("jixiao:idle-warning", function () {
    if (!dirty || !autosave) return;
    idleSave = true;
    form.dispatchEvent(new Event("change", { bubbles: true }));
  });
  if (autosave) {
    autosave.addEventListener("htmx:configRequest", function (event) {
      if (idleSave) event.detail.headers["X-Jixiao-Background"] = "1";
      idleSave = false;
    });
  }
  document.addEventListener("jixiao:idle-expired", function (event) {
    if (dirty) event.preventDefault();
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });

  // 指标自评: the score box shows the range the chosen band allows (e.g. 4–5 for 达成预期指标 of 5).
  const ranges = document.getElementById("band-ranges");
  function showRange(select) {
    const row = select.closest("tr[data-points]");
    if (!row || !ranges) return;
    const band = JSON.parse(ranges.textContent)[select.value];
    const score = row.querySelector('input[name$="-score"]');
    if (!score) return;
    if (!band) { score.placeholder = ""; return; }
    const points = Number(row.dataset.points);
    const fmt = function (v) { return String(Math.round(v * 100) / 100); };
    score.placeholder = fmt(points * band[0] / 100) + "–" + fmt(points * band[1] / 100);
  }
  form.querySelectorAll('select[name$="-band"]').forEach(showRange);
  form.addEventListener("change", function (event) {
    if (event.target.matches('select[name$="-band"]')) showRange(event.target);
  });

  // Ctrl+S / ⌘S saves the section (the checked save), as in any office program.
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      const save = form.querySelector("button.primary[type=submit]");
      if (save) { event.preventDefault(); form.requestSubmit(save); }
    }
  });

  // The "N 项" next to a row list follows additions and removals.
  form.addEventListener("rows-changed", function () {
    form.querySelectorAll("[data-rows]").forEach(function (rows) {
      const count = rows.querySelectorAll("[data-row-container] > [data-row]:not([hidden])").length;
      const label = rows.querySelector("[data-row-count]");
      if (label) label.textContent = String(count);
    });
  });

  // Autosave's answer carries the field errors (#field-errors, swapped out of band): a refused
  // autosave puts each next to its field at once; a stored one clears them, with the banner.
  function placeFieldErrors() {
    const holder = document.getElementById("field-errors");
    if (!holder || holder.dataset.applied) return;
    holder.dataset.applied = "1";
    let errors = {};
    try { errors = JSON.parse(holder.dataset.errors || "{}") || {}; } catch (e) { errors = {}; }
    form.querySelectorAll(".errorlist").forEach(function (el) { el.remove(); });
    form.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    Object.keys(errors).forEach(function (name) {
      const input = form.querySelector('[name="' + name + '"]');
      if (!input) return;
      input.setAttribute("aria-invalid", "true");
      const box = input.closest("[data-field]") || input.parentElement;
      box.classList.add("has-error");
      const row = input.closest("[data-row], tr");
      if (row) row.classList.add("has-error");
      const list = document.createElement("ul");
      list.className = "errorlist";
      errors[name].forEach(function (text) {
        const item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      input.insertAdjacentElement("afterend", list);
    });
  }
  const initialErrors = document.getElementById("field-errors");
  if (initialErrors) initialErrors.dataset.applied = "1";  // the page rendered its own errors

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "score-panel") markMissing();
    if (event.detail.target && event.detail.target.id === "autosave-status") placeFieldErrors();
  });
  markMissing();

  // A 缺项清单 link (…/edit/<section>/#f-<field>) lands on the field it names: open what hides
  // it, bring it into view and put the cursor in it. A row that does not exist yet (an empty list)
  // leads to its list, where the user adds one.
  function focusLinkedField() {
    if (!location.hash || location.hash.indexOf("#f-") !== 0) return;
    const name = decodeURIComponent(location.hash.slice(3));
    let box = document.getElementById("f-" + name);
    if (!box) {
      const prefix = name.split("-")[0];
      box = form.querySelector('[data-rows="' + prefix + '"]');
    }
    if (!box) return;
    for (let node = box.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    const input = box.matches("input, textarea, select") ? box
      : box.querySelector('[name="' + name + '"]') || box.querySelector("input:not([type=hidden]), textarea, select, button");
    box.classList.add("linked-field");
    box.scrollIntoView({ block: "center" });
    if (input) input.focus({ preventScroll: true });
  }
  // After load: the browser's own jump to the fragment would otherwise take the focus back.
  window.addEventListener("load", function () { setTimeout(focusLinkedField, 0); });
  window.addEventListener("hashchange", function () { setTimeout(focusLinkedField, 0); });
})();
