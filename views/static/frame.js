// entadmin: the page frame's behaviours. The theme menu applies the theme
// at once and posts the choice, which the server keeps for the next pages.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-theme-select")) return;
    if (select.value === "auto") {
      document.documentElement.removeAttribute("data-theme");
    } else {
      document.documentElement.setAttribute("data-theme", select.value);
    }
    select.form.requestSubmit();
  });
})();
