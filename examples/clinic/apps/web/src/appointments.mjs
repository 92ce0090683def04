// The appointments screen.
/** @param {{ startsAt: string, status: string }[]} appointments */
export function render(appointments) {
  return `<ul>${appointments.map((a) => `<li>${a.startsAt} — ${a.status}</li>`).join('')}</ul>`;
}
