// Derives emails/ and expected.json from planer's own test file (planerText.test.coffee, kept
// verbatim beside this script). Runs the test with stubs, so every
// `expect(planer.extractFromPlain(msgBody)).to.equal(reply)` becomes one input file and its
// expected visible text, exactly as the test states them. Not run by the project; to redo:
//   cd test/eval/corpora/reply-npm-planer && NODE_PATH=$(npm root -g) node derive.cjs
// with `npm i -g coffeescript@2` (or any coffeescript on NODE_PATH).
const fs = require('fs');
const path = require('path');
const CoffeeScript = require('coffeescript');

const here = __dirname;
const js = CoffeeScript.compile(fs.readFileSync(path.join(here, 'planerText.test.coffee'), 'utf8'), { bare: true });
const cases = [];
let current = '';
let lastInput;
const planer = { extractFromPlain: (input) => ((lastInput = input), { input }) };
const expect = (actual) => ({
  to: {
    equal: (expected) => cases.push({ test: current, input: actual.input, expected }),
    exist: () => cases.push({ test: current, input: actual.input, exists: true }),
    be: { below: () => cases.push({ test: current, input: lastInput, performance: true }) },
  },
});
global.describe = (_name, fn) => fn();
global.it = (name, fn) => ((current = name), fn());
new Function('require', js)((name) => (name === 'chai' ? { expect } : planer));

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
const fixtures = {};
fs.mkdirSync(path.join(here, 'emails'), { recursive: true });
cases.forEach((c, i) => {
  const file = `${String(i + 1).padStart(2, '0')}-${slug(c.test)}.txt`;
  fs.writeFileSync(path.join(here, 'emails', file), c.input);
  fixtures[file] = {
    test: c.test,
    ...(c.expected !== undefined ? { visible_text: c.expected } : {}),
    ...(c.performance ? { performance: 'planer: must finish in under 5 s (ours: 1 s)' } : {}),
    ...(c.exists ? { exists: true } : {}),
  };
});
fs.writeFileSync(path.join(here, 'expected.json'), JSON.stringify({ source: 'planer@1.2.0 test/planerText.test.coffee', fixtures }, null, 2) + '\n');
console.log(`${cases.length} cases`);
