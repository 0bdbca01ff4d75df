// Initialise every GOV.UK Frontend component on the page, and keep focus where a keyboard
// or screen reader user expects it after HTMX replaces part of the page.
// Served as /static/dist/app.mjs; load it with <script type="module">.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// The page title's "Error: " prefix, in the page's language (layout.html puts it in a meta).
const errorPrefix = `${document.querySelector('meta[name="error-title-prefix"]')?.content ?? "Error:"} `;

// What started the last HTMX request, to find its counterpart in the new content, and
// whether focus was inside what the swap replaces (a minute's refresh of a list the user
// is only reading must not pull focus to it).
let trigger = null;
let focusWasInside = false;

document.addEventListener("htmx:beforeRequest", (event) => {
  const element = event.detail.elt;
  trigger = element instanceof HTMLElement
    ? { id: element.id, href: element.getAttribute("href") }
    : null;
});

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  focusWasInside = target instanceof HTMLElement && target.contains(document.activeElement);
});

document.addEventListener("htmx:afterSettle", (event) => {
  const swapped = event.target;
  if (!(swapped instanceof HTMLElement) || !swapped.isConnected) return;
  // Components in the new content (an error summary's links, conditional radios...). Those
  // already running refuse a second start; that refusal is expected, so it is not logged.
  initAll({
    scope: swapped.parentElement ?? document.body,
    errorSummary: { disableAutoFocus: true },
    onError: () => {},
  });
  const summary = swapped.matches(".govuk-error-summary")
    ? swapped
    : swapped.querySelector(".govuk-error-summary");
  if (summary) {
    showErrors(summary);
    return;
  }
  if (!document.querySelector(".govuk-error-summary") && document.title.startsWith(errorPrefix)) {
    document.title = document.title.slice(errorPrefix.length);
  }
  keepFocus(swapped);
});

// As GOV.UK's error summary does on a full page load: focus it (a screen reader reads it
// out), bring it into view, and say "Error:" in the title.
function showErrors(summary) {
  summary.setAttribute("tabindex", "-1");
  summary.addEventListener("blur", () => summary.removeAttribute("tabindex"), { once: true });
  summary.focus({ preventScroll: true });
  summary.scrollIntoView({ block: "start" });
  if (!document.title.startsWith(errorPrefix)) {
    document.title = errorPrefix + document.title;
  }
}

// A swap that replaced the focused element (a tab, a pagination link) leaves focus on
// <body>, and the next Tab starts again from the top of the page. Put it back on the new
// copy of what was activated, or else on the new content itself.
function keepFocus(swapped) {
  const focused = document.activeElement;
  if (!focusWasInside || (focused && focused !== document.body && focused.isConnected)) return;
  let target = null;
  if (trigger?.id) target = document.getElementById(trigger.id);
  if (!target && trigger?.href) {
    target = [...swapped.querySelectorAll("a[href]")].find(
      (link) => link.getAttribute("href") === trigger.href,
    );
  }
  if (!target) {
    target = swapped;
    swapped.setAttribute("tabindex", "-1");
    swapped.addEventListener("blur", () => swapped.removeAttribute("tabindex"), { once: true });
  }
  target.focus({ preventScroll: true });
}
