// Initialise every GOV.UK Frontend component on the page.
// Served as /static/dist/app.mjs; load it with <script type="module">.
import { initAll } from "./govuk-frontend.min.js";

initAll();
