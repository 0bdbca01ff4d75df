// Initialise every GOV.UK Frontend component on the page, and the timeout warning.
// Served as /static/dist/app.mjs; load it with <script type="module">.
import { initAll } from "./govuk-frontend.min.js";

initAll();

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
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
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
