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
})();
