// The treatment session as the API answers it (docs/api.md "The session screen", "Treatment courses and sessions",
// "Vital signs", "Alerts", "Adverse events"), and the rules the screens need to read it: which steps the state
// machine offers in each state (docs/api.md's session steps table), the vital signs the chart draws with their LOINC
// codes and units, and the clinic's alert thresholds (the `monitoring.*` settings, docs/clinical-rules.md "In-session
// alerts"). The server decides every step: these tables only choose which buttons to offer, and its refusal is shown
// as it gives it.
import { get } from '../../api';
import { formatBloodPressure, formatQuantity } from '../../format';
import type { MessageKey } from '../../i18n';
import type { OneOffOrder, PrnDose, SessionMedication, StandingOrderSet } from './prn';

export type SessionState =
  | 'scheduled'
  | 'checked_in'
  | 'held'
  | 'pre_dose_ok'
  | 'dosing'
  | 'monitoring'
  | 'ready_for_discharge'
  | 'discharged'
  | 'aborted'
  | 'cancelled';

export interface Session {
  readonly id: number;
  readonly course_id: number;
  readonly patient_id: number;
  readonly number: number;
  readonly planned_date: string;
  readonly state: SessionState;
  readonly consent_confirmed: boolean;
  readonly escort_confirmed: boolean;
  readonly state_changed_at: string;
  readonly state_changed_by: string;
  readonly checked_in_at?: string;
  readonly state_reason?: string;
  readonly bp_override?: { readonly prescriber: string; readonly reason: string };
}

// Why an infusion stopped before its whole dose (docs/api.md, the stop of an administration).
export const EARLY_STOP_REASONS = ['adverse_reaction', 'patient_request', 'iv_access_problem', 'clinician_decision', 'other'] as const;
export type EarlyStopReason = (typeof EARLY_STOP_REASONS)[number];

export interface Administration {
  readonly id: number;
  readonly session_id: number;
  readonly drug: string;
  readonly route: string;
  readonly dose_mg: number;
  readonly rate_mg_per_h?: number;
  readonly device_count?: number;
  readonly lot_number: string;
  readonly started_at: string;
  readonly stopped_at?: string;
  readonly stop?: { readonly stopped_at: string; readonly given_mg: number; readonly early_stop_reason?: EarlyStopReason };
  readonly entered_in_error: unknown;
}

export interface Transition {
  readonly to_state: SessionState;
  readonly from_state?: SessionState;
  readonly at: string;
  readonly by: string;
  readonly reason?: string;
}

export interface DoseOrder {
  readonly id: number;
  readonly request: { readonly route: string; readonly weight_kg: number; readonly mg_per_kg?: number };
  readonly order: {
    readonly route: string;
    readonly total_mg: number;
    readonly weight_used_kg?: number;
    readonly minutes?: number;
    readonly rate_mg_per_h?: number;
    readonly devices?: number;
    readonly notes?: string[];
  };
  readonly signed_at: string;
  readonly prescriber: string;
}

export interface SessionDetail extends Session {
  readonly dose_order?: DoseOrder | null;
  readonly administrations?: Administration[];
  readonly transitions?: Transition[];
  readonly medications?: SessionMedication[];
}

export interface Vital {
  readonly id: number;
  readonly patient_id: number;
  readonly loinc: string;
  readonly value?: number;
  readonly systolic?: number;
  readonly diastolic?: number;
  readonly unit: string;
  readonly session_id?: number | null;
  readonly observed_at: string;
  readonly recorded_by?: string;
  readonly status?: string;
}

export interface Alert {
  readonly id: number;
  readonly patient_id: number;
  readonly rule: string;
  readonly severity: 'warning' | 'critical' | string;
  readonly message: string;
  readonly session_id?: number | null;
  // What raised it: a vital sign or an assessment, by id.
  readonly record_type?: string;
  readonly record_id?: number;
  readonly raised_at: string;
  readonly acknowledged_at?: string;
  readonly acknowledged_by?: string;
  readonly acknowledgement_note?: string;
}

