'use strict';
// iconv-lite and its charset tables: loaded by the first mail in a charset other than UTF-8 / US-ASCII.
const { besideBundle, standIn } = require('./lazy-package.cjs');

module.exports = standIn(besideBundle('./iconv-lite.cjs'));
