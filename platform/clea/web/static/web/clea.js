/* CléA web interface: keyboard evaluation grid, local drafts, small progressive enhancements.
   Everything works without JavaScript; this file only makes it faster and safer. */
(function () {
  "use strict";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  /* ---- evaluation grid: keyboard entry --------------------------------------------------- */
  function criteria(form) { return Array.prototype.slice.call(form.querySelectorAll("fieldset.criterion")); }

  function focusCriterion(row) {
    var radio = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
    if (radio) { radio.focus(); row.scrollIntoView({ block: "nearest" }); }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || target.type !== "radio") { return; }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var row = target.closest("fieldset.criterion");
    var form = row && row.closest("form.grid");
    if (!form) { return; }
    var rows = criteria(form);
    var index = rows.indexOf(row);
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "a" || key === "n") {
      event.preventDefault();
      var radio = row.querySelector("input[type=radio][value='" + (key === "a" ? "1" : "0") + "']");
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
      if (rows[index + 1]) { focusCriterion(rows[index + 1]); } else { radio.focus(); }
    } else if (key === "ArrowDown" || key === "j") {
      event.preventDefault();
      if (rows[index + 1]) { focusCriterion(rows[index + 1]); }
    } else if (key === "ArrowUp" || key === "k") {
      event.preventDefault();
      if (rows[index - 1]) { focusCriterion(rows[index - 1]); }
    }
  });

  /* ---- evaluation grid: local draft, restored after a reload or a network failure ---------- */
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "version" && el.type !== "file" &&
        el.type !== "submit" && el.type !== "button";
    });
  }

  function snapshot(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") { if (el.checked) { data[el.name] = el.value; } }
      else if (el.type === "checkbox") { data["cb:" + el.name + ":" + el.value] = el.checked; }
      else { data[el.name] = el.value; }
    });
    return data;
  }

  function restore(form, data) {
    fields(form).forEach(function (el) {
      if (el.type === "radio") { if (data[el.name] !== undefined) { el.checked = data[el.name] === el.value; } }
      else if (el.type === "checkbox") {
        var key = "cb:" + el.name + ":" + el.value;
        if (data[key] !== undefined) { el.checked = data[key]; }
      } else if (data[el.name] !== undefined) { el.value = data[el.name]; }
    });
  }

  function timeText(ms) {
    return new Date(ms).toLocaleTimeString(document.documentElement.lang || "fr", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function updateCount(form) {
    var out = document.getElementById("grid-count");
    if (!out) { return; }
    var rows = criteria(form);
    var done = rows.filter(function (r) { return r.querySelector("input[type=radio]:checked"); }).length;
    out.textContent = done + " " + form.dataset.msgCount + " " + rows.length;
  }

  /* ---- evaluation grid: the chosen branch's modalities under each sub-domain ------------------ */
  function showBranch(form) {
    var select = form.querySelector("select[data-branch-select]");
    if (!select) { return; }
    form.querySelectorAll(".modalities[data-branch]").forEach(function (block) {
      var shown = block.getAttribute("data-branch") === select.value;
      block.hidden = !shown;
      block.querySelectorAll("input").forEach(function (input) { input.disabled = !shown; });  // not sent
    });
  }

  function initGrid(form) {
    if (form.dataset.ready) { return; }
    form.dataset.ready = "1";
    form.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("select[data-branch-select]")) { showBranch(form); }
    });
    var store = storage();
    var key = form.dataset.draftKey;
    var status = document.getElementById("draft-status");
    var say = function (text) { if (status) { status.textContent = text; } };
    if (store) {
      try {
        var saved = JSON.parse(store.getItem(key) || "null");
        if (saved && saved.data) {
          restore(form, saved.data);
          say(form.dataset.msgRestored + " " + new Date(saved.savedAt).toLocaleString(document.documentElement.lang || "fr") + ").");
        }
      } catch (e) { /* a broken draft is ignored */ }
    }
    showBranch(form);
    var save = function () {
      updateCount(form);
      if (!store) { say(form.dataset.msgFailed); return; }
      try {
        var now = Date.now();
        store.setItem(key, JSON.stringify({ savedAt: now, data: snapshot(form) }));
        say(form.dataset.msgSaved + " " + timeText(now) + ".");
      } catch (e) { say(form.dataset.msgFailed); }
    };
    form.addEventListener("change", save);
    form.addEventListener("input", function (event) { if (event.target.type === "text" || event.target.type === "date") { save(); } });
    document.addEventListener("change", function (event) {
      if (event.target.form === form && !form.contains(event.target)) { save(); }  // evidence checkboxes
    });
    var clear = form.querySelector("[data-clear-draft-button]");
    if (clear) {
      clear.addEventListener("click", function () {
        if (store) { store.removeItem(key); }
        say(form.dataset.msgCleared);
      });
    }
    updateCount(form);
  }

  /* ---- page set-up, also after an htmx swap ----------------------------------------------- */
  function setup(root, focusErrors) {
    var store = storage();
    root.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      if (store) { store.removeItem(el.getAttribute("data-clear-draft")); }
    });
    root.querySelectorAll("form.grid").forEach(initGrid);
    var summary = focusErrors && root.querySelector(".error-summary:not([hidden])");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { setup(document, true); });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    setup(document, Boolean(target && target.id === "contenu"));
  });

  /* A branch plugin failure (502) comes with a page explaining it: show it instead of keeping silent. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 502) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  /* A network failure during an htmx request keeps the page (and the draft) as it is. */
  function networkFailure(event) {
    var box = document.getElementById("network-error");
    var form = document.querySelector("form.grid");
    if (box && form) { box.textContent = form.dataset.msgNetwork; box.hidden = false; box.focus(); }
  }
  document.addEventListener("htmx:sendError", networkFailure);
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("network-error");
    if (box) { box.hidden = true; }
  });

  /* An evidence upload form is emptied once its file is stored. */
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.classList && elt.classList.contains("evidence-form") && event.detail.successful) {
      var input = document.querySelector("input[type=file][form='" + elt.id + "']");
      if (input) { input.value = ""; }
    }
  });

  /* Plain forms marked data-progress show that they are working and are not sent twice. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-progress") || form.hasAttribute("hx-post")) { return; }
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    form.classList.add("is-sending");
  });

  /* Copy buttons (the transfer bundle). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    source.select();
    var done = function () {
      var out = button.parentNode.querySelector(".copy-status");
      if (out) { out.textContent = button.getAttribute("data-copied"); }
    };
    if (navigator.clipboard) { navigator.clipboard.writeText(source.value).then(done, function () { document.execCommand("copy"); done(); }); }
    else { document.execCommand("copy"); done(); }
  });
})();