export interface Assessment {
  readonly id: number;
  readonly patient_id?: number;
  readonly instrument: string;
  readonly total?: number;
  readonly band?: string;
  readonly assessed_at: string;
  readonly recorded_by?: string;
  readonly entered_in_error?: unknown;
}

// The ratings taken at the chair, which the session screen lists (docs/api.md "The session screen": `scores`).
export const IN_SESSION_INSTRUMENTS: ReadonlySet<string> = new Set(['moaas', 'cadss', 'cadss6']);

export interface AdverseEvent {
  readonly id: number;
  readonly term: string;
  readonly grade: number;
  readonly onset_at: string;
  readonly serious: boolean;
  readonly recorded_by: string;
}

export interface Patient {
  readonly id: number;
  readonly mrn: string;
  readonly given_name: string;
  readonly family_name: string;
  readonly birth_date: string;
}

export interface Course {
  readonly id: number;
  readonly route: string;
  readonly protocol: string;
  readonly indication: string;
}

// One in-session alert threshold in force (the `monitoring.*` setting, its value, the vital sign's unit).
export interface AlertThreshold {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

// GET /api/v1/sessions/{id}/screen (docs/api.md "The session screen"): the whole screen in one request, each record
// in the shape its own route and the live channel give it.
export interface SessionScreen {
  readonly session: SessionDetail;
  readonly patient: Patient & { readonly display_name: string; readonly age: number };
  readonly course: Course;
  readonly route: string;
  readonly first_dose_at: string | null;
  readonly earliest_discharge_at: string | null;
  readonly vitals: Vital[];
  readonly scores: Assessment[];
  readonly alerts: Alert[];
  readonly adverse_events: AdverseEvent[];
  readonly alert_thresholds: AlertThreshold[];
  readonly prn_doses: PrnDose[];
  readonly one_off_orders: OneOffOrder[];
  readonly standing_orders: StandingOrderSet | null;
}

export function loadScreen(id: number): Promise<SessionScreen> {
  return get<SessionScreen>(`/sessions/${id}/screen`);
}

// The steps of docs/api.md's table, by the path segment that takes them.
export type Step =
  | 'check-in'
  | 'pre-dose'
  | 'pre-dose-override'
  | 'hold'
  | 'start-dosing'
  | 'start-monitoring'
  | 'ready-for-discharge'
  | 'discharge'
  | 'abort'
  | 'cancel';

// The forward steps each state offers, in the order a nurse takes them; `abort` and `cancel` are offered apart.
export const FORWARD_STEPS: Readonly<Record<SessionState, readonly Step[]>> = {
  scheduled: ['check-in'],
  checked_in: ['pre-dose', 'hold'],
  held: ['pre-dose'],
  pre_dose_ok: ['start-dosing'],
  dosing: ['start-monitoring'],
  monitoring: ['ready-for-discharge'],
  ready_for_discharge: ['discharge'],
  discharged: [],
  aborted: [],
  cancelled: [],
};

export const FINISHED: ReadonlySet<SessionState> = new Set(['discharged', 'aborted', 'cancelled']);

// Where the time since the first dose stops: at the session's end (its step to discharged, aborted or cancelled)
// once it is finished, else now. A finished session's clock does not run on, on the screen, the board or a print.
export function timerEnd(session: { readonly state: SessionState; readonly state_changed_at: string }, now: number): number {
  return FINISHED.has(session.state) ? Date.parse(session.state_changed_at) : now;
}

// A step that needs a reason typed before it is sent (docs/api.md: `{"reason": "..."}`).
export const REASON_STEPS: ReadonlySet<Step> = new Set(['hold', 'abort', 'cancel', 'pre-dose-override']);

export const stepKeys: Readonly<Record<Step, MessageKey>> = {
  'check-in': 'session.step.check-in',
  'pre-dose': 'session.step.pre-dose',
  'pre-dose-override': 'session.step.pre-dose-override',
  hold: 'session.step.hold',
  'start-dosing': 'session.step.start-dosing',
  'start-monitoring': 'session.step.start-monitoring',
  'ready-for-discharge': 'session.step.ready-for-discharge',
  discharge: 'session.step.discharge',
  abort: 'session.step.abort',
  cancel: 'session.step.cancel',
};

export const stateKeys: Readonly<Record<SessionState, MessageKey>> = {
  scheduled: 'session.state.scheduled',
  checked_in: 'session.state.checked_in',
  held: 'session.state.held',
  pre_dose_ok: 'session.state.pre_dose_ok',
  dosing: 'session.state.dosing',
  monitoring: 'session.state.monitoring',
  ready_for_discharge: 'session.state.ready_for_discharge',
  discharged: 'session.state.discharged',
  aborted: 'session.state.aborted',
  cancelled: 'session.state.cancelled',
};

export function routeKey(route: string): MessageKey {
  switch (route) {
    case 'iv':
      return 'session.route.iv';
    case 'im':
      return 'session.route.im';
    case 'esketamine-nasal':
      return 'session.route.esketamine-nasal';
    case 'oral':
      return 'session.route.oral';
    case 'sublingual':
      return 'session.route.sublingual';
    default:
      return 'session.route.other';
  }
}

export const isEsketamine = (route: string | undefined): boolean => route === 'esketamine-nasal';

// The Spravato label's minimum monitoring after the first device (docs/clinical-rules.md; the server enforces it).
export const ESKETAMINE_MONITORING_MINUTES = 120;

// The vital signs the screen records and draws: LOINC code, UCUM unit the API takes, the unit shown.
export const LOINC = {
  bloodPressure: '85354-9',
  heartRate: '8867-4',
  spo2: '59408-5',
  spo2Pulse: '2708-6',
  respiratoryRate: '9279-1',
} as const;

// The clinic's in-session alert thresholds (docs/clinical-rules.md "In-session alerts"), as the screen's read sends
// them.
export interface Thresholds {
  readonly systolicAtOrAbove: number;
  readonly diastolicAtOrAbove: number;
  readonly heartRateAbove: number;
  readonly heartRateBelow: number;
  readonly spo2Below: number;
  readonly respiratoryRateBelow: number;
  readonly respiratoryRateAbove: number;
}

// The thresholds as the chart reads them, from the screen's `alert_thresholds` (each by its setting's name). The
// server sends every one; a screen without one is refused rather than drawn with a band the clinic did not set.
export function thresholdsOf(sent: readonly AlertThreshold[]): Thresholds {
  const value = (name: string): number => {
    const found = sent.find((s) => s.name === name);
    if (found === undefined) throw new Error(`the session screen came without the threshold ${name}`);
    return found.value;
  };
  return {
    systolicAtOrAbove: value('monitoring.systolic_alert_at_or_above'),
    diastolicAtOrAbove: value('monitoring.diastolic_alert_at_or_above'),
    heartRateAbove: value('monitoring.heart_rate_alert_above'),
    heartRateBelow: value('monitoring.heart_rate_alert_below'),
    spo2Below: value('monitoring.spo2_alert_below'),
    respiratoryRateBelow: value('monitoring.respiratory_rate_alert_below'),
    respiratoryRateAbove: value('monitoring.respiratory_rate_alert_above'),
  };
}

// Inserts or replaces a record by id, keeping id order (live events may repeat what a reload already has).
export function upsert<T extends { readonly id: number }>(list: readonly T[], item: T): T[] {
  const others = list.filter((x) => x.id !== item.id);
  others.push(item);
  others.sort((a, b) => a.id - b.id);
  return others;
}

// A reading for people, always with its unit: "120/80 mmHg", "72 /min", "97 %".
export function vitalText(v: Vital): string {
  if (v.loinc === LOINC.bloodPressure) return formatBloodPressure(v.systolic ?? 0, v.diastolic ?? 0);
  if (v.loinc === LOINC.spo2 || v.loinc === LOINC.spo2Pulse) return formatQuantity(v.value ?? 0, '%');
  if (v.loinc === LOINC.respiratoryRate) return formatQuantity(v.value ?? 0, 'breaths/min');
  if (v.loinc === LOINC.heartRate) return formatQuantity(v.value ?? 0, 'bpm');
  return `${v.value ?? ''} ${v.unit}`;
}
