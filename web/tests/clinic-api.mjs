// What the browser tests set up through the API rather than through screens that are not theirs (issue 12 §5: the
// lead assembles the end-to-end walk through every screen): a signed-in API client per user (the browser session's
// cookie and CSRF token, exactly as the web app uses them), a patient ready for a course (weight, history, two
// failed antidepressant trials, a signed screening), a course with its first session, and the test clock.
import assert from 'node:assert/strict';
import { kclinic } from './harness.mjs';

// A user added to the running server's database (SQLite allows the second writer; the server reads users per login).
export function addUser(server, email, role, password) {
  kclinic(['user', 'add', email, '--role', role, '--db', server.db], `${password}\n`);
  return { email, password, role };
}

// A signed-in API client: request(method, path, body) resolves with { status, body }.
export async function apiClient(server, { email, password }) {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(login.status, 200, `login of ${email}: ${await login.clone().text()}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await login.json();
  async function request(method, path, body) {
    const answer = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        Cookie: cookie,
        Accept: 'application/json',
        ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    return { status: answer.status, body: text ? JSON.parse(text) : undefined, text };
  }
  // A request that must succeed with `status`; its body.
  async function must(method, path, body, status) {
    const answer = await request(method, path, body);
    const want = status ?? (method === 'POST' && !path.includes('/sessions/') ? 201 : 200);
    assert.equal(answer.status, want, `${method} ${path}: ${answer.text}`);
    return answer.body;
  }
  return { request, must };
}

// The clinic's clock (the test clock's now).
export async function clinicNow(admin) {
  return new Date((await admin.must('GET', '/api/v1/test/clock')).now);
}

export async function advanceClock(admin, minutes) {
  await admin.must('POST', '/api/v1/test/clock', { advance_minutes: minutes }, 200);
}

let mrnSequence = 0;

// A patient with a signed screening for `product` and a course of `protocol` on `route` starting today (the clinic's
// zone is UTC by default); resolves with { patientId, sessionId, name }.
export async function patientWithCourse({ nurse, prescriber, admin }, { product, protocol, route, givenName, familyName, address }) {
  mrnSequence += 1;
  const patient = await nurse.must('POST', '/api/v1/patients', {
    mrn: `MRN-WEB-${process.pid}-${mrnSequence}`,
    given_name: givenName,
    family_name: familyName,
    birth_date: '1984-05-06',
    sex: 'female',
    ...(address ? { address } : {}),
  });
  const base = `/api/v1/patients/${patient.id}`;
  await nurse.must('POST', `${base}/weights`, { weight_kg: 70 });
  await prescriber.must('POST', `${base}/history`, { kind: 'diagnosis', value: 'F33.2' });
  for (const drug of ['sertraline', 'escitalopram']) {
    await prescriber.must('POST', `${base}/trials`, {
      drug,
      weeks: 8,
      adequate_dose: true,
      improvement_percent: 10,
      current_episode: true,
    });
  }
  const screening = await prescriber.must('POST', `${base}/screenings`, {
    product,
    pregnant: false,
    blood_pressure: { systolic: 124, diastolic: 78 },
    heart_rate: 70,
    weight_kg: 70.5,
  });
  await prescriber.must('POST', `/api/v1/screenings/${screening.id}/sign`, { sign_off: 'accepted' }, 200);
  const today = (await clinicNow(admin)).toISOString().slice(0, 10);
  const course = await prescriber.must('POST', `${base}/courses`, {
    indication: 'TRD (F33.2)',
    protocol,
    route,
    start_date: today,
  });
  return { patientId: patient.id, sessionId: course.sessions[0].id, name: `${familyName}, ${givenName}` };
}
