'use strict';
// encoding-japanese (ISO-2022-JP and friends; it builds its tables when it loads): loaded by the first mail that needs it.
const { besideBundle, standIn } = require('./lazy-package.cjs');

module.exports = standIn(besideBundle('./encoding-japanese.cjs'));
