// Who Said What: small accessibility mends to Django's own admin widgets.
//
// The filter_horizontal widget (SelectFilter2.js, built on window "load") names its
// magnifier icons with aria-label on a <span> that has no role, which ARIA forbids:
// the icon is an image, so say so.
window.addEventListener("load", function () {
  setTimeout(function () {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }, 0);
});
