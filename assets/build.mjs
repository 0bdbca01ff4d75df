// Build the front-end assets into static/dist/ (git-ignored).
//
//   npm ci && npm run build
//
// No bundler and no network access: Sass is compiled with Dart Sass (the `sass`
// npm package) and everything else is copied from node_modules. The output
// directory is wiped first, so the result depends only on the sources and on
// the pinned versions in package-lock.json.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "dist");
const modules = join(root, "node_modules");
const govuk = join(modules, "govuk-frontend", "dist", "govuk");

// Fail early if node_modules does not match package.json (e.g. stale install).
const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).dependencies;
for (const name of ["govuk-frontend", "htmx.org", "sass"]) {
  const installed = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
  if (installed !== pinned[name]) {
    throw new Error(`${name} ${installed} is installed but package.json pins ${pinned[name]}: run npm ci`);
  }
}

const started = process.hrtime.bigint();
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "assets"), { recursive: true });

// CSS
const result = sass.compile(join(root, "assets", "scss", "app.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
});
writeFileSync(join(out, "app.css"), result.css + "\n");

// JavaScript: GOV.UK Frontend's ES module build, htmx, and our entry module.
const copies = [
  [join(govuk, "govuk-frontend.min.js"), "govuk-frontend.min.js"],
  [join(govuk, "govuk-frontend.min.js.map"), "govuk-frontend.min.js.map"],
  [join(modules, "htmx.org", "dist", "htmx.min.js"), "htmx.min.js"],
  [join(root, "assets", "js", "app.mjs"), "app.mjs"],
  // Images (favicons etc.) and the web app manifest; fonts are not needed.
  [join(govuk, "assets", "images"), join("assets", "images")],
  [join(govuk, "assets", "manifest.json"), join("assets", "manifest.json")],
];
for (const [from, to] of copies) {
  cpSync(from, join(out, to), { recursive: true });
}

// Fingerprint what pages load: each file is renamed NAME.HASH.EXT, so the server can tell
// browsers to keep it for a year, and dist/manifest.json maps each name to its
// fingerprinted file for the templates (app/assets.py). app.mjs imports GOV.UK Frontend,
// so it is rewritten to import the fingerprinted name before its own hash is taken.
const manifest = {};
const fingerprint = (name, rewrite = (text) => text) => {
  const path = join(out, name);
  const text = rewrite(readFileSync(path, "utf8"));
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 12);
  const dot = name.indexOf(".");
  const hashed = `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
  writeFileSync(path, text);
  renameSync(path, join(out, hashed));
  manifest[name] = hashed;
};
fingerprint("govuk-frontend.min.js");
fingerprint("htmx.min.js");
fingerprint("app.css");
fingerprint("app.mjs", (text) =>
  text.replace("./govuk-frontend.min.js", `./${manifest["govuk-frontend.min.js"]}`),
);
writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");

const ms = Number(process.hrtime.bigint() - started) / 1e6;
for (const to of [...Object.values(manifest), ...copies.map(([, to]) => to).filter((to) => !(to in manifest))]) {
  const path = join(out, to);
  if (statSync(path).isFile()) {
    console.log(`${relative(root, path).padEnd(48)} ${statSync(path).size} bytes`);
  } else {
    console.log(`${relative(root, path)}/`);
  }
}
console.log(`built static/dist/ in ${ms.toFixed(0)} ms`);
