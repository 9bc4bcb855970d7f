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
})();
