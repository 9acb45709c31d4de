import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { baseUrl, checkA11y, demoPassword, launch, newPage, shot, signIn } from './browser.ts';

/**
 * The journey books a slot of today and checks it in, which only works on the appointment's own
 * day: late in the Kinshasa evening no slot of today is left. The test then moves the clinic (in
 * its own database) to a time zone where it is daytime, and puts it back afterwards.
 */
const ZONES = ['Africa/Kinshasa', 'Pacific/Honolulu', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Tokyo'];
const hourIn = (zone: string) =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
const clinicZone = ZONES.find((z) => hourIn(z) >= 2 && hourIn(z) < 20)!;

let browser: Browser;
async function setKinshasaZone(zone: string) {
  const c = new pg.Client({ connectionString: inject('databaseUrl') });
  await c.connect();
  await c.query(`UPDATE clinics SET timezone = $1 WHERE code = 'KIN'`, [zone]);
  await c.end();
}
beforeAll(async () => {
  browser = await launch();
  await setKinshasaZone(clinicZone);
});
afterAll(async () => {
  await browser.close();
  await setKinshasaZone('Africa/Kinshasa');
});

/** The API as one demo user: set-up that an administrator would have done beforehand. */
async function api(email: string) {
  const login = await fetch(`${baseUrl()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: demoPassword() }),
  });
  expect(login.status).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    expect(res.ok, `${method} ${path}: ${res.status} ${text}`).toBe(true);
    return (text ? JSON.parse(text) : null) as T;
  };
}

/** ISO weekday (1 = Monday) at the Kinshasa clinic now. */
function kinshasaWeekday(): number {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: clinicZone, weekday: 'short' }).format(new Date());
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(day) + 1;
}

describe('front desk', () => {
  it('a receptionist books a patient from a free slot, checks them in and calls them while the waiting-room display shows it', async () => {
    // an administrator set up a waiting-room TV and a practitioner who works all day today (so the
    // journey finds a free slot whatever the hour it runs at)
    // the super admin: the other journey turns on two-factor sign-in for admin@, and files may run in either order
    const admin = await api('super_admin@sanita.test');
    const clinics = await admin<{ data: { id: string; code: string }[] }>('GET', '/api/clinics');
    const kin = clinics.data.find((c) => c.code === 'KIN')!.id;
    const display = await admin<{ url: string }>('POST', '/api/display-tokens', { name: 'Main hall TV', servicePointIds: [] });
    const practitioners = await admin<{
      data: { id: string; displayName: string; userId: string | null; requiresConfirmation: boolean }[];
    }>('GET', `/api/practitioners?clinicId=${kin}`);
    const dr = practitioners.data.find((p) => p.userId === null && !p.requiresConfirmation)!;
    await admin('PUT', `/api/practitioners/${dr.id}/templates`, {
      clinicId: kin,
      templates: [
        { weekday: kinshasaWeekday(), startTime: '00:00', endTime: '23:59', slotMinutes: 10, bufferMinutes: 0, visitTypeIds: [] },
      ],
    });
    const reception = await api('receptionist@sanita.test');
    await reception('POST', '/api/patients', {
      givenName: 'Espérance',
      familyName: 'Tshiabola',
      sex: 'female',
      birthDate: '1991-04-12',
      phones: ['+243 81 700 0042'],
    });

    // the TV in the waiting room, opened once with its link
    const tv = await newPage(browser, 'fr-FR');
    await tv.goto(new URL(display.url).pathname + new URL(display.url).search);
    await tv.getByRole('button', { name: /activer le son|enable sound/i }).click();
    await tv.evaluate(() => ((window as unknown as { sameBoard: boolean }).sameBoard = true));

    const page = await newPage(browser);
    await signIn(page, 'receptionist@sanita.test');

    // book from the first free slot of the practitioner on today's calendar
    await page.goto('/schedule');
    await page
      .getByRole('button', { name: new RegExp(`^Free at .*: book ${dr.displayName}$`) })
      .first()
      .click();
    const booking = page.getByRole('dialog');
    await booking.getByLabel('Patient').fill('Tshiabola');
    await page.getByRole('option', { name: /Espérance Tshiabola/ }).click();
    await checkA11y(page, 'booking from a free slot');
    await booking.getByRole('button', { name: 'Book', exact: true }).click();
    await expect
      .poll(() =>
        page
          .getByText(/Appointment booked for Espérance Tshiabola/)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await shot(page, 'receptionist-schedule-booked');

    // the patient arrives: check in at consultation room 1
    await page.goto('/front-desk');
    await page.getByRole('button', { name: /^Check in .*Tshiabola/ }).click();
    const checkIn = page.getByRole('dialog');
    // every service point shows at once: no dropdown covers the priorities and the button
    await checkIn.getByRole('radio', { name: /Consultation 1/ }).check();
    // Espérance is 35: the elderly priority is not offered, and the form says why
    await expect.poll(() => checkIn.getByRole('radio', { name: 'Elderly' }).isDisabled()).toBe(true);
    await expect.poll(() => checkIn.getByText(/for patients aged 60 or over \(this patient is 35\)/).isVisible()).toBe(true);
    // she is pregnant: that priority is offered, and puts her ahead of the room's other patients
    await checkIn.getByRole('radio', { name: 'Pregnant' }).check();
    await checkA11y(page, 'check-in dialog');
    await shot(page, 'receptionist-check-in-dialog');
    expect(await checkIn.getByRole('button', { name: 'Check in and give a ticket' }).isVisible()).toBe(true);
    await checkIn.getByRole('button', { name: 'Check in and give a ticket' }).click();
    // the ticket stays on the page, large, with print and the way to its queue
    const issued = page.getByTestId('issued-ticket-code');
    await expect.poll(() => issued.isVisible()).toBe(true);
    const code = (await issued.innerText()).trim();
    expect(code).toMatch(/^[A-Z]{1,3}-\d{3}$/);
    expect(await page.getByRole('button', { name: 'Print ticket' }).isVisible()).toBe(true);
    // who waits, per service point, live: our patient at Consultation 1 with her ticket
    const consult1 = page.getByTestId('waiting-CONSULT1');
    await expect.poll(() => consult1.getByText(code).isVisible()).toBe(true);
    expect(await consult1.getByText('Espérance Tshiabola').isVisible()).toBe(true);
    await checkA11y(page, 'front desk');
    await shot(page, 'receptionist-front-desk');

    // call the next patient of that room (the demo doctor's patients wait there too; a pregnant woman goes first):
    // the ticket's panel opens its queue
    await page.getByRole('link', { name: 'Open the queue', exact: true }).click();
    await expect.poll(() => page.getByText(code).first().isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Call next' }).click();
    await expect
      .poll(() =>
        page
          .getByText(new RegExp(`${code} called to`))
          .first()
          .isVisible(),
      )
      .toBe(true);
    await checkA11y(page, 'queue');
    await shot(page, 'receptionist-queue-called');

    // the TV shows the call without being reloaded
    await expect.poll(() => tv.getByText(code).first().isVisible()).toBe(true);
    expect(await tv.evaluate(() => (window as unknown as { sameBoard?: boolean }).sameBoard)).toBe(true);
    expect(await tv.content()).not.toContain('Tshiabola');
    await shot(tv, 'display-board-called');
  });
});

describe('patient portal', () => {
  it('a patient books a free slot and finds it under their appointments', async () => {
    const page = await newPage(browser);
    await signIn(page, 'patient@sanita.test');
    await page.goto('/portal/book');
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Next' }).click();
    const practitioner = page.getByRole('radio').first();
    await practitioner.check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Next' }).click();
    await checkA11y(page, 'portal booking: free times');
    await page.getByTestId('portal-slot').first().click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Book this appointment' }).click();
    await expect
      .poll(() =>
        page
          .getByText(/^Booked: /)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await shot(page, 'patient-portal-booked');

    await page.goto('/portal/appointments');
    await expect.poll(() => page.getByText('Booked').first().isVisible()).toBe(true);
    await checkA11y(page, 'portal appointments');
    await shot(page, 'patient-portal-appointments');
  });
});

describe('scheduling administration', () => {
  it('an administrator closes the clinic for a holiday: no free slot that day until it is lifted; a booking shows its reminders', async () => {
    const admin = await api('super_admin@sanita.test');
    const reception = await api('receptionist@sanita.test');
    const clinics = await admin<{ data: { id: string; code: string }[] }>('GET', '/api/clinics');
    const kin = clinics.data.find((c) => c.code === 'KIN')!.id;
    const visitTypes = await admin<{ data: { id: string; code: string }[] }>('GET', '/api/visit-types');
    const consultation = visitTypes.data.find((v) => v.code === 'consultation')!.id;
    const practitioners = await admin<{ data: { id: string; displayName: string }[] }>(
      'GET',
      `/api/practitioners?clinicId=${kin}`,
    );
    // a working day in two to three weeks, and a practitioner free on it and on the next day
    const slotsOn = async (id: string, date: string) =>
      (
        await reception<{ data: { startsAt: string }[] }>(
          'GET',
          `/api/practitioners/${id}/slots?clinicId=${kin}&visitTypeId=${consultation}&from=${date}&to=${date}`,
        )
      ).data;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    let found: { dr: { id: string; displayName: string }; date: string; next: string } | null = null;
    for (let offset = 15; offset < 22 && !found; offset++) {
      for (const dr of practitioners.data) {
        if ((await slotsOn(dr.id, day(offset))).length && (await slotsOn(dr.id, day(offset + 1))).length) {
          found = { dr, date: day(offset), next: day(offset + 1) };
          break;
        }
      }
    }
    expect(found, 'a practitioner with free slots on two days running').not.toBeNull();
    const { dr, date, next } = found!;

    const page = await newPage(browser);
    await signIn(page, 'super_admin@sanita.test');
    await page.goto('/admin/scheduling');
    await page.getByRole('button', { name: 'Add a holiday or closure' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('First day').fill(date);
    await dialog.getByLabel('Last day').fill(date);
    await dialog.getByLabel('Reason').fill('Journée de l’enseignant');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const row = page.getByRole('row', { name: /Journée de l’enseignant/ });
    await expect.poll(() => row.isVisible()).toBe(true);
    await checkA11y(page, 'clinic holidays and closures');
    await shot(page, 'admin-clinic-closure');

    // the front desk's calendar offers nothing that day, and the next day as usual
    const desk = await newPage(browser);
    await signIn(desk, 'receptionist@sanita.test');
    const free = desk.getByRole('button', { name: new RegExp(`^Free at .*: book ${dr.displayName}$`) });
    await desk.goto(`/schedule?date=${next}&practitioner=${dr.id}`);
    await expect.poll(() => free.count()).toBeGreaterThan(0);
    await desk.goto(`/schedule?date=${date}&practitioner=${dr.id}`);
    // the day says why it is empty
    await expect.poll(() => desk.getByText(/is closed on .*: nobody can be booked that day/).isVisible()).toBe(true);
    await expect.poll(() => desk.getByText('Holiday · Journée de l’enseignant.').isVisible()).toBe(true);
    expect(await slotsOn(dr.id, date)).toEqual([]);
    expect(await free.count()).toBe(0);
    await shot(desk, 'receptionist-schedule-holiday');

    // a visit booked for the next day: its drawer lists the reminders that will go out
    const patient = await reception<{ id: string }>('POST', '/api/patients', {
      givenName: 'Odile',
      familyName: 'Kalenga',
      sex: 'female',
      birthDate: '1984-09-21',
      phones: ['+243 81 700 0077'],
      email: 'odile.kalenga@example.org',
      allowDuplicate: true,
    });
    const [slot] = await slotsOn(dr.id, next);
    await reception('POST', '/api/appointments', {
      patientId: patient.id,
      practitionerId: dr.id,
      visitTypeId: consultation,
      startsAt: slot!.startsAt,
      reason: 'Follow-up',
    });
    await desk.goto(`/schedule?date=${next}&practitioner=${dr.id}`);
    await desk
      .getByRole('button', { name: /Odile Kalenga/ })
      .first()
      .click();
    const drawer = desk.getByRole('dialog');
    await expect.poll(() => drawer.getByText(/^Email · 1 day before · due /).isVisible()).toBe(true);
    await expect.poll(() => drawer.getByText(/^SMS · 2 hours before · due /).isVisible()).toBe(true);
    await checkA11y(desk, 'appointment with its reminders');
    await shot(desk, 'receptionist-appointment-reminders');

    // lifted: the day is bookable again
    const closures = await reception<{ data: { startsAt: string; endsAt: string; reason: string | null }[] }>(
      'GET',
      `/api/availability/exceptions?clinicId=${kin}`,
    );
    const holiday = closures.data.find((x) => x.reason === 'Journée de l’enseignant')!;
    await row.getByRole('button', { name: /^Remove / }).click();
    await expect.poll(() => row.isVisible()).toBe(false);
    await expect.poll(async () => (await slotsOn(dr.id, date)).length).toBeGreaterThan(0);

    // the same day as the practitioner's leave: their calendar says they are away
    const leave = await reception<{ id: string }>('POST', '/api/availability/exceptions', {
      practitionerId: dr.id,
      kind: 'leave',
      startsAt: holiday.startsAt,
      endsAt: holiday.endsAt,
      reason: 'Congrès',
    });
    await desk.goto(`/schedule?date=${date}&practitioner=${dr.id}`);
    await expect.poll(() => desk.getByText(`${dr.displayName} is away on`, { exact: false }).isVisible()).toBe(true);
    expect(await slotsOn(dr.id, date)).toEqual([]);
    expect(await free.count()).toBe(0);
    await shot(desk, 'receptionist-schedule-leave');
    await reception('DELETE', `/api/availability/exceptions/${leave.id}`);
  });
});

describe('phone width and language', () => {
  it('at 390 px the header fits on one line and the front desk does not scroll sideways; a French profile signs in to French, seeded names too', async () => {
    const context = await browser.newContext({
      baseURL: baseUrl(),
      locale: 'en-GB',
      viewport: { width: 390, height: 844 },
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, 'receptionist@sanita.test');
    await page.goto('/front-desk');
    await expect.poll(() => page.getByTestId('waiting-board').isVisible()).toBe(true);
    // nothing wider than the screen: not the header, not the appointments
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const controls = await page.getByTestId('header-controls').boundingBox();
    expect(controls!.x + controls!.width).toBeLessThanOrEqual(390);
    expect(await page.getByTestId('user-menu').isVisible()).toBe(true);
    expect(await page.getByTestId('user-menu').getAttribute('aria-label')).toBe('Ruth Kabamba');
    const table = page.getByTestId('front-desk-appointments');
    if (await table.isVisible()) {
      const box = await table.boundingBox();
      expect(box!.width).toBeLessThanOrEqual(390);
    }
    await checkA11y(page, 'front desk at phone width');
    await shot(page, 'receptionist-front-desk-390');
    await page.goto('/');
    await expect.poll(() => page.getByTestId('home-front-desk').isVisible()).toBe(true);
    await shot(page, 'receptionist-home-390');
    await context.close();

    // Goma's receptionist has French in her profile: the UI switches to it at sign-in, service points included
    const goma = await newPage(browser);
    await signIn(goma, 'receptionist.goma@sanita.test');
    await expect.poll(() => goma.evaluate(() => document.documentElement.lang)).toBe('fr');
    await goma.goto('/front-desk');
    await expect.poll(() => goma.getByTestId('waiting-LAB').getByText('Laboratoire').isVisible()).toBe(true);
    expect(await goma.getByText('En attente maintenant').isVisible()).toBe(true);
    await shot(goma, 'receptionist-goma-front-desk-fr');
  });
});
