'use strict';
// linkify-it: mailparser makes one as it loads (a pattern of every top-level domain, ~10 ms of a
// cold start) for turning text into HTML, which parseMail switches off. The stand-in keeps the
// set-up calls and makes the real one, with them, only when something asks it to find links.
const { besideBundle } = require('./lazy-package.cjs');

const load = besideBundle('./linkify-it.cjs');
const SET_UP = ['tlds', 'add', 'set'];
const FINDS = ['test', 'pretest', 'testSchemaAt', 'match', 'matchAtStart', 'normalize', 'onCompile'];

module.exports = function linkifyIt(...options) {
  const setUp = [];
  let real;
  const made = () => {
    if (!real) {
      real = load()(...options);
      for (const [name, args] of setUp) real[name](...args);
    }
    return real;
  };
  const standIn = {};
  for (const name of SET_UP) {
    standIn[name] = (...args) => {
      if (real) real[name](...args);
      else setUp.push([name, args]);
      return standIn;
    };
  }
  for (const name of FINDS) standIn[name] = (...args) => made()[name](...args);
  return standIn;
};
