"use strict";
// Adds the translation status badge (complete / outdated / missing) to each language tab of the
// term form. The states come from the page (json_script "translation-states"). The tabs are
// built by modeltranslation's script at an unknown moment (a jQuery ready handler that may run
// after the load event), so the badges are added whenever tabs appear.
(function () {
  function addBadges(states) {
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
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("translation-states");
    if (!data) {
      return;
    }
    var states = JSON.parse(data.textContent);
    addBadges(states);
    var observer = new MutationObserver(function () {
      observer.disconnect();
      addBadges(states);
      observer.observe(document.body, { childList: true, subtree: true });
    });
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener("load", function () {
      addBadges(states);
    });
  });
})();
