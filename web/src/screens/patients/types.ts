// The records the patient screens read and write, as docs/api.md answers them (only the fields the screens use).
import type { SessionState } from '../session/model';
export type EnteredInError = { reason: string; marked_at: string; marked_by: string } | null;

export interface Patient {
  id: number;
  mrn: string;
  given_name: string;
  family_name: string;
  birth_date: string;
  sex: 'female' | 'male' | 'unknown';
  clinician?: string;
  version: number;
}

export interface Weight {
  id: number;
  weight_kg: number;
  measured_at: string;
  status: string;
}

export interface HistoryEntry {
  id: number;
  kind: 'diagnosis' | 'condition' | 'allergy' | 'medication';
  value: string;
  noted_at: string;
  noted_by: string;
  entered_in_error: EnteredInError;
  stop?: { stopped_on: string; reason?: string } | null;
}

export interface Trial {
  id: number;
  drug: string;
  weeks: number;
  adequate_dose: boolean;
  improvement_percent: number;
  current_episode: boolean;
  started_on?: string;
  ended_on?: string;
  entered_in_error: EnteredInError;
}

export interface Finding {
  rule: string;
  severity: string;
  message: string;
  source: string;
}

export interface Screening {
  id: number;
  patient_id: number;
  inputs: { product: string };
  result: { decision: string; findings: Finding[] };
  screened_at: string;
  screened_by: string;
  signature?: { sign_off: 'accepted' | 'overridden'; reason?: string; signed_at: string; signed_by: string };
}

export interface TreatmentSession {
  id: number;
  course_id: number;
  number: number;
  planned_date: string;
  phase: string;
  week: number;
  state: SessionState;
  checked_in_at?: string;
  state_changed_at: string;
}

export interface Course {
  id: number;
  indication: string;
  protocol: string;
  route: string;
  start_date: string;
  status: string;
  status_reason?: string;
  screening_id?: number;
  screening_override_reason?: string;
  sessions: TreatmentSession[];
}

export interface AdverseEvent {
  id: number;
  term: string;
  grade: number;
  onset_at: string;
  outcome: string;
  relatedness: string;
  serious: boolean;
}

export interface Note {
  id: number;
  kind: string;
  body: string;
  author: string;
  created_at: string;
  signed: boolean;
}

// A staff member as GET /api/v1/staff and the chart's `clinician` answer it.
export interface StaffMember {
  id: number;
  email: string;
  display_name: string;
  role: string;
}

// A course as the chart route answers it: the schedule's course with the server's counts (docs/api.md "chart").
export interface ChartCourse extends Course {
  sessions_planned: number;
  sessions_completed: number;
}

// One outcome scale's valid totals, oldest first, with the lines the server's outcome rules put them at
// (clinical::OutcomeLinesFor): the five line fields are all null when the baseline is 0.
export interface OutcomePoint {
  assessment_id: number;
  total: number;
  band: string;
  assessed_at: string;
}

export interface OutcomeSeries {
  instrument: string;
  points: OutcomePoint[];
  // The pre-treatment baseline's point (the latest total before the first dose); null when none was taken before it.
  baseline_assessment_id: number | null;
  baseline_total: number | null;
  response_max_total: number | null;
  response_rule: string | null;
  remission_max_total: number | null;
  remission_rule: string | null;
}

// GET /api/v1/patients/{id}/chart (chart.read).
export interface PatientChart {
  patient: Patient & { display_name: string; age: number };
  clinician: StaffMember | null;
  diagnoses: HistoryEntry[];
  allergies: HistoryEntry[];
  current_medications: HistoryEntry[];
  history: HistoryEntry[];
  trials: Trial[];
  latest_screening: Screening | null;
  courses: ChartCourse[];
  adverse_events: AdverseEvent[];
  notes: Note[];
  outcomes: OutcomeSeries[];
  first_dose_at: string | null;
}

export interface Setting {
  name: string;
  value: number | string;
  default: number | string;
  allowed: string;
  source: string;
  description: string;
}

export interface DoseOrderRecord {
  id: number;
  request: Record<string, unknown> & { route: string; weight_kg: number; weight_basis: string };
  order: {
    route: string;
    total_mg: number;
    weight_basis: string;
    weight_used_kg: number;
    notes: string[];
    mg_per_kg?: number;
    minutes?: number;
    rate_mg_per_h?: number;
    volume_ml?: number;
    rate_ml_per_h?: number;
    devices?: number;
    rest_minutes_between_devices?: number;
    min_administration_minutes?: number;
    ideal_body_weight_kg?: number;
  };
  signed_at: string;
  prescriber: string;
  weight_reason: string | null;
}

export interface SessionRecord extends TreatmentSession {
  patient_id: number;
  dose_order?: DoseOrderRecord | null;
}

export function fullName(patient: Patient): string {
  return `${patient.family_name}, ${patient.given_name}`;
}

// A history entry or trial that still counts: not marked entered in error.
export function valid<T extends { entered_in_error: EnteredInError }>(items: readonly T[]): T[] {
  return items.filter((item) => item.entered_in_error === null);
}
