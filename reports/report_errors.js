// Recorded before anything else runs, so that a test reading the DOM sees
// every script error of the page, and every element the page's
// Content-Security-Policy blocked (a hash that does not match its script
// or style, or anything injected).
window.addEventListener("error", function (e) {
  var d = document.documentElement;
  d.setAttribute("data-errors", (d.getAttribute("data-errors") || "") + (e.message || "error") + "\n");
});
document.addEventListener("securitypolicyviolation", function (e) {
  var d = document.documentElement;
  d.setAttribute("data-errors", (d.getAttribute("data-errors") || "") +
    "blocked by the page's Content-Security-Policy: " + e.effectiveDirective + " " + e.blockedURI + "\n");
});
