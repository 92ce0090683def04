// Seed 000's reservation slice as a small FastAPI service, and its data dictionary.

/** A small FastAPI service (seed 000's reservations): SQL migrations and SQLAlchemy models. */
export const RESERVATIONS_FILES: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "reservations"\ndependencies = ["fastapi", "sqlalchemy"]\n',
  'app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
  'migrations/001_reservations.sql': `-- reservations and their supplier audit
CREATE TABLE reservations (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  reservation_code CHAR(8) NOT NULL,
  status VARCHAR(32) NOT NULL,
  amount DECIMAL(10, 2),
  lock_version INT NOT NULL DEFAULT 0,
  UNIQUE KEY uq_code (reservation_code)
);
CREATE TABLE outbox_events (id BIGINT PRIMARY KEY, payload JSON NOT NULL, created_at DATETIME NOT NULL);
`,
  'migrations/002_supplier_requests.sql': `CREATE TABLE reservation_supplier_requests (id BIGINT PRIMARY KEY, reservation_id BIGINT NOT NULL, request JSON, response JSON);
ALTER TABLE reservations ADD COLUMN supplier_code VARCHAR(64), DROP COLUMN amount;
`,
  'app/models.py': `from sqlalchemy.orm import Mapped, mapped_column
class Receipt(Base):
    __tablename__ = "receipts"
    id: Mapped[int] = mapped_column(primary_key=True)
    reservation_code: Mapped[str] = mapped_column()
`,
};

export const DICTIONARY = `# Data dictionary

Everything the reservation slice stores (UTC everywhere).

## Table: reservations

| Column | Type | Description |
|---|---|---|
| \`id\` | BIGINT | key |
| \`reservation_code\` | CHAR(8) | our 8-character code |
| \`status\` | VARCHAR(32) | CONFIRMED, CONFIRMED_INTERNAL, … |
| \`lock_version\` | INT | optimistic locking |
| \`supplier_code\` | VARCHAR(64) | the supplier's code |

### outbox_events
- id (BIGINT)
- payload (JSON): the event
- created_at

### reservation_supplier_requests
- \`id\`
- \`reservation_id\`
- \`request\`
- \`response\`

### receipts
| Campo | Tipo |
|---|---|
| id | int |
| reservation_code | str |
`;
