// The questionnaires a patient answers in the portal: the patient-reported instruments the API accepts at
// POST /api/v1/patients/{id}/portal/assessments (docs/api.md) whose wording may be shown without permission. PHQ-9 and
// GAD-7 are free to reproduce, "no permission required" (shared/clinical-reference.md §5.3, PHQ screeners site); their
// item wording and answer choices are the published ones, kept in the message catalogue (en.ts, "portal.phq9.*",
// "portal.gad7.*"). The server scores them (src/clinical/scales.cpp) and raises the alerts; this file only asks.
import type { MessageKey } from '../../i18n';

export type PortalInstrument = 'phq9' | 'gad7';

export interface Questionnaire {
  readonly instrument: PortalInstrument;
  readonly name: MessageKey;
  readonly stem: MessageKey;
  readonly items: readonly MessageKey[];
  // The answer choices in score order: choice i scores i.
  readonly choices: readonly MessageKey[];
}

const FREQUENCY: readonly MessageKey[] = [
  'portal.choice.notAtAll',
  'portal.choice.severalDays',
  'portal.choice.moreThanHalf',
  'portal.choice.nearlyEveryDay',
];

export const QUESTIONNAIRES: readonly Questionnaire[] = [
  {
    instrument: 'phq9',
    name: 'portal.phq9.name',
    stem: 'portal.phq9.stem',
    items: [
      'portal.phq9.item1',
      'portal.phq9.item2',
      'portal.phq9.item3',
      'portal.phq9.item4',
      'portal.phq9.item5',
      'portal.phq9.item6',
      'portal.phq9.item7',
      'portal.phq9.item8',
      'portal.phq9.item9',
    ],
    choices: FREQUENCY,
  },
  {
    instrument: 'gad7',
    name: 'portal.gad7.name',
    stem: 'portal.gad7.stem',
    items: [
      'portal.gad7.item1',
      'portal.gad7.item2',
      'portal.gad7.item3',
      'portal.gad7.item4',
      'portal.gad7.item5',
      'portal.gad7.item6',
      'portal.gad7.item7',
    ],
    choices: FREQUENCY,
  },
];

export function questionnaireOf(instrument: string): Questionnaire | undefined {
  return QUESTIONNAIRES.find((q) => q.instrument === instrument);
}
