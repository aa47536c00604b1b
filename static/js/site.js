// On a phone, the filter panel starts folded, so the results come first; the chips
// and the "on" mark in its summary say which filters apply.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(max-width: 720px)").matches) return;
  document.querySelectorAll("details.more-filters[data-fold-narrow]").forEach(function (d) {
    d.open = false;
  });
});
