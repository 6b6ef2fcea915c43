/* For another site's page that embeds a survey (the round page's embed snippet loads this).
   The survey's pages say how tall they are: the frame takes that height, so a person on a
   phone scrolls one page, not a page inside a page. When a new survey page comes (after
   Next, Back or a change of language) with the frame's top scrolled out of sight, the
   frame's top comes into view, where the new page and its messages begin. Only messages
   from the survey's own site are heard; without this script the frame keeps its height. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL || !window.addEventListener) return;
  var origin = new URL(script.src, window.location.href).origin;
  var MIN = 120;
  var MAX = 100000;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.cepa !== 1) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i += 1) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      var height = Math.ceil(Number(data.height));
      if (height >= MIN && height <= MAX) frame.style.height = height + "px";
      if (data.loaded) {
        frame.cepaPages = (frame.cepaPages || 0) + 1;
        if (frame.cepaPages > 1 && frame.getBoundingClientRect().top < 0) frame.scrollIntoView();
      }
      return;
    }
  });
})();
