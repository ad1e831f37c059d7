// The administration's data, as docs/api.md "Administration" answers it: users and their API tokens, the clinic
// settings, the audit log, and the quick patient search an admin uses to say whose portal login a patient user is.
import { del, get, post, request, type Page } from '../../api';
import type { Role } from '../../access';

export interface AdminUser {
  readonly id: number;
  readonly email: string;
  readonly display_name: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly failed_logins: number;
  // Set when the address waits after failed sign-ins (a lock that lifts by itself, on the server's real time).
  readonly locked_until?: string;
  // Set after 100 failures in a row: only an admin's unlock lifts it (docs/security.md "Throttling").
  readonly needs_admin_unlock?: boolean;
  readonly patient_id?: number;
  // The clinic's medical director (issue 14 §2): at most one, an active prescriber; signs count discrepancies.
  readonly medical_director?: boolean;
  readonly created_at: string;
  readonly created_by: string;
}

export interface ApiToken {
  readonly id: number;
  readonly user_id: number;
  readonly name: string;
  readonly created_at: string;
  readonly created_by: string;
  readonly revoked_at?: string;
}

// The answer to creating a token: the token itself is in this answer only (the server keeps its digest).
export interface NewApiToken extends ApiToken {
  readonly token: string;
}

export interface Setting {
  readonly name: string;
  readonly value: string;
  readonly default: string;
  // "4..8 weeks", "snaith|alternative", or words for a free-text setting (docs/api.md, GET /api/v1/settings).
  readonly allowed: string;
  readonly source: string;
  readonly description: string;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly origin: string;
  readonly action: string;
  readonly record_type: string;
  readonly record_id: number;
  // 0 when the entry names no patient.
  readonly patient_id: number;
  readonly detail?: string;
}

export interface AuditFilter {
  readonly actor?: string;
  readonly patient_id?: string;
  readonly action?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface PatientMatch {
  readonly id: number;
  readonly mrn: string;
  readonly display_name: string;
  readonly birth_date: string;
}

const USERS_PAGE = 50;
const AUDIT_PAGE = 100;

function userPath(email: string): string {
  return `/users/${encodeURIComponent(email)}`;
}

export async function listUsers(after?: number): Promise<Page<AdminUser>> {
  return get<Page<AdminUser>>('/users', { limit: USERS_PAGE, after });
}

export interface NewUser {
  email: string;
  role: Role;
  password: string;
  display_name?: string;
  patient_id?: number;
}

export async function addUser(user: NewUser): Promise<AdminUser> {
  return post<AdminUser>('/users', user);
}

export async function disableUser(email: string): Promise<AdminUser> {
  return post<AdminUser>(`${userPath(email)}/disable`);
}

export async function designateMedicalDirector(email: string): Promise<AdminUser> {
  return post<AdminUser>(`${userPath(email)}/medical-director`);
}

export async function unlockUser(email: string): Promise<AdminUser> {
  return post<AdminUser>(`${userPath(email)}/unlock`);
}

export async function setPassword(email: string, password: string): Promise<AdminUser> {
  return (await request<AdminUser>('PUT', `${userPath(email)}/password`, { body: { password } })).data;
}

// docs/api.md "The caller's second factor": an admin removes a lost one (204; 409 when the user has none).
export async function resetSecondFactor(email: string): Promise<void> {
  await del(`${userPath(email)}/second-factor`);
}

export async function revokeCalendarFeed(email: string): Promise<void> {
  await del(`${userPath(email)}/calendar-feed`);
}

export async function listTokens(email: string, signal?: AbortSignal): Promise<ApiToken[]> {
  return (await get<{ items: ApiToken[] }>(`${userPath(email)}/tokens`, undefined, signal)).items;
}

export async function createToken(email: string, name: string): Promise<NewApiToken> {
  return post<NewApiToken>(`${userPath(email)}/tokens`, { name });
}

export async function revokeToken(id: number): Promise<ApiToken> {
  return post<ApiToken>(`/tokens/${id}/revoke`);
}

export async function listSettings(signal?: AbortSignal): Promise<Setting[]> {
  return (await get<{ settings: Setting[] }>('/settings', undefined, signal)).settings;
}

// Settings carry no version (docs/api.md): a change is one value, checked against its bounds by the server.
export async function changeSetting(name: string, value: string): Promise<Setting[]> {
  const answer = await request<{ settings: Setting[] }>('PUT', `/settings/${encodeURIComponent(name)}`, {
    body: { value },
  });
  return answer.data.settings;
}

export async function listAudit(filter: AuditFilter, after?: number, signal?: AbortSignal): Promise<Page<AuditEntry>> {
  return get<Page<AuditEntry>>('/audit', { ...filter, limit: AUDIT_PAGE, after }, signal);
}

export async function searchPatients(q: string): Promise<PatientMatch[]> {
  return (await get<Page<PatientMatch>>('/patients', { q, limit: 20 })).items;
}
