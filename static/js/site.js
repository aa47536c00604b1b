// On a phone, the filter panel starts folded, so the results come first; the chips
// and the "on" mark in its summary say which filters apply.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(max-width: 720px)").matches) return;
  document.querySelectorAll("details.more-filters[data-fold-narrow]").forEach(function (d) {
    d.open = false;
  });
});

// The speaker suggestions: arrow keys move between the input and the suggestions,
// Escape closes them. (Enter on the input picks the first; see list.html.)
document.addEventListener("keydown", function (event) {
  var input = document.getElementById("speaker-ac");
  var list = document.getElementById("speaker-suggestions");
  if (!input || !list) return;
  var buttons = Array.prototype.slice.call(list.querySelectorAll("button"));
  var at = buttons.indexOf(event.target);
  if (event.target === input && event.key === "ArrowDown" && buttons.length) {
    event.preventDefault();
    buttons[0].focus();
  } else if (at >= 0 && event.key === "ArrowDown") {
    event.preventDefault();
    buttons[Math.min(at + 1, buttons.length - 1)].focus();
  } else if (at >= 0 && event.key === "ArrowUp") {
    event.preventDefault();
    (at === 0 ? input : buttons[at - 1]).focus();
  } else if ((at >= 0 || event.target === input) && event.key === "Escape") {
    list.innerHTML = "";
    input.focus();
  }
});
