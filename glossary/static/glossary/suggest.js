// Autocomplete for the glossary search boxes (progressive enhancement: without this script
// the forms submit to the search page). ARIA 1.2 combobox with a listbox popup: arrows move,
// Enter opens the highlighted term (or submits the form), Escape closes the list.
(function () {
  "use strict";
  var DELAY = 120;
  var counter = 0;

  function enhance(form) {
    var input = form.querySelector("input[type=search]");
    var endpoint = form.getAttribute("data-suggest-url");
    if (!input || !endpoint || !window.fetch) return;
    var lang = document.documentElement.lang || "fr";
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function select(index) {
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      close();
      if (!suggestions.length) return;
      suggestions.forEach(function (suggestion, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-url", suggestion.url);
        item.textContent = suggestion.label;
        if (suggestion.label !== suggestion.name) {
          var name = document.createElement("span");
          name.className = "suggestion-name";
          name.textContent = " → " + suggestion.name;
          item.appendChild(name);
        }
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep focus in the input until we navigate
          window.location.assign(suggestion.url);
        });
        list.appendChild(item);
        items.push(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 1) { close(); return; }
      var request = ++latest;
      var url = endpoint + "?lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (request === latest) show(data.suggestions || []); })
        .catch(function () { if (request === latest) close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        if (!items.length) { fetchSuggestions(); return; }
        event.preventDefault();
        select(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!items.length) return;
        event.preventDefault();
        select(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        if (active >= 0 && items[active]) {
          event.preventDefault();
          window.location.assign(items[active].getAttribute("data-url"));
        }
      } else if (event.key === "Escape") {
        if (items.length) { event.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    counter += 1;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.search-form[data-suggest-url]"), enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
