-- Customer: the reference module for the "simple" pattern (see .claude/entity-registry.json).
CREATE TABLE customers (
  id          INTEGER PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  email       VARCHAR(200) NOT NULL,
  created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE UNIQUE INDEX customers_email_idx ON customers (email);
