// Who Said What: the behaviour of the browse pages. No inline script or handler
// attribute anywhere (the Content-Security-Policy allows none): everything is here.
//
// - Filters apply when the user has chosen: a checkbox at once, a date on Enter or
//   when leaving the field (or at once when picked with the mouse), and the Leader,
//   Country and Topic boxes only when an option is picked (Enter or a click).
// - After every htmx swap, focus returns to the control the user used (or, if it is
//   gone, to the box of its filter, else to the results' status line); the pager
//   lands at the top of the results.
// - The month chart's bars are one tab stop; arrow keys move between them.
(function () {
  "use strict";

  // Whether the last input was a pointer or the keyboard.
  var lastInput = "key";
  document.addEventListener("pointerdown", function () { lastInput = "pointer"; }, true);
  document.addEventListener("keydown", function () { lastInput = "key"; }, true);

  function filtersForm(el) {
    var form = el && el.form;
    return form && form.id === "filters" ? form : null;
  }

  function apply(form) {
    if (form.requestSubmit) form.requestSubmit();
    else form.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
  }

  // On a phone, the filter panel starts folded, so the results come first; the chips
  // and the "on" mark in its summary say which filters apply.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(max-width: 720px)").matches) return;
    document.querySelectorAll("details.more-filters[data-fold-narrow]").forEach(function (d) {
      d.open = false;
    });
  });

  // Filters that apply on change.
  document.addEventListener("change", function (event) {
    var t = event.target;
    var form = filtersForm(t);
    if (!form || t.closest("[data-combobox]")) return;
    if (t.type === "checkbox" || t.type === "radio") {
      apply(form);
    } else if (t.hasAttribute("data-apply-on-enter")) {
      // Typing a date changes it at every digit: wait for Enter or for leaving it.
      if (lastInput === "pointer") apply(form);
      else t.setAttribute("data-pending", "");
    }
  });
  document.addEventListener("focusout", function (event) {
    var t = event.target;
    if (!t.isConnected || !t.hasAttribute || !t.hasAttribute("data-pending")) return;
    t.removeAttribute("data-pending");
    var form = filtersForm(t);
    if (form) apply(form);
  });

  // Comboboxes (templates/statements/_combobox.html): an input with a listbox of
  // options fetched from the server as the user types. Focus stays in the input;
  // aria-activedescendant names the option the arrows are on.
  function combobox(input) {
    var root = input.closest("[data-combobox]");
    return {
      root: root,
      input: input,
      list: document.getElementById(input.getAttribute("aria-controls")),
      status: root.querySelector("[aria-live]"),
    };
  }

  function optionsOf(c) {
    return Array.prototype.slice.call(
      c.list.querySelectorAll("[role=option]:not([aria-disabled=true])")
    );
  }

  function openList(c) {
    c.list.hidden = false;
    c.input.setAttribute("aria-expanded", "true");
  }

  function closeList(c) {
    c.list.hidden = true;
    c.input.setAttribute("aria-expanded", "false");
    activate(c, null);
  }

  function activate(c, option) {
    optionsOf(c).forEach(function (o) {
      o.setAttribute("aria-selected", o === option ? "true" : "false");
    });
    if (option) {
      c.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      c.input.removeAttribute("aria-activedescendant");
    }
  }

  function active(c) {
    var id = c.input.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }

  var pendingFetch = new WeakMap();

  function fetchOptions(c, then) {
    var asked = c.input.value;
    var url = c.root.getAttribute("data-source") + "?q=" + encodeURIComponent(asked.trim());
    var request = fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        // A later keystroke asked again: only the latest answer counts.
        if (pendingFetch.get(c.input) !== request || !c.input.isConnected) return;
        c.list.innerHTML = html;
        c.list.setAttribute("data-for", asked);
        openList(c);
        var n = optionsOf(c).length;
        c.status.textContent = n
          ? n + (n === 1 ? " option" : " options") + ": arrow keys to choose, Enter to add."
          : "Nothing matches.";
        if (then) then();
      })
      .catch(function () {
        c.status.textContent = "The options could not be loaded.";
      });
    pendingFetch.set(c.input, request);
    return request;
  }

  function pick(c, option) {
    var form = document.getElementById("filters");
    if (!form || !option) return;
    var value = document.createElement("input");
    value.type = "hidden";
    value.name = c.root.getAttribute("data-name");
    value.value = option.getAttribute("data-value");
    form.appendChild(value);
    closeList(c);
    c.status.textContent = "";
    apply(form);
  }

  function move(c, step) {
    var options = optionsOf(c);
    if (!options.length) return;
    var at = options.indexOf(active(c));
    var next = at < 0 ? (step > 0 ? 0 : options.length - 1) : Math.min(Math.max(at + step, 0), options.length - 1);
    activate(c, options[next]);
  }

  var typingTimer = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-combobox] [role=combobox]")) return;
    var c = combobox(input);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { fetchOptions(c); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-combobox] [role=combobox]")) return;
    var c = combobox(input);
    var fresh = !c.list.hidden && c.list.getAttribute("data-for") === input.value;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        if (fresh) move(c, step);
        else fetchOptions(c, function () { move(c, step); });
        break;
      case "Enter":
        // Never submits the form as it stands: Enter adds the option the arrows are
        // on, or the first one when the user typed and the options match the text.
        event.preventDefault();
        if (active(c)) pick(c, active(c));
        else if (input.value.trim()) {
          clearTimeout(typingTimer);
          if (fresh) pick(c, optionsOf(c)[0]);
          else fetchOptions(c, function () { pick(c, optionsOf(c)[0]); });
        }
        break;
      case "Escape":
        if (!c.list.hidden) {
          event.preventDefault();
          closeList(c);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
        break;
      case "Tab":
        closeList(c);
        break;
    }
  });

  // A click on an option adds it; the input keeps the focus.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest("[data-combobox] [role=listbox]")) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var option = target.closest("[data-combobox] [role=option]:not([aria-disabled=true])");
    if (option) {
      var input = option.closest("[data-combobox]").querySelector("[role=combobox]");
      pick(combobox(input), option);
      return;
    }
    if (target.matches("[data-combobox] [role=combobox]")) {
      var c = combobox(target);
      if (c.list.hidden) fetchOptions(c);
    }
  });
  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-combobox] [role=combobox]")) return;
    var c = combobox(input);
    closeList(c);
  });

  // Remember what the user used before a swap of the results, and put focus back.
  var used = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    // The request carries every pending field: none must apply again when the swap
    // takes it away (its focusout would submit a form that is being replaced).
    document.querySelectorAll("[data-pending]").forEach(function (field) {
      field.removeAttribute("data-pending");
    });
    var results = document.getElementById("results");
    var elt = event.detail.elt;
    if (!results || !(results === elt || results.contains(elt))) return;
    var focused = document.activeElement;
    var holder = focused && focused.closest ? focused.closest("[data-focus-fallback]") : null;
    used = {
      id: focused && focused !== document.body ? focused.id : "",
      fallback: holder ? holder.getAttribute("data-focus-fallback") : "",
      pager: elt.hasAttribute("data-pager"),
    };
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!used || !document.getElementById("results")) return;
    var was = used;
    used = null;
    var status = document.getElementById("results-status");
    if (was.pager) {
      var top = document.getElementById("statements") || document.getElementById("results");
      top.scrollIntoView({ block: "start" });
      if (status) status.focus({ preventScroll: true });
      return;
    }
    function restore() {
      var now = document.activeElement;
      if (now && now !== document.body && now.isConnected) return; // still there
      var target =
        (was.id && document.getElementById(was.id)) ||
        (was.fallback && document.getElementById(was.fallback)) ||
        document.getElementById("results-status");
      if (target) target.focus();
    }
    restore();
  });

  // The month chart: one tab stop, arrows between its bars.
  function initCharts(root) {
    (root || document).querySelectorAll("svg.timeline").forEach(function (svg) {
      var bars = Array.prototype.slice.call(svg.querySelectorAll("a"));
      if (!bars.length) return;
      var current = bars.indexOf(document.activeElement);
      bars.forEach(function (a, i) {
        a.setAttribute("tabindex", i === (current >= 0 ? current : bars.length - 1) ? "0" : "-1");
      });
    });
  }
  document.addEventListener("keydown", function (event) {
    var bar = event.target.closest && event.target.closest("svg.timeline a");
    if (!bar) return;
    var bars = Array.prototype.slice.call(bar.ownerSVGElement.querySelectorAll("a"));
    var at = bars.indexOf(bar);
    var next = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: bars.length - 1 }[event.key];
    if (next === undefined || next < 0 || next >= bars.length) return;
    event.preventDefault();
    bars.forEach(function (a, i) { a.setAttribute("tabindex", i === next ? "0" : "-1"); });
    bars[next].focus();
  });

  // New content, on load and after each swap: show the comboboxes (hidden without
  // JavaScript, which gets plain fields instead) and set the chart's tab stop.
  function init(root) {
    (root || document).querySelectorAll("[data-combobox][hidden]").forEach(function (box) {
      box.hidden = false;
    });
    initCharts(root);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
