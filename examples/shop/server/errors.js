// Errors the HTTP layer maps to status codes: ValidationError -> 400, NotFoundError -> 404.
'use strict';

class ValidationError extends Error {
  /** @param {string[]} errors one message per invalid field */
  constructor(errors) {
    super(`invalid input: ${errors.join('; ')}`);
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

class NotFoundError extends Error {
  /** @param {string} entity @param {number} id */
  constructor(entity, id) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

module.exports = { ValidationError, NotFoundError };
