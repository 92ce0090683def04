CREATE TABLE practitioners (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics (id),
  full_name TEXT NOT NULL
);
