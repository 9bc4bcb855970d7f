// entadmin: the widgets of the edit form. Each one works without this
// script (an id input, a multiple select, plain inputs); the script makes
// them comfortable. No inline handlers: the page's Content-Security-Policy
// may forbid them.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments, self = this;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function search(url, q, limit) {
    var u = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q) + (limit ? "&limit=" + limit : "");
    return fetch(u, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("search failed: " + r.status);
      return r.json();
    }).then(function (j) { return j.results || []; });
  }

  // Autocomplete: a combobox over the server's search. Arrows move, Enter
  // picks, Escape closes and restores the chosen entity's name.
  function autocomplete(box) {
    var input = box.querySelector(".autocomplete-input");
    var list = box.querySelector(".autocomplete-list");
    var current = box.querySelector(".autocomplete-current");
    var url = box.getAttribute("data-autocomplete");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.value;
    hidden.className = "autocomplete-value";
    input.removeAttribute("name");
    input.removeAttribute("inputmode");
    input.removeAttribute("size");
    box.insertBefore(hidden, input);
    if (current) current.remove();
    var label = box.getAttribute("data-label") || "";
    input.value = label;
    input.placeholder = "Type to search";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var active = -1;
    var seq = 0; // answers of searches started before the last close are dropped

    function items() { return list.querySelectorAll("[role=option]"); }
    function close() {
      seq++;
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      var opts = items();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, k) { o.setAttribute("aria-selected", k === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function pick(opt) {
      hidden.value = opt.getAttribute("data-id");
      label = opt.textContent;
      input.value = label;
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function show(results) {
      list.textContent = "";
      results.forEach(function (r, k) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + k;
        li.setAttribute("data-id", r.id);
        li.textContent = r.text;
        list.appendChild(li);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "autocomplete-empty muted";
        none.textContent = "No matches";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      if (results.length) highlight(0);
    }
    var run = debounce(function () {
      var q = input.value, my = ++seq;
      search(url, q).then(function (results) {
        if (my === seq && input.value === q && document.activeElement === input) show(results);
      }).catch(function () { close(); });
    }, 150);
    input.addEventListener("input", function () {
      if (input.value === "") hidden.value = "";
      run();
    });
    input.addEventListener("focus", function () { if (input.value === "" || input.value === label) run(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (list.hidden) { run(); return; }
        highlight(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) {
          e.preventDefault();
          enterHandled = true;
          pick(items()[active]);
        } else if (input.value !== label) {
          e.preventDefault(); // a search not picked yet does not submit the form
          enterHandled = true;
          run();
        }
      } else if (e.key === "Escape") {
        if (!list.hidden) {
          e.preventDefault();
          close();
          input.value = hidden.value ? label : "";
        }
      }
    });
    // Some input methods send the Enter keypress even when its keydown was
    // handled; it must not submit the form either.
    var enterHandled = false;
    input.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && enterHandled) e.preventDefault();
      enterHandled = false;
    });
    list.addEventListener("mousedown", function (e) {
      var opt = e.target.closest("[role=option]");
      if (opt) { e.preventDefault(); pick(opt); }
    });
    input.addEventListener("blur", function () {
      close();
      if (input.value === "") { hidden.value = ""; label = ""; }
      else input.value = hidden.value ? label : "";
    });
  }

  // Dual select: the multiple select becomes the "chosen" list; the
  // options not chosen move to an "available" list. Both have a filter box;
  // the available one searches on the server when there are more entities
  // than the page lists.
  function dual(box) {
    var chosen = box.querySelector("select[multiple]");
    var url = box.getAttribute("data-search");
    var nojs = box.querySelector(".dual-nojs");
    if (nojs) nojs.remove();
    var available = document.createElement("select");
    available.multiple = true;
    available.size = chosen.size || 10;
    available.className = "dual-available-list";
    available.setAttribute("aria-label", "Available");
    chosen.classList.add("dual-chosen-list");
    chosen.setAttribute("aria-label", "Chosen");
    Array.prototype.slice.call(chosen.options).forEach(function (o) {
      if (!o.selected) available.appendChild(o);
      else o.selected = false;
    });

    function column(title, list, filter) {
      var col = document.createElement("div");
      col.className = "dual-column";
      var h = document.createElement("div");
      h.className = "dual-title";
      h.textContent = title;
      col.appendChild(h);
      col.appendChild(filter);
      col.appendChild(list);
      return col;
    }
    function filterBox(label) {
      var f = document.createElement("input");
      f.type = "search";
      f.className = "dual-filter";
      f.placeholder = "Filter";
      f.setAttribute("aria-label", label);
      return f;
    }
    function button(text, cls) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn " + cls;
      b.textContent = text;
      return b;
    }
    var filterAvailable = filterBox("Filter available"), filterChosen = filterBox("Filter chosen");
    var add = button("Choose →", "dual-add"), remove = button("← Remove", "dual-remove");
    var buttons = document.createElement("div");
    buttons.className = "dual-buttons";
    buttons.appendChild(add);
    buttons.appendChild(remove);
    var chosenCol = document.createElement("div");
    box.insertBefore(column("Available", available, filterAvailable), chosen);
    box.insertBefore(buttons, chosen);
    box.insertBefore(chosenCol, chosen);
    chosenCol.replaceWith(column("Chosen", chosen, filterChosen));

    function move(from, to, all) {
      Array.prototype.slice.call(from.options).forEach(function (o) {
        if ((all || o.selected) && !o.hidden) { o.selected = false; to.appendChild(o); }
      });
      chosen.dispatchEvent(new Event("change", { bubbles: true }));
    }
    add.addEventListener("click", function () { move(available, chosen); });
    remove.addEventListener("click", function () { move(chosen, available); });
    available.addEventListener("dblclick", function () { move(available, chosen); });
    chosen.addEventListener("dblclick", function () { move(chosen, available); });
    available.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); move(available, chosen); } });
    chosen.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); move(chosen, available); } });

    function filterLocal(list, q) {
      q = q.toLowerCase();
      Array.prototype.forEach.call(list.options, function (o) { o.hidden = q !== "" && o.text.toLowerCase().indexOf(q) < 0; });
    }
    filterChosen.addEventListener("input", function () { filterLocal(chosen, filterChosen.value); });
    var remote = debounce(function () {
      var q = filterAvailable.value;
      search(url, q, 100).then(function (results) {
        if (filterAvailable.value !== q) return;
        var taken = {};
        Array.prototype.forEach.call(chosen.options, function (o) { taken[o.value] = true; });
        available.textContent = "";
        results.forEach(function (r) {
          if (!taken[r.id]) available.appendChild(new Option(r.text, r.id));
        });
      });
    }, 200);
    filterAvailable.addEventListener("input", function () {
      if (url) remote();
      else filterLocal(available, filterAvailable.value);
    });
    var form = box.closest("form");
    if (form) form.addEventListener("submit", function () {
      Array.prototype.forEach.call(chosen.options, function (o) { o.selected = true; });
    });
  }

  // Prepopulated fields: filled from their sources as the user types,
  // slugified for slugs, until the user edits them or they start filled.
  function slugify(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  function prepopulate(target) {
    if (target.value !== "") return;
    var edited = false;
    var sources = target.getAttribute("data-prepopulate").split(" ").map(function (id) { return document.getElementById(id); }).filter(Boolean);
    var slug = target.getAttribute("data-slugify") === "true";
    var max = parseInt(target.getAttribute("maxlength"), 10);
    target.addEventListener("input", function () { edited = target.value !== ""; });
    function fill() {
      if (edited) return;
      var v = sources.map(function (s) { return s.value.trim(); }).filter(Boolean).join(" ");
      if (slug) v = slugify(v);
      if (max > 0) v = v.slice(0, max);
      target.value = v;
    }
    sources.forEach(function (s) { s.addEventListener("keyup", fill); s.addEventListener("change", fill); });
  }

  // JSON editor areas check the JSON as it is typed; the server checks it
  // again on save.
  function jsonArea(area) {
    var status = document.createElement("div");
    status.className = "json-status";
    status.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", status);
    function check() {
      var v = area.value.trim();
      var msg = "";
      if (v !== "") {
        try { JSON.parse(v); } catch (e) { msg = "Invalid JSON: " + e.message; }
      }
      area.setCustomValidity(msg);
      status.textContent = msg;
      status.classList.toggle("field-error", msg !== "");
    }
    area.addEventListener("input", check);
  }

  // Dialogs that htmx adds to the page open as modals (focus stays inside,
  // Escape closes them) and leave the page when closed.
  function modal(d) {
    document.querySelectorAll("dialog[data-modal][open]").forEach(function (o) { if (o !== d) o.close(); });
    var opener = document.activeElement;
    d.addEventListener("close", function () {
      d.remove();
      if (opener && opener.focus) opener.focus();
    });
    d.showModal();
  }

  function init(root) {
    // each runs fn once per element, however often htmx loads it.
    function each(sel, fn) {
      var els = Array.prototype.slice.call(root.querySelectorAll(sel));
      if (root.matches && root.matches(sel)) els.unshift(root);
      els.forEach(function (el) {
        if (el.entadminWidget) return;
        el.entadminWidget = true;
        fn(el);
      });
    }
    each(".autocomplete[data-autocomplete]", autocomplete);
    each(".dual", dual);
    each("[data-prepopulate]", prepopulate);
    each("textarea[data-json]", jsonArea);
    each("dialog[data-modal]:not([open])", modal);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(document); });
  else init(document);
  document.addEventListener("htmx:load", function (e) {
    if (e.target !== document.body) init(e.target);
  });
})();
