/* The section wizard's autosave. Without this script the page works by plain form posts.
 *
 * On every change the form is posted (debounced, one request at a time) to the autosave endpoint.
 * The server saves, asks the engine which questions are visible now, and answers with their ids,
 * the new lock version, the section progress and the live-risk panel rendered as HTML. This script
 * never evaluates a condition itself: it only shows or hides the question containers the server
 * names (enabling or disabling their inputs so hidden ones are not sent) and swaps in the HTML.
 */
(function () {
  "use strict";

  var form = document.getElementById("section-form");
  if (!form || !window.fetch) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("save-status");
  var conflictNotice = document.getElementById("conflict-notice");
  var riskPanel = document.getElementById("risk-panel");
  var sectionsNav = document.getElementById("sections-nav");
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var token = tokenMeta ? tokenMeta.getAttribute("content") : "";

  var DELAY_MS = 600;
  var edits = 0; // changes made on this page
  var savedEdits = 0; // changes the server has confirmed
  var inFlight = false;
  var timer = null;
  var stopped = false; // after a conflict: the person must choose before anything else is saved
  var submitting = false;

  function setStatus(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function ownsControl(element) {
    // File inputs for evidence sit inside the page but belong to their own upload forms.
    return element && element.form === form;
  }

  function showQuestions(visibleIds) {
    var visible = {};
    visibleIds.forEach(function (id) {
      visible[id] = true;
    });
    form.querySelectorAll("[data-question]").forEach(function (container) {
      var show = visible[container.getAttribute("data-question")] === true;
      if (container.hidden === !show) {
        return;
      }
      container.hidden = !show;
      container.querySelectorAll("input, select, textarea, button").forEach(function (control) {
        control.disabled = !show;
      });
    });
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (slot) {
      var id = slot.getAttribute("data-error-for");
      var messages = errors[id];
      var container = document.getElementById("q-" + id);
      if (messages && messages.length) {
        slot.textContent = "Error: " + messages.join(" ");
        slot.hidden = false;
        if (container) {
          container.classList.add("question--error");
        }
      } else {
        slot.textContent = "";
        slot.hidden = true;
        if (container) {
          container.classList.remove("question--error");
        }
      }
    });
  }

  function apply(data) {
    if (typeof data.lock_version === "number") {
      form.elements.lock_version.value = String(data.lock_version);
    }
    if (Array.isArray(data.visible)) {
      showQuestions(data.visible);
    }
    if (riskPanel && typeof data.risk_panel === "string") {
      riskPanel.innerHTML = data.risk_panel;
    }
    if (sectionsNav && typeof data.sections_nav === "string") {
      sectionsNav.innerHTML = data.sections_nav;
    }
    showErrors(data.errors || {});
  }

  function describe(data) {
    var level = riskPanel && riskPanel.querySelector("[data-overall-level]");
    var risk = level ? " Overall risk: " + level.textContent + "." : "";
    // The server writes the time as every page does ("30 Nov 2026, 14:05 CET").
    var when = data.saved_at_text || data.saved_at;
    var count = Object.keys(data.errors || {}).length;
    if (count) {
      return "Saved at " + when + ", except " + count + " answer" + (count === 1 ? "" : "s") +
        " marked with an error." + risk;
    }
    return "Saved at " + when + "." + risk;
  }

  function conflict(message) {
    stopped = true;
    if (conflictNotice) {
      conflictNotice.hidden = false;
    }
    setStatus("Not saved: " + (message || "someone else saved this assessment first."));
  }

  function send() {
    timer = null;
    if (stopped || submitting) {
      return;
    }
    if (inFlight) {
      schedule();
      return;
    }
    var sending = edits;
    inFlight = true;
    setStatus("Saving…");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      body: new URLSearchParams(new FormData(form)),
    })
      .then(function (response) {
        return response.json().then(
          function (data) {
            return { code: response.status, data: data };
          },
          function () {
            return { code: response.status, data: {} };
          }
        );
      })
      .then(function (result) {
        if (result.code === 200 || (result.code === 400 && result.data.lock_version !== undefined)) {
          savedEdits = Math.max(savedEdits, sending);
          apply(result.data);
          setStatus(describe(result.data));
        } else if (result.code === 409) {
          conflict(result.data.message);
        } else if (result.code === 401) {
          setStatus("Not saved: you have been signed out. Sign in again in another tab, then press Save.");
        } else {
          setStatus("Not saved: " + (result.data.message || "the server refused the change") +
            " Your answers are still on this page; press Save to try again.");
        }
      })
      .catch(function () {
        setStatus("Not saved: the server could not be reached. Your answers are still on this page; press Save when you are back online.");
      })
      .then(function () {
        inFlight = false;
        if (edits > savedEdits && !stopped && timer === null) {
          schedule();
        }
      });
  }

  function schedule() {
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(send, DELAY_MS);
  }

  function changed(event) {
    if (!ownsControl(event.target) || stopped) {
      return;
    }
    edits += 1;
    setStatus("Unsaved changes…");
    schedule();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (edits > savedEdits || inFlight)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
