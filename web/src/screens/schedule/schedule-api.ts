// The schedule's data (docs/api.md "Schedule: rooms, appointments, slots and the day plan"): the day plan by room in
// one request, the appointment types, slot search, and the booking changes, each answering the appointment.
import { get, post, request } from '../../api';

export type AppointmentStatus = 'booked' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';

export interface Appointment {
  readonly id: number;
  readonly patient_id: number;
  readonly type: string;
  readonly start: string;
  readonly end: string;
  readonly room_id: number | null;
  readonly staff: string | null;
  readonly session_id: number | null;
  readonly status: AppointmentStatus;
  readonly status_reason?: string;
  readonly overridden: string[];
  readonly override_reason?: string;
  readonly version: number;
}

export interface DayEntry extends Appointment {
  readonly local_start: string;
  readonly local_end: string;
  readonly patient_name: string;
  readonly patient_initials: string;
  readonly staff_name: string | null;
  readonly session_state: string | null;
}

export interface Room {
  readonly id: number;
  readonly name: string;
  readonly equipment: string;
  readonly active: boolean;
}

export interface DayPlan {
  readonly date: string;
  readonly time_zone: string;
  readonly hours: string;
  readonly closed_day: { date: string; reason: string } | null;
  readonly rooms: { room: Room | null; appointments: DayEntry[] }[];
}

export interface AppointmentType {
  readonly type: string;
  readonly treatment: boolean;
  readonly minutes: number;
}

export interface Slot {
  readonly start: string;
  readonly end: string;
  readonly room_id: number | null;
  readonly staff: string | null;
}

export interface PatientSummary {
  readonly id: number;
  readonly mrn: string;
  readonly given_name: string;
  readonly family_name: string;
  readonly birth_date: string;
}

export function loadDay(date: string, signal?: AbortSignal): Promise<DayPlan> {
  return get<DayPlan>('/schedule/day', { date }, signal);
}

export async function loadTypes(): Promise<AppointmentType[]> {
  return (await get<{ items: AppointmentType[] }>('/appointment-types')).items;
}

export async function loadRooms(): Promise<Room[]> {
  return (await get<{ items: Room[] }>('/rooms')).items;
}

// By MRN when the text looks like one (no spaces, a digit in it), else by name (docs/api.md "Finding a patient").
export async function findPatients(text: string): Promise<PatientSummary[]> {
  const query = text.trim();
  const byMrn = /\d/.test(query) && !/\s/.test(query);
  return (await get<{ items: PatientSummary[] }>('/patients', byMrn ? { mrn: query } : { name: query, limit: 20 })).items;
}

export interface SlotSearch {
  readonly type: string;
  readonly patient_id: number;
  readonly from: string;
  readonly to: string;
  readonly room_id?: number;
  readonly appointment_id?: number;
}

export async function findSlots(search: SlotSearch): Promise<Slot[]> {
  return (await get<{ items: Slot[] }>('/slots', { ...search, count: 8 })).items;
}

export interface Booking {
  readonly start: string;
  readonly room_id?: number;
  readonly staff?: string;
  readonly override_reason?: string;
}

export function book(type: string, patientId: number, booking: Booking): Promise<Appointment> {
  return post<Appointment>('/appointments', { type, patient_id: patientId, ...booking });
}

export async function reschedule(appointment: Appointment, booking: Booking): Promise<Appointment> {
  return (await request<Appointment>('POST', `/appointments/${appointment.id}/reschedule`, {
    body: booking,
    ifMatch: appointment.version,
  })).data;
}

export interface Outcome {
  readonly appointment: Appointment;
  readonly missed_induction: unknown;
  readonly proposal: unknown[];
}

export async function cancel(appointment: Appointment, reason: string): Promise<Outcome> {
  return (await request<Outcome>('POST', `/appointments/${appointment.id}/cancel`, {
    body: { reason },
    ifMatch: appointment.version,
  })).data;
}

export async function changeStatus(appointment: Appointment, action: 'no-show' | 'check-in' | 'complete'): Promise<unknown> {
  return (await request('POST', `/appointments/${appointment.id}/${action}`, { body: {}, ifMatch: appointment.version }))
    .data;
}
