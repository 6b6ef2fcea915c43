/* Moves focus to the error summary so screen readers announce it, keeps a form that cannot
   be sent (offline) on its page; pages work without this. */
(function () {
  "use strict";
  /* Pages come as the answer to a POST: make this history entry a plain GET of this page
     (?p=its number), so reloading shows the saved page instead of resubmitting, and the
     browser's back button goes to the page before. Where no cookie is kept (an embedded
     survey), the address carries the state, as the page's links do. */
  if (window.history && window.history.replaceState) {
    /* This browser runs scripts: its forms need no redirect after they are sent. */
    document.querySelectorAll("input[name=no-script]").forEach(function (field) {
      field.parentNode.removeChild(field);
    });
    var here = window.location.href;
    var form = document.querySelector("form[method=post]");
    var number = form && form.querySelector("input[name=page-number]");
    if (number && window.URL) {
      var url = new URL(form.getAttribute("action") || "", window.location.href);
      url.searchParams.set("p", number.value);
      var state = form.querySelector("input[name=response-state]");
      if (state && form.hasAttribute("data-carry")) url.searchParams.set("state", state.value);
      here = url.pathname + url.search;
    }
    /* The thank-you page, come in the answer to the last page, names its own address. */
    var named = document.querySelector("[data-address]");
    if (named) here = named.getAttribute("data-address");
    window.history.replaceState(null, "", here);
  }
  /* Inside another site's page (the embed snippet): tell that page how tall this one is,
     so that its frame fits (static/js/embed.js listens there; without it the frame keeps
     the snippet's height). "loaded": a new page, whose top that page brings into view. */
  if (window.parent !== window) {
    document.documentElement.className += " framed";
    var tellHeight = function (loaded) {
      var height = document.documentElement.getBoundingClientRect().height;
      window.parent.postMessage({ cepa: 1, height: height, loaded: loaded }, "*");
    };
    tellHeight(true);
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () { tellHeight(false); }).observe(document.body);
    }
  }
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  var RESEND_AFTER_MS = 10000;
  var offline = document.getElementById("offline-text");
  var notes = [];
  var enable = function (form, on) {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = !on; });
  };
  /* What is typed on a question page stays in this tab (sessionStorage) until the next
     page comes: a phone that drops the tab in the background, or a reload, gives it back.
     Keyed by the response's state and the page number; gone with the tab. */
  var DRAFT = "cepa-draft:";
  var store = null;
  try { store = window.sessionStorage; } catch (error) { store = null; }
  var ours = function (field) {
    return field.name && field.type !== "hidden" && field.type !== "submit" && !field.disabled;
  };
  var draftKey = function (form) {
    var page = form.querySelector("input[name=page-number]");
    var state = form.querySelector("input[name=response-state]");
    return store && page && state ? DRAFT + state.value + ":" + page.value : null;
  };
  var keepDraft = function (form, key) {
    var kept = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!ours(field)) return;
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.selectedOptions, function (option) {
          kept.push([field.name, option.value]);
        });
        return;
      }
      kept.push([field.name, field.value]);
    });
    try { store.setItem(key, JSON.stringify(kept)); } catch (error) { /* full or refused */ }
  };
  var restoreDraft = function (form, key) {
    var kept = null;
    try { kept = JSON.parse(store.getItem(key) || "null"); } catch (error) { kept = null; }
    if (!kept) return;
    var values = {};
    kept.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!ours(field)) return;
      var typed = values[field.name] || [];
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = typed.indexOf(field.value) >= 0;
      } else if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = typed.indexOf(option.value) >= 0;
        });
      } else if (field.name in values) {
        field.value = typed[0];
      }
    });
  };
  var questionForm = null;
  document.querySelectorAll("form").forEach(function (form) {
    var key = draftKey(form);
    if (key && form.querySelector(".nav-buttons")) {
      questionForm = key;
      restoreDraft(form, key);
      form.addEventListener("input", function () { keepDraft(form, key); });
      form.addEventListener("change", function () { keepDraft(form, key); });
    }
    /* A follow-up that hangs on a choice on the same page appears as soon as the choice
       shows it, instead of after the page is sent. The server lists the codes that show
       it (data-show-values) and decides again when the page comes in; "live-shown" tells
       it which follow-ups were on screen, so it does not send the page back to show them. */
    var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-show-on]"));
    if (blocks.length) {
      var shown = document.createElement("input");
      shown.type = "hidden";
      shown.name = "live-shown";
      form.appendChild(shown);
      var update = function () {
        blocks.forEach(function (block) {
          var name = block.getAttribute("data-show-on");
          /* The choice is a list of buttons, or a drop-down list (appearance "minimal"). */
          var on = form.querySelector(
            'input[name="' + name + '"]:checked, select[name="' + name + '"] option:checked'
          );
          var values = JSON.parse(block.getAttribute("data-show-values"));
          var show = values.indexOf(on ? on.value : "") >= 0;
          block.hidden = !show;
          /* What cannot be seen is not sent. */
          block.querySelectorAll("input, select, textarea").forEach(function (field) {
            field.disabled = !show;
          });
        });
        shown.value = blocks
          .filter(function (block) { return !block.hidden; })
          .map(function (block) { return block.id.replace(/^q-/, ""); })
          .join(" ");
      };
      form.addEventListener("change", update);
      update();
    }
    /* Offline, a form sent would end on the browser's error page, and what was typed on
       this page could be lost: it stays here instead, and a note next to the buttons says
       why (role=status: read out, without taking the focus). */
    var note = offline && document.createElement("p");
    if (note) {
      note.className = "connection-note";
      note.setAttribute("role", "status");
      ["lang", "dir"].forEach(function (name) {
        if (offline.hasAttribute(name)) note.setAttribute(name, offline.getAttribute(name));
      });
      var buttons = form.querySelector(".nav-buttons") || form.querySelector("[type=submit]");
      var place = buttons && buttons.closest("form > *");
      form.insertBefore(note, place || null);
      notes.push(note);
    }
    form.addEventListener("submit", function (event) {
      if (note && navigator.onLine === false) {
        event.preventDefault();
        note.textContent = offline.textContent;
        return;
      }
      if (note) note.textContent = "";
      /* A second click while the page is sending does nothing; on a connection so slow
         that nothing came back after a while, the buttons work again (saving a page
         twice stores it once). */
      setTimeout(function () { enable(form, false); }, 0);
      setTimeout(function () { enable(form, true); }, RESEND_AFTER_MS);
    });
  });
  /* Drafts of this response's other pages are saved by now; on the thank-you page
     (data-sent), all are: nothing typed stays in the tab of a shared phone. */
  var finished = document.querySelector("[data-sent]");
  if (store && (questionForm || finished)) {
    var prefix = finished ? DRAFT : questionForm.slice(0, questionForm.lastIndexOf(":") + 1);
    for (var index = store.length - 1; index >= 0; index--) {
      var name = store.key(index);
      if (name && name.indexOf(prefix) === 0 && name !== questionForm) store.removeItem(name);
    }
  }
  window.addEventListener("online", function () {
    notes.forEach(function (note) { note.textContent = ""; });
  });
  /* Back from the browser's error page may show this page as it was left: buttons off. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form").forEach(function (form) { enable(form, true); });
    }
  });
})();
