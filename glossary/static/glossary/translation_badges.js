"use strict";
// Adds the translation status badge (complete / outdated / missing) to each language tab of the
// term form. The states come from the page (json_script "translation-states"); the tabs are
// built by modeltranslation's script, so this runs once the page has loaded.
window.addEventListener("load", function () {
  var data = document.getElementById("translation-states");
  if (!data) {
    return;
  }
  var states = JSON.parse(data.textContent);
  document.querySelectorAll(".ui-tabs-nav a[href^='#tab_id_']").forEach(function (link) {
    var match = /_([a-z]{2}(?:_[a-z]+)?)$/.exec(link.getAttribute("href"));
    var info = match && states[match[1]];
    if (!info || link.querySelector(".translation-badge")) {
      return;
    }
    var badge = document.createElement("span");
    badge.className = "translation-badge translation-" + info.state;
    badge.textContent = info.label;
    link.appendChild(badge);
  });
});
