// The dashboard's day board: today's appointments per practitioner (read only).
/** @param {{ practitioner: string, startsAt: string }[]} appointments */
export function render(appointments) {
  const byPractitioner = new Map();
  for (const a of appointments) byPractitioner.set(a.practitioner, [...(byPractitioner.get(a.practitioner) ?? []), a.startsAt]);
  return [...byPractitioner].map(([who, times]) => `<section><h2>${who}</h2>${times.join(', ')}</section>`).join('');
}
