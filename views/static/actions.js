// entadmin: selecting rows for bulk actions. Without it, every row's
// checkbox and "select all matching" still work; it adds selecting the
// whole page at once and a count of the selection.
(function () {
  "use strict";

  function rows(results) {
    return Array.prototype.slice.call(results.querySelectorAll("input[data-select-row]"));
  }

  // update sets the page checkbox and the counter from the row checkboxes.
  function update(results) {
    var all = rows(results);
    var checked = all.filter(function (c) { return c.checked; }).length;
    var head = results.querySelector("input[data-select-all]");
    if (head) {
      head.checked = all.length > 0 && checked === all.length;
      head.indeterminate = checked > 0 && checked < all.length;
    }
    var across = results.querySelector("input[data-select-across]");
    var counter = results.querySelector("[data-action-counter]");
    if (counter) {
      counter.textContent = across && across.checked
        ? "All matching rows selected"
        : checked + " of " + all.length + " selected";
    }
    all.forEach(function (c) {
      var tr = c.closest("tr");
      if (tr) tr.classList.toggle("selected", c.checked);
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    var results = target.closest("#results");
    if (!results) return;
    if (target.hasAttribute("data-select-all")) {
      rows(results).forEach(function (c) { c.checked = target.checked; });
      if (!target.checked) {
        var across = results.querySelector("input[data-select-across]");
        if (across) across.checked = false;
      }
    } else if (target.hasAttribute("data-select-across")) {
      if (target.checked) rows(results).forEach(function (c) { c.checked = true; });
    } else if (target.hasAttribute("data-select-row")) {
      var acrossBox = results.querySelector("input[data-select-across]");
      if (!target.checked && acrossBox) acrossBox.checked = false;
    } else {
      return;
    }
    update(results);
  });

  // Rows with edited cells are marked, so that the user sees what Save
  // will write.
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target instanceof Element && /^e\./.test(target.getAttribute("name") || "")) {
      var tr = target.closest("tr");
      if (tr) tr.classList.add("edited");
    }
  });
})();
