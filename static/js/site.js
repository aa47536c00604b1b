// On a phone, the filter panel starts folded when no filter is on, so results come first.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(max-width: 720px)").matches) return;
  document.querySelectorAll("details.more-filters[data-fold-narrow]").forEach(function (d) {
    d.open = false;
  });
});
