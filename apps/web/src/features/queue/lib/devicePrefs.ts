// Choices that belong to a workstation rather than to a user: the nurse at the triage desk keeps
// triage selected whoever signs in there.

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Private browsing may forbid storage; the choice then lasts for this page only.
  }
}

export const devicePrefs = {
  servicePoint: (clinicId: string) => read(`sanita.queue.servicePoint.${clinicId}`),
  setServicePoint: (clinicId: string, id: string | null) => write(`sanita.queue.servicePoint.${clinicId}`, id),
  room: (servicePointId: string) => read(`sanita.queue.room.${servicePointId}`),
  setRoom: (servicePointId: string, room: string) => write(`sanita.queue.room.${servicePointId}`, room.trim() || null),
  checkInServicePoint: (clinicId: string) => read(`sanita.frontDesk.servicePoint.${clinicId}`),
  setCheckInServicePoint: (clinicId: string, id: string) => write(`sanita.frontDesk.servicePoint.${clinicId}`, id),
};
