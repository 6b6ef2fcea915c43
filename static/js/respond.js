/* Moves focus to the error summary so screen readers announce it; pages work without this. */
(function () {
  "use strict";
  /* Pages come as the answer to a POST: make this history entry a plain GET of the same
     address, so reloading or going back shows the saved page instead of resubmitting. */
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.href);
  }
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  /* A second click on a submit button while the page is sending does nothing. */
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
})();
