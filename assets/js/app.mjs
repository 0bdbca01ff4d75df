// Initialise every GOV.UK Frontend component on the page and the timeout warning, and
// keep focus where a keyboard or screen reader user expects it after HTMX replaces part
// of the page.
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

// The timeout warning (templates/components/_timeout_warning.html): two minutes before an
// idle session ends, a modal dialog counts down; "Stay signed in" or Escape extends the
// session, doing nothing goes to the "You have been signed out" page, which links back to
// this page through sign-in. Before warning, and again when time runs out, it asks the
// server how long is left: another tab may have kept the session alive meanwhile.
function timeoutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const data = dialog.dataset;
  const idle = Number(data.idleSeconds);
  const warning = Number(data.warningSeconds);
  const headers = JSON.parse(document.body.getAttribute("data-hx-headers") || "{}");
  const countdown = dialog.querySelector("[data-countdown]");
  const announce = dialog.querySelector("[data-announce]");
  let timer;
  let ticker;
  let deadline = Date.now() + idle * 1000;

  const words = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return (minutes === 1 ? data.minute : data.minutes).replace("{n}", minutes);
    }
    return (seconds === 1 ? data.second : data.seconds).replace("{n}", seconds);
  };

  const schedule = (seconds) => {
    clearTimeout(timer);
    deadline = Date.now() + seconds * 1000;
    timer = setTimeout(check, Math.max(0, seconds - warning) * 1000);
  };

  const remaining = async () => {
    try {
      const response = await fetch(data.remainingUrl, { headers: { Accept: "application/json" } });
      return response.ok ? (await response.json()).seconds : 0;
    } catch {
      return Math.round((deadline - Date.now()) / 1000); // offline: trust this page's clock
    }
  };

  const signedOut = () => {
    const url = new URL(data.timeoutUrl, window.location.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    window.location.assign(url.toString());
  };

  const close = () => {
    clearInterval(ticker);
    if (dialog.open) dialog.close();
  };

  const tick = async () => {
    const left = Math.round((deadline - Date.now()) / 1000);
    if (left > 0) {
      countdown.textContent = words(left);
      // A screen reader hears the time every 20 seconds, not every second.
      if (left % 20 === 0) announce.textContent = countdown.textContent;
      return;
    }
    clearInterval(ticker);
    const extended = await remaining();
    if (extended > 0) {
      close();
      schedule(extended);
    } else {
      signedOut();
    }
  };

  async function check() {
    const left = await remaining();
    if (left <= 0) return signedOut();
    if (left > warning + 5) return schedule(left);
    deadline = Date.now() + left * 1000;
    countdown.textContent = words(Math.round(left));
    announce.textContent = "";
    dialog.showModal();
    ticker = setInterval(tick, 1000);
  }

  const stay = async () => {
    try {
      const response = await fetch(data.keepAliveUrl, {
        method: "POST",
        headers: { ...headers, Accept: "application/json" },
      });
      if (!response.ok) return signedOut();
      close();
      schedule((await response.json()).seconds);
    } catch {
      // Offline: keep the warning up and its countdown running.
    }
  };

  dialog.querySelector("[data-stay]").addEventListener("submit", (event) => {
    event.preventDefault(); // ask in the background, keeping the page as it is
    stay();
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault(); // Escape: stay signed in, as the pattern has it
    stay();
  });
  // Every HTMX request is activity too; it has just renewed the session.
  document.body.addEventListener("htmx:afterRequest", () => {
    if (!dialog.open) schedule(idle);
  });
  schedule(idle);
}

timeoutWarning(document.getElementById("timeout-warning"));
