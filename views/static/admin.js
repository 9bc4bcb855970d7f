// entadmin: the few behaviours that need a script. No inline handlers: the
// page's Content-Security-Policy may forbid them.
(function () {
  "use strict";

  // A message is dismissed when it, or its close button, is clicked.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var message = target.closest(".message");
    if (!message || target.closest("a")) return; // links in a message still work
    var hadFocus = message.contains(document.activeElement);
    message.remove();
    if (hadFocus) {
      var content = document.getElementById("content");
      if (content) content.focus();
    }
  });

  // Messages are toasts: each one leaves after 5 seconds, whether it came
  // with the page or was added later by an htmx response.
  var toastDelay = 5000;
  function arm(region) {
    region.querySelectorAll(".message:not([data-armed])").forEach(function (message) {
      message.setAttribute("data-armed", "");
      setTimeout(function () {
        if (message.contains(document.activeElement)) {
          var content = document.getElementById("content");
          if (content) content.focus();
        }
        message.remove();
      }, toastDelay);
    });
  }
  function watchMessages() {
    var region = document.getElementById("messages");
    if (!region) return;
    arm(region);
    new MutationObserver(function () { arm(region); }).observe(region, { childList: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchMessages);
  } else {
    watchMessages();
  }
  // A history restore replaces the body, the message region included; the
  // toasts of the past do not come back.
  document.addEventListener("htmx:historyRestore", function () {
    document.querySelectorAll("#messages .message").forEach(function (m) { m.remove(); });
    watchMessages();
  });

  // Inlines (issue 5): "Add another" over htmx, removing a new row, and
  // reordering rows by drag and drop or by keyboard.

  function inlineOf(el) {
    return el.closest("[data-inline]");
  }

  function rowsOf(inline) {
    var box = inline.querySelector("[data-inline-rows]");
    return box ? Array.prototype.slice.call(box.children).filter(function (r) {
      return r.classList.contains("inline-row");
    }) : [];
  }

  // liveRows counts the rows that will exist after a save: not marked for
  // deletion.
  function liveRows(inline) {
    return rowsOf(inline).filter(function (r) {
      var del = r.querySelector('input[type="checkbox"][name$="-DELETE"]');
      return !(del && del.checked);
    }).length;
  }

  // updateAdd hides "Add another" once the inline holds its maximum.
  function updateAdd(inline) {
    var add = inline.querySelector("[data-inline-add]");
    var max = parseInt(inline.getAttribute("data-max") || "0", 10);
    if (add) add.hidden = max > 0 && liveRows(inline) >= max;
  }

  function sortInput(row) {
    return row.querySelector("input[data-inline-sort]");
  }

  // renumber saves the rows' order in their position inputs, from 1.
  function renumber(inline) {
    rowsOf(inline).forEach(function (row, i) {
      var input = sortInput(row);
      if (input) input.value = String(i + 1);
    });
  }

  function announce(inline, text) {
    var status = inline.querySelector("[data-inline-status]");
    if (status) status.textContent = text;
  }

  // The add button asks for the next index and says how many rows there are.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!(elt instanceof Element) || !elt.hasAttribute("data-inline-add")) return;
    var inline = inlineOf(elt);
    var next = 0;
    rowsOf(inline).forEach(function (row) {
      next = Math.max(next, parseInt(row.getAttribute("data-index"), 10) + 1);
    });
    event.detail.parameters.index = String(next);
    event.detail.parameters.total = String(liveRows(inline));
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!(target instanceof Element) || !target.hasAttribute("data-inline-rows")) return;
    var inline = inlineOf(target);
    var rows = rowsOf(inline);
    var row = rows[rows.length - 1];
    if (row && sortInput(row)) {
      var top = 0;
      rows.forEach(function (r) {
        if (r !== row) top = Math.max(top, parseInt(sortInput(r).value, 10) || 0);
      });
      sortInput(row).value = String(top + 1);
    }
    updateAdd(inline);
    var first = row && row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var remove = target.closest("[data-inline-remove]");
    if (!remove) return;
    var inline = inlineOf(remove);
    remove.closest(".inline-row").remove();
    updateAdd(inline);
    var add = inline.querySelector("[data-inline-add]");
    if (add && !add.hidden) add.focus();
    announce(inline, "Row removed.");
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && /-DELETE$/.test(target.name)) {
      updateAdd(inlineOf(target));
    }
  });

  // move puts a row before another (or last when before is null).
  function move(inline, row, before) {
    row.parentNode.insertBefore(row, before);
    renumber(inline);
  }

  document.addEventListener("keydown", function (event) {
    var handle = event.target;
    if (!(handle instanceof Element) || !handle.hasAttribute("data-inline-handle")) return;
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    event.preventDefault();
    var inline = inlineOf(handle);
    var row = handle.closest(".inline-row");
    var rows = rowsOf(inline);
    var i = rows.indexOf(row);
    if (event.key === "ArrowUp" && i > 0) {
      move(inline, row, rows[i - 1]);
    } else if (event.key === "ArrowDown" && i < rows.length - 1) {
      move(inline, row, rows[i + 1].nextElementSibling);
    } else {
      return;
    }
    handle.focus();
    announce(inline, "Moved to position " + (rowsOf(inline).indexOf(row) + 1) + " of " + rows.length + ".");
  });

  var dragged = null;

  function clearDrop(inline) {
    rowsOf(inline).forEach(function (r) {
      r.classList.remove("drop-before", "drop-after");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var handle = event.target;
    if (!(handle instanceof Element) || !handle.hasAttribute("data-inline-handle")) return;
    dragged = handle.closest(".inline-row");
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id);
    if (event.dataTransfer.setDragImage) event.dataTransfer.setDragImage(dragged, 10, 10);
  });

  // dropPlace returns the row a drag over event points at and whether the
  // dragged row goes after it.
  function dropPlace(event) {
    if (!dragged || !(event.target instanceof Element)) return null;
    var row = event.target.closest(".inline-row");
    if (!row || row === dragged || row.parentNode !== dragged.parentNode) return null;
    var box = row.getBoundingClientRect();
    return { row: row, after: event.clientY > box.top + box.height / 2 };
  }

  document.addEventListener("dragover", function (event) {
    var place = dropPlace(event);
    if (!place) return;
    event.preventDefault();
    var inline = inlineOf(place.row);
    clearDrop(inline);
    place.row.classList.add(place.after ? "drop-after" : "drop-before");
  });

  document.addEventListener("drop", function (event) {
    var place = dropPlace(event);
    if (!place) return;
    event.preventDefault();
    var inline = inlineOf(place.row);
    clearDrop(inline);
    move(inline, dragged, place.after ? place.row.nextElementSibling : place.row);
    announce(inline, "Moved to position " + (rowsOf(inline).indexOf(dragged) + 1) + ".");
  });

  document.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    clearDrop(inlineOf(dragged));
    dragged = null;
  });
})();

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

  // The list's filters: where they stand above the table (admin.css), their
  // disclosure starts closed, unless a search of a filter's choices was
  // sent without JavaScript; when htmx swaps them, it stays as the user
  // left it.
  var narrowList = window.matchMedia("(max-width: 1439.98px)");
  function closeFilters() {
    var details = document.querySelector(".filters-details");
    if (details && narrowList.matches && !document.querySelector(".filter-search input[type=search]:not([value=''])[value]")) {
      details.open = false;
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", closeFilters);
  } else {
    closeFilters();
  }
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var fragment = event.detail.fragment;
    if (!target || target.id !== "filters" || !fragment) return;
    var was = target.querySelector(".filters-details");
    var next = fragment.querySelector(".filters-details");
    if (was && next) next.open = was.open;
  });
})();
