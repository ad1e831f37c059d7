// The questionnaires a patient answers in the portal: the patient-reported instruments the API accepts at
// POST /api/v1/patients/{id}/portal/assessments (docs/api.md) whose wording may be shown without permission. PHQ-9 and
// GAD-7 are free to reproduce, "no permission required" (shared/clinical-reference.md §5.3, PHQ screeners site); their
// item wording and answer choices are the published ones, kept in the message catalogue (en.ts, "portal.phq9.*",
// "portal.gad7.*"). The PCL-5 is public domain (§6.7; "portal.pcl5.*"), asked when a clinician assigns it. The QIDS-SR16
// is not asked here yet (its sixteen items each have answers of their own): an assigned one is listed for the care
// team to go through in person. The C-SSRS screener is free for clinical use with its exact wording (§6.8; "portal.cssrs.*"),
// asked with its skip logic; the portal offers it only when a clinician assigned it and the clinic lets patients
// answer it (scales.cssrs_screen_self_report). The server scores them (src/clinical/scales.cpp), checks the skip
// logic again and raises the alerts; this file only asks.
import type { MessageKey } from '../../i18n';

export type PortalInstrument = 'phq9' | 'gad7' | 'pcl5' | 'cssrs-screen';

export interface Questionnaire {
  readonly instrument: PortalInstrument;
  readonly name: MessageKey;
  // The question's lead-in, one for every item or one per item (the C-SSRS asks the past month, then ever).
  readonly stem: MessageKey | readonly MessageKey[];
  readonly items: readonly MessageKey[];
  // The answer choices in score order: choice i scores i.
  readonly choices: readonly MessageKey[];
  // Offered at any time on the portal's home; the others only when a clinician assigned them.
  readonly anyTime: boolean;
  // Whether item `index` (0-based) is skipped given the answers so far; a skipped item is sent as 0. None: no skips.
  readonly skipped?: (index: number, answers: readonly (number | null)[]) => boolean;
}

// The C-SSRS screener's flow (clinical-reference §6.8; docs/clinical-rules.md `cssrs_skip_logic`): Q3-Q5 only after a
// yes to Q2, "within the past 3 months" only after a yes to Q6. The server refuses any other combination.
function cssrsSkipped(index: number, answers: readonly (number | null)[]): boolean {
  if (index >= 2 && index <= 4) return answers[1] !== 1;
  if (index === 6) return answers[5] !== 1;
  return false;
}

export function stemOf(questionnaire: Questionnaire, index: number): MessageKey {
  const stem = questionnaire.stem;
  return typeof stem === 'string' ? stem : (stem[index] as MessageKey);
}

export function isSkipped(questionnaire: Questionnaire, index: number, answers: readonly (number | null)[]): boolean {
  return questionnaire.skipped?.(index, answers) ?? false;
}

// The answers as the API takes them: every item in order, a skipped one as 0. Null while an asked item is unanswered.
export function answersToSend(questionnaire: Questionnaire, answers: readonly (number | null)[]): number[] | null {
  const sent: number[] = [];
  for (let index = 0; index < questionnaire.items.length; index += 1) {
    if (isSkipped(questionnaire, index, answers)) {
      sent.push(0);
      continue;
    }
    const answer = answers[index];
    if (answer === null || answer === undefined) return null;
    sent.push(answer);
  }
  return sent;
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
    anyTime: true,
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
    anyTime: true,
  },
  {
    instrument: 'pcl5',
    name: 'portal.pcl5.name',
    stem: 'portal.pcl5.stem',
    items: [
      'portal.pcl5.item1',
      'portal.pcl5.item2',
      'portal.pcl5.item3',
      'portal.pcl5.item4',
      'portal.pcl5.item5',
      'portal.pcl5.item6',
      'portal.pcl5.item7',
      'portal.pcl5.item8',
      'portal.pcl5.item9',
      'portal.pcl5.item10',
      'portal.pcl5.item11',
      'portal.pcl5.item12',
      'portal.pcl5.item13',
      'portal.pcl5.item14',
      'portal.pcl5.item15',
      'portal.pcl5.item16',
      'portal.pcl5.item17',
      'portal.pcl5.item18',
      'portal.pcl5.item19',
      'portal.pcl5.item20',
    ],
    choices: [
      'portal.choice.notAtAll',
      'portal.choice.aLittleBit',
      'portal.choice.moderately',
      'portal.choice.quiteABit',
      'portal.choice.extremely',
    ],
    anyTime: false,
  },
  {
    instrument: 'cssrs-screen',
    name: 'portal.cssrs.name',
    stem: [
      'portal.cssrs.stemMonth',
      'portal.cssrs.stemMonth',
      'portal.cssrs.stemMonth',
      'portal.cssrs.stemMonth',
      'portal.cssrs.stemMonth',
      'portal.cssrs.stemEver',
      'portal.cssrs.stemRecent',
    ],
    items: [
      'portal.cssrs.item1',
      'portal.cssrs.item2',
      'portal.cssrs.item3',
      'portal.cssrs.item4',
      'portal.cssrs.item5',
      'portal.cssrs.item6',
      'portal.cssrs.item7',
    ],
    choices: ['portal.choice.no', 'portal.choice.yes'],
    anyTime: false,
    skipped: cssrsSkipped,
  },
];

export function questionnaireOf(instrument: string): Questionnaire | undefined {
  return QUESTIONNAIRES.find((q) => q.instrument === instrument);
}
