// Derives files/ from mail-stripper's own test file (test.coffee, kept verbatim beside this
// script). Runs the test with stubs, so every `message = @stripper.parse(mail[, name])` followed by
// `message.should.eql(expected)` becomes files/NN-slug.input.txt (the mail) and
// files/NN-slug.output.txt (the exact expected text), as the test states them. Cases whose parse
// call passes a sender name are left out (listed in README.md): our extractor is given no name.
// Not run by the project; to redo:
//   cd test/eval/corpora/reply-npm-mail-stripper && NODE_PATH=$(npm root -g) node derive.cjs
// with `npm i -g coffee-script@1.7.1` (the version upstream tests with) or coffeescript@2: both
// give the same files.
const fs = require('fs');
const path = require('path');
let CoffeeScript;
try { CoffeeScript = require('coffee-script'); } catch { CoffeeScript = require('coffeescript'); }

const here = __dirname;
const js = CoffeeScript.compile(fs.readFileSync(path.join(here, 'test.coffee'), 'utf8'), { bare: true });
const cases = [];
let current = '';
let title = '';
class MailStripper {
  constructor(opts) { this.opts = opts; }
  parse(mail, name) {
    const call = { test: current, mail, name };
    return { should: { eql: (expected) => cases.push({ ...call, expected }) } };
  }
}
const context = {};
const befores = [];
global.describe = (name, fn) => { const outer = title; title = name; fn(); title = outer; };
global.before = (fn) => befores.push(fn);
global.it = (name, fn) => {
  for (const b of befores.splice(0)) b.call(context, () => {});
  current = `${title} ${name}`;
  fn.call(context, () => {});
};
new Function('require', js)((name) => (name === 'chai' ? { should: () => undefined } : MailStripper));

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
fs.mkdirSync(path.join(here, 'files'), { recursive: true });
const written = [];
const skipped = [];
cases.forEach((c, i) => {
  const base = `${String(i + 1).padStart(2, '0')}-${slug(c.test)}`;
  if (c.name !== undefined && c.name !== null && c.expected !== c.mail) {
    skipped.push(`${base} (passes the sender name ${JSON.stringify(c.name)})`);
    return;
  }
  fs.writeFileSync(path.join(here, 'files', `${base}.input.txt`), c.mail);
  fs.writeFileSync(path.join(here, 'files', `${base}.output.txt`), c.expected);
  written.push(base);
});
console.log(`wrote ${written.length} pairs:\n  ${written.join('\n  ')}`);
console.log(`left out ${skipped.length}:\n  ${skipped.join('\n  ')}`);
