/* Copy buttons on the round page. Optional: without this script (or a browser
   that cannot copy) the buttons stay hidden and the fields can be selected by hand. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var id = button.getAttribute("data-copy");
    var field = document.getElementById(id);
    var status = document.querySelector('.copy-status[data-for="' + id + '"]');
    if (!field || !(navigator.clipboard && window.isSecureContext)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { if (status) status.textContent = button.getAttribute("data-copied"); },
        function () { field.focus(); field.select(); }
      );
    });
  });
})();
