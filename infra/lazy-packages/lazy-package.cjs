'use strict';
/**
 * Stand-ins for packages in the Lambda bundles (infra/lambda-bundling.ts aliases each package to
 * its stand-in here): the package itself is bundled into a file of its own beside index.mjs and
 * loaded the first time it is used. Bundling-only: tests and the CLI import the real packages.
 */

// In a Lambda bundle `require` is the banner's createRequire(import.meta.url): a path given to it
// at run time (not a literal, so esbuild leaves it alone) is resolved beside index.mjs.
function loadBesideBundle(file) {
  return require(file);
}

/** A function that loads the package bundled as `file` the first time it is called, and returns it. */
function besideBundle(file) {
  let loaded;
  return () => (loaded ??= loadBesideBundle(file));
}

/** A stand-in whose members are the package's, read once something asks for one. */
function standIn(load) {
  return new Proxy(Object.create(null), {
    // esbuild's interop asks whether this is an ES module when the bundle starts: that must not load it
    get: (_, key) => (key === '__esModule' ? undefined : load()[key]),
    set: (_, key, value) => Reflect.set(load(), key, value),
    has: (_, key) => key in load(),
  });
}

module.exports = { besideBundle, standIn };
