// The portal's view of the patient's own record: GET /api/v1/patients/{id}/portal (docs/api.md "Patient portal"), one
// request for the whole home screen, and the questionnaire answers to POST .../portal/assessments.
import { get, post } from '../../api';

export interface UpcomingSession {
  readonly session_id: number;
  readonly planned_date: string;
  readonly state: string;
  readonly route: string;
}

export interface RecentScore {
  readonly assessment_id: number;
  readonly instrument: string;
  readonly total: number;
  readonly band: string;
  readonly assessed_at: string;
}

export interface Preparation {
  readonly route: string;
  readonly instructions: string;
  readonly source: string;
}

export interface CrisisResource {
  readonly name: string;
  readonly contact: string;
  readonly source: string;
}

// A questionnaire a clinician assigned (docs/api.md "Assigned questionnaires"); the portal lists those in force and
// not done, `due` from `next_due` on.
export interface AssignedQuestionnaire {
  readonly id: number;
  readonly instrument: string;
  readonly first_due: string;
  readonly every_days: number | null;
  readonly assigned_at: string;
  readonly assigned_by: string;
  readonly ended_at: string | null;
  readonly ended_by: string | null;
  readonly last_answered_at: string | null;
  readonly next_due: string | null;
  readonly due: boolean;
}

export interface PortalView {
  readonly patient_id: number;
  readonly given_name: string;
  // The clinic's IANA zone: the portal shows every time in it (format.ts).
  readonly time_zone: string;
  readonly questionnaires: AssignedQuestionnaire[];
  readonly upcoming_sessions: UpcomingSession[];
  readonly recent_scores: RecentScore[];
  readonly preparation: Preparation[];
  readonly suicidality_flagged: boolean;
  // The clinic's own words above the services (setting portal.crisis_text); empty: none.
  readonly crisis_text?: string;
  readonly crisis_resources?: CrisisResource[];
}

export function loadPortal(patientId: number, signal?: AbortSignal): Promise<PortalView> {
  return get<PortalView>(`/patients/${patientId}/portal`, undefined, signal);
}

export interface RecordedAnswers {
  readonly id: number;
  readonly total: number;
  readonly band: string;
  readonly alerts?: unknown[];
}

export function submitAnswers(patientId: number, instrument: string, answers: readonly number[]): Promise<RecordedAnswers> {
  return post<RecordedAnswers>(`/patients/${patientId}/portal/assessments`, { instrument, answers });
}
