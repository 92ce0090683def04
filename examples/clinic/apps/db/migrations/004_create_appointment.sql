CREATE TABLE appointments (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics (id),
  patient_id INTEGER NOT NULL REFERENCES patients (id),
  practitioner_id INTEGER NOT NULL REFERENCES practitioners (id),
  starts_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'requested'
);
