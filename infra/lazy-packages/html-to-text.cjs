'use strict';
// html-to-text with htmlparser2, entities and domutils: loaded by the first HTML-only mail. mailparser
// takes htmlToText out of the package as it loads, so each function is a stand-in of its own.
const { besideBundle } = require('./lazy-package.cjs');

const load = besideBundle('./html-to-text.cjs');
exports.compile = (...args) => load().compile(...args);
exports.convert = (...args) => load().convert(...args);
exports.htmlToText = (...args) => load().htmlToText(...args);
