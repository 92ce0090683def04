// Loads every module in server/entities/ — adding an entity is adding one file there.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const DIR = path.join(__dirname, 'entities');

/** @returns {{ file: string, mod: any }[]} every entity module, by file name */
function loadEntities() {
  return fs.readdirSync(DIR)
    .filter((name) => name.endsWith('.js'))
    .sort()
    .map((name) => ({ file: path.join(DIR, name), mod: require(path.join(DIR, name)) }));
}

module.exports = { DIR, loadEntities };
