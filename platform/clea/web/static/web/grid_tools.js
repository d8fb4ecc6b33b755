/* Faster evaluation grid (issue 13 §6): whole sub-domain or whole domain acquired (undoable), only criteria without a result,
   and the summary of what is left. Progressive enhancement: without it the grid works as before. */
(function () {
  "use strict";

  function rowsOf(form, key) {
    // "sd-3.1": a sub-domain; "d-3": a whole domain (issue 13 §6)
    var attribute = key.indexOf("d-") === 0 ? "data-domain" : "data-subdomain";
    return Array.prototype.slice.call(form.querySelectorAll("fieldset.criterion[" + attribute + '="' + key + '"]'));
  }

  function refresh(form) {
    var only = document.querySelector("[data-only-missing]");
    var rows = Array.prototype.slice.call(form.querySelectorAll("fieldset.criterion"));
    var left = 0;
    rows.forEach(function (row) {
      var done = Boolean(row.querySelector("input[type=radio]:checked"));
      if (!done) { left += 1; }
      row.hidden = Boolean(only && only.checked && done);
    });
    var out = document.getElementById("summary-left");
    if (out) { out.textContent = (document.documentElement.lang || "fr").indexOf("en") === 0 ? left + " left" : "reste " + left + " à évaluer"; }
  }

  function setup() {
    var form = document.getElementById("grid");
    if (!form || form.dataset.toolsReady) { return; }
    form.dataset.toolsReady = "1";
    var undo = {};
    form.addEventListener("click", function (event) {
      var planDay = event.target.closest ? event.target.closest("button[data-plan-day]") : null;
      if (planDay) {
        var input = document.getElementById("sitting_day");
        if (input) { input.value = planDay.getAttribute("data-plan-day"); }
        return;
      }
      var toggle = event.target.closest ? event.target.closest("button[data-extra-toggle]") : null;
      if (toggle) {
        var row = toggle.closest("fieldset.criterion");
        var open = !row.classList.contains("show-extra");
        row.classList.toggle("show-extra", open);
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        return;
      }
      var button = event.target.closest ? event.target.closest("button[data-bulk], button[data-bulk-undo]") : null;
      if (!button) { return; }
      var sub = button.getAttribute("data-bulk") || button.getAttribute("data-bulk-undo");
      var rows = rowsOf(form, sub);
      var other = form.querySelector(button.hasAttribute("data-bulk") ? '[data-bulk-undo="' + sub + '"]' : '[data-bulk="' + sub + '"]');
      if (button.hasAttribute("data-bulk")) {
        undo[sub] = rows.map(function (row) {
          var checked = row.querySelector("input[type=radio]:checked");
          return checked ? checked.id : "";
        });
        rows.forEach(function (row) {
          var yes = row.querySelector('input[type=radio][value="1"]');
          if (yes) { yes.checked = true; }
        });
        if (other) { other.hidden = false; other.focus(); }
      } else {
        var before = undo[sub] || [];
        rows.forEach(function (row, i) {
          row.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = r.id === before[i]; });
        });
        button.hidden = true;
        if (other) { other.focus(); }
      }
      form.dispatchEvent(new Event("change", { bubbles: true }));  // the local draft and the counters follow
      refresh(form);
    });
    form.addEventListener("change", function () { refresh(form); });
    var only = document.querySelector("[data-only-missing]");
    if (only) { only.addEventListener("change", function () { refresh(form); }); }
    refresh(form);
  }

  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:afterSettle", setup);
})();
