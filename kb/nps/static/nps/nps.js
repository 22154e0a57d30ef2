/* NPS calculator: progressive enhancement.
 *
 * Without this script the form works as it is (GET or POST, rendered by the server). With it,
 * the result follows the visitor's typing: the form's values go to POST /api/v1/nps, which
 * computes with the same server-side module (kb/nps/) and returns the rendered result.
 * No formula lives here. In an iframe, the page also tells its parent how tall it is.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.nps-form");
  if (!form) { return; }
  var mode = form.getAttribute("data-mode");
  var result = document.getElementById("nps-result");
  var compare = form.querySelector("input[name=compare]");
  var sampleB = form.querySelector(".nps-sample-b");
  var timer = null;
  var sequence = 0;

  function value(name) {
    var field = form.elements.namedItem(name);
    return field && typeof field.value === "string" ? field.value : "";
  }

  function count(name) {
    // An empty box counts as 0, as the page says; the server reads the rest.
    return value(name).trim() === "" ? "0" : value(name);
  }

  function sample(prefix) {
    if (mode === "counts") {
      return {
        promoters: count(prefix + "promoters"),
        passives: count(prefix + "passives"),
        detractors: count(prefix + "detractors")
      };
    }
    if (mode === "distribution") {
      var distribution = [];
      for (var score = 0; score <= 10; score += 1) { distribution.push(count(prefix + "n" + score)); }
      return { distribution: distribution };
    }
    return { scores: value(prefix + "scores") };
  }

  function isComparing() { return Boolean(compare && compare.checked); }

  function fieldName(error) {
    var field = error.field || "";
    var prefix = "";
    if (field.indexOf("compare") === 0) {
      prefix = "b_";
      field = field.replace(/^compare\.?/, "");
    }
    if (field === "distribution" && error.position !== null) { return prefix + "n" + error.position; }
    if (field === "promoters" || field === "passives" || field === "detractors") { return prefix + field; }
    if (field === "confidence" || field === "decimals" || field === "target" || field === "margin") {
      return field;
    }
    if (mode === "list" && (field === "" || field === "scores")) { return prefix + "scores"; }
    return null;
  }

  function clearErrors() {
    form.querySelectorAll(".error[data-js]").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".nps-field.has-error").forEach(function (node) {
      node.classList.remove("has-error");
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) {
      node.removeAttribute("aria-invalid");
      node.removeAttribute("aria-describedby");
    });
  }

  function showError(error) {
    var name = fieldName(error);
    var input = name ? form.elements.namedItem(name) : null;
    var holder = input && input.closest ? input.closest(".nps-field") : null;
    var message = document.createElement(holder ? "span" : "p");
    message.className = "error";
    message.setAttribute("data-js", "");
    message.setAttribute("role", "alert");
    message.textContent = error.message;
    if (holder) {
      holder.classList.add("has-error");
      input.setAttribute("aria-invalid", "true");
      if (input.id) {
        // The same link as the server-rendered page: the box names its error.
        message.id = input.id + "_error";
        input.setAttribute("aria-describedby", message.id);
      }
      holder.appendChild(message);
    } else {
      var fieldset = form.querySelector(error.field && error.field.indexOf("compare") === 0 ? ".nps-sample-b" : ".nps-sample-a");
      fieldset.insertBefore(message, fieldset.querySelector(".nps-fields"));
    }
  }

  function shareableQuery() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "file" || field.type === "submit") { return; }
      if (field.type === "checkbox" && !field.checked) { return; }
      if (field.value === "" && field.type !== "hidden") { return; }
      if (field.name.indexOf("b_") === 0 && !isComparing()) { return; }
      params.append(field.name, field.value);
    });
    return params.toString();
  }

  function update() {
    var body = sample("");
    if (isComparing()) { body.compare = sample("b_"); }
    body.confidence = value("confidence") || "95";
    body.decimals = parseInt(value("decimals") || "0", 10);
    body.render = { target: value("target"), margin: value("margin") };
    var mine = (sequence += 1);
    fetch(form.getAttribute("data-api") + "?lang=" + encodeURIComponent(form.getAttribute("data-lang")), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      if (mine !== sequence) { return; } // a newer request is on its way
      clearErrors();
      if (answer.ok) {
        result.innerHTML = answer.data.html;
        if (window.history && window.history.replaceState && !document.body.classList.contains("nps-embed")) {
          window.history.replaceState(null, "", form.getAttribute("action") + "?" + shareableQuery());
        }
      } else if (answer.data && answer.data.error) {
        if (answer.data.error.code === "no_responses" && !answer.data.error.field) {
          result.innerHTML = "";
        } else {
          showError(answer.data.error);
        }
      }
      announceHeight();
    }).catch(function () { /* offline: the submit button still works */ });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 250);
  }

  function toggleSampleB() {
    if (sampleB) { sampleB.hidden = !isComparing(); }
    announceHeight();
  }

  function announceHeight() {
    if (window.parent === window) { return; }
    window.parent.postMessage(
      { type: "nps-embed-height", height: document.documentElement.scrollHeight }, "*"
    );
  }

  if (compare) {
    compare.addEventListener("change", toggleSampleB);
    toggleSampleB();
  }
  if (mode !== "csv") {
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }
  if (window.parent !== window) {
    if (window.ResizeObserver) { new ResizeObserver(announceHeight).observe(document.body); }
    window.addEventListener("load", announceHeight);
    announceHeight();
  }
}());
