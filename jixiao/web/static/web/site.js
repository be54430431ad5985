/* Behaviour every page shares. No inline script anywhere (Content-Security-Policy script-src 'self'):
   templates declare what they need with data-* attributes and this file wires it up.

   data-autosubmit      on a <select>: submit its form on change
   data-confirm="…"     on a <form> (submit) or <a> (click): ask first
   data-bar-width="n"   set style.width to n% (CSSOM, which the policy allows; style="" is refused)
   data-flex="n"        set style.flex to n
   <body data-idle-seconds=…>   the idle sign-out: warn, save typing, keep the page when it ends */
(function () {
  "use strict";

  function applyLayout(root) {
    root.querySelectorAll("[data-bar-width]").forEach(function (el) {
      const value = parseFloat(el.getAttribute("data-bar-width"));
      if (!isNaN(value)) el.style.width = Math.max(0, Math.min(100, value)) + "%";
    });
    root.querySelectorAll("[data-flex]").forEach(function (el) {
      const value = parseFloat(el.getAttribute("data-flex"));
      if (!isNaN(value)) el.style.flex = String(Math.max(0, value));
    });
  }

  document.addEventListener("change", function (event) {
    const el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", function (event) {
    const link = event.target instanceof Element ? event.target.closest("a[data-confirm]") : null;
    if (link && !window.confirm(link.getAttribute("data-confirm"))) event.preventDefault();
  });

  function cookie(name) {
    const match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    // After signing in again in another window the CSRF token rotates: send the current one, so a
    // page kept open through an idle sign-out can still save.
    const token = cookie("csrftoken");
    if (token) event.detail.headers["X-CSRFToken"] = token;
    // Polling (hx-trigger="every …") is not the person's activity: it must not keep them signed in.
    const trigger = event.detail.elt && event.detail.elt.getAttribute("hx-trigger") || "";
    if (/(^|[\s,])every\s/.test(trigger)) event.detail.headers["X-Jixiao-Background"] = "1";
  });
  document.addEventListener("htmx:afterSwap", function (event) { applyLayout(event.detail.target); });

  /* --- idle sign-out (jixiao/web/session_idle.py) --- */
  function idleTimer(body) {
    const idle = parseInt(body.getAttribute("data-idle-seconds"), 10);
    const warnBefore = parseInt(body.getAttribute("data-idle-warning-seconds") || "120", 10);
    const statusUrl = body.getAttribute("data-session-status-url");
    const keepaliveUrl = body.getAttribute("data-session-keepalive-url");
    const loginUrl = body.getAttribute("data-login-url");
    const warning = document.getElementById("idle-warning");
    const expired = document.getElementById("idle-expired");
    const countdown = warning && warning.querySelector("[data-idle-countdown]");
    if (!idle || !warning || !expired) return;
    let deadline = Date.now() + idle * 1000;
    let timer = null;
    let ticker = null;

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(check, Math.max(1000, deadline - Date.now() - warnBefore * 1000));
    }
    function activity() {  // any request of this page to the server extends the session
      deadline = Date.now() + idle * 1000;
      hideWarning();
      schedule();
    }
    function hideWarning() {
      warning.hidden = true;
      clearInterval(ticker);
    }
    function showWarning() {
      warning.hidden = false;
      // Typing not stored yet is saved now, while the session still accepts it.
      document.dispatchEvent(new CustomEvent("jixiao:idle-warning"));
      clearInterval(ticker);
      tick();
      ticker = setInterval(tick, 1000);
    }
    function tick() {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      if (countdown) countdown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left <= 0) { clearInterval(ticker); check(); }
    }
    let over = false;
    function ended() {
      if (over) return;
      over = true;
      hideWarning();
      clearTimeout(timer);
      // A page with typing that could not be stored stays open (entry.js cancels the event); any
      // other page goes to the login page, which returns here afterwards.
      const leave = document.dispatchEvent(new CustomEvent("jixiao:idle-expired", { cancelable: true }));
      if (leave) {
        window.location.assign(loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search));
      } else {
        expired.hidden = false;
      }
    }
    function check() {
      // Another window of the same session may have been active: ask before warning or leaving.
      fetch(statusUrl, { headers: { "X-Jixiao-Background": "1" }, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 401) { ended(); return null; }
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (!data) return;
          deadline = Date.now() + data.remaining * 1000;
          if (data.remaining <= 0) ended();
          else if (data.remaining <= warnBefore + 1) showWarning();
          else { hideWarning(); schedule(); }
        })
        .catch(function () { schedule(); });
    }
    warning.querySelector("[data-idle-stay]").addEventListener("click", function () {
      fetch(keepaliveUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": cookie("csrftoken") || "" },
      }).then(function (response) {
        if (response.status === 401 || response.status === 403) ended();
        else activity();
      });
    });
    document.addEventListener("htmx:afterRequest", function (event) {
      const xhr = event.detail.xhr;
      const background = event.detail.requestConfig && event.detail.requestConfig.headers &&
        event.detail.requestConfig.headers["X-Jixiao-Background"] === "1";
      if (xhr && xhr.status === 401) ended();
      else if (!background) activity();
    });
    document.addEventListener("jixiao:session-expired", ended);
    schedule();
  }

  function start() {
    applyLayout(document);
    if (document.body.hasAttribute("data-idle-seconds")) idleTimer(document.body);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
