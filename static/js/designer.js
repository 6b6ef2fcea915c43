/* Designer helpers, all optional: the pages work without them.
   1. Show only the settings that fit the chosen question type.
   2. Check logic expressions as they are typed. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-check-url]");
  if (!form) return;

  var typeSelect = form.querySelector("select[name=type]");
  function showForType() {
    if (!typeSelect) return;
    var type = typeSelect.value;
    form.querySelectorAll("[data-types]").forEach(function (block) {
      var types = block.getAttribute("data-types").split(" ");
      block.hidden = types.indexOf(type) === -1;
    });
  }
  if (typeSelect) {
    typeSelect.addEventListener("change", showForType);
    showForType();
  }

  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timers = {};
  function check(input) {
    var status = form.querySelector('.logic-status[data-for="' + input.id + '"]');
    if (!status) return;
    var body = new URLSearchParams();
    body.append("expression", input.value);
    fetch(form.getAttribute("data-check-url"), {
      method: "POST",
      headers: { "X-CSRFToken": token ? token.value : "" },
      body: body,
      credentials: "same-origin"
    })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        status.textContent = result.message || "";
        status.className = "logic-status " + (result.ok ? "logic-ok" : "logic-error");
        input.setAttribute("aria-invalid", result.ok ? "false" : "true");
      })
      .catch(function () { status.textContent = ""; });
  }
  form.querySelectorAll("input.logic").forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timers[input.id]);
      timers[input.id] = setTimeout(function () { check(input); }, 400);
    });
  });
})();
