// The outcome chart of a chart (issue 12 §2): each outcome scale's totals over time, with its baseline, the 50 %
// response line and the remission threshold drawn and labelled on the plot (line style and words, never colour
// alone), and the patient's sessions marked on the time axis (a filled mark for a completed session, an open one for
// a planned session). One small plot per scale, since their ranges differ (PHQ-9 0-27, MADRS 0-60, PCL-5 0-80).
// A table of the same numbers follows each plot for screen readers and for print.
//
// The rules drawn (docs/clinical-rules.md "Outcomes"): the baseline is the pre-treatment score, the latest valid
// assessment before treatment began (baselineOf); response is a
// reduction of at least 50 % from it; remission is PHQ-9 <= 4, GAD-7 <= 4, QIDS-SR16 <= 5, MADRS <=
// `outcomes.madrs_remission_max`, PCL-5 below `scales.pcl5_provisional_ptsd_min` (clinic settings, read from the API).
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDateTime } from '../../format';
import { t, type MessageKey } from '../../i18n';
import type { Assessment, Course, Setting } from './types';

export interface ScaleDefinition {
  readonly instrument: string;
  readonly title: MessageKey;
  readonly max: number;
  // The highest total that is remission (PCL-5: one below the provisional-PTSD cut-off).
  readonly remissionMax: number;
}

function settingNumber(settings: readonly Setting[], name: string, fallback: number): number {
  const found = settings.find((setting) => setting.name === name);
  return typeof found?.value === 'number' ? found.value : fallback;
}

// The five outcome scales the chart shows, with the clinic's settings in force.
export function outcomeScales(settings: readonly Setting[]): ScaleDefinition[] {
  return [
    { instrument: 'phq9', title: 'outcome.phq9', max: 27, remissionMax: 4 },
    {
      instrument: 'madrs',
      title: 'outcome.madrs',
      max: 60,
      remissionMax: settingNumber(settings, 'outcomes.madrs_remission_max', 12),
    },
    { instrument: 'qids-sr16', title: 'outcome.qids', max: 27, remissionMax: 5 },
    { instrument: 'gad7', title: 'outcome.gad7', max: 21, remissionMax: 4 },
    {
      instrument: 'pcl5',
      title: 'outcome.pcl5',
      max: 80,
      remissionMax: settingNumber(settings, 'scales.pcl5_provisional_ptsd_min', 33) - 1,
    },
  ];
}

interface SessionMark {
  readonly at: number; // seconds since the epoch
  readonly completed: boolean;
}

// A calendar date ("2026-09-21") as the instant the plot puts it at: noon UTC, the middle of the day anywhere.
function dateSeconds(date: string): number {
  return Date.parse(`${date}T12:00:00Z`) / 1000;
}

export function sessionMarks(courses: readonly Course[]): SessionMark[] {
  const marks: SessionMark[] = [];
  for (const course of courses) {
    for (const session of course.sessions) {
      if (session.state === 'cancelled') continue;
      const completed = session.state === 'discharged';
      marks.push({
        at: completed ? Date.parse(session.state_changed_at) / 1000 : dateSeconds(session.planned_date),
        completed,
      });
    }
  }
  return marks;
}

// The sessions that reached dosing: treatment was given (or began) in them.
const TREATED_STATES = new Set(['dosing', 'monitoring', 'ready_for_discharge', 'discharged']);

// When treatment began: the check-in of the first session that reached dosing (seconds), or undefined.
export function treatmentStart(courses: readonly Course[]): number | undefined {
  const starts = courses
    .flatMap((course) => course.sessions)
    .filter((session) => TREATED_STATES.has(session.state) && session.checked_in_at !== undefined)
    .map((session) => Date.parse(session.checked_in_at as string) / 1000);
  return starts.length ? Math.min(...starts) : undefined;
}

// The pre-treatment baseline: the latest valid assessment before treatment began (all of them while none has been
// given); when every assessment is later, the first.
export function baselineOf(points: readonly Assessment[], courses: readonly Course[]): Assessment | undefined {
  const start = treatmentStart(courses) ?? Number.POSITIVE_INFINITY;
  const before = points.filter((point) => Date.parse(point.assessed_at) / 1000 <= start);
  return before.length ? before[before.length - 1] : points[0];
}

interface PlotProps {
  readonly scale: ScaleDefinition;
  readonly points: readonly Assessment[];
  readonly baseline: Assessment;
  readonly sessions: readonly SessionMark[];
}

const LINE = '#1f4e79';
const GUIDE = '#333333';

function ScalePlot({ scale, points, baseline, sessions }: PlotProps): JSX.Element {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element) return undefined;
    const xs = points.map((point) => Date.parse(point.assessed_at) / 1000);
    const ys = points.map((point) => point.total);
    const times = [...xs, ...sessions.map((mark) => mark.at)];
    const spanPad = 3 * 86400;
    const xMin = Math.min(...times) - spanPad;
    const xMax = Math.max(...times) + spanPad;
    const response = baseline.total / 2;
    // Each label has its own place (right above, left above, right below its line), so lines that meet (a
    // response line at the remission threshold) keep readable labels.
    const guides: { value: number; label: string; dash: number[]; align: 'left' | 'right'; below: boolean }[] = [
      {
        value: baseline.total,
        label: t('outcome.baseline', { value: baseline.total }),
        dash: [8, 4],
        align: 'right',
        below: false,
      },
      { value: response, label: t('outcome.response', { value: response }), dash: [2, 3], align: 'left', below: false },
      {
        value: scale.remissionMax,
        label: t('outcome.remission', { value: scale.remissionMax }),
        dash: [10, 3, 2, 3],
        align: 'right',
        below: true,
      },
    ];
    const drawGuides = (plot: uPlot): void => {
      const { ctx } = plot;
      const { left, top, width, height } = plot.bbox;
      const pixel = devicePixelRatio;
      ctx.save();
      ctx.font = `${12 * pixel}px sans-serif`;
      ctx.fillStyle = GUIDE;
      ctx.strokeStyle = GUIDE;
      ctx.lineWidth = pixel;
      for (const guide of guides) {
        const y = plot.valToPos(guide.value, 'y', true);
        ctx.setLineDash(guide.dash.map((step) => step * pixel));
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.textAlign = guide.align;
        ctx.textBaseline = guide.below ? 'top' : 'bottom';
        const x = guide.align === 'right' ? left + width - 4 * pixel : left + 4 * pixel;
        ctx.fillText(guide.label, x, guide.below ? y + 3 * pixel : y - 3 * pixel);
      }
      // Sessions on the time axis: a filled triangle when completed, an open one when planned.
      const base = top + height;
      for (const mark of sessions) {
        const x = plot.valToPos(mark.at, 'x', true);
        if (x < left || x > left + width) continue;
        ctx.beginPath();
        ctx.moveTo(x, base - 10 * pixel);
        ctx.lineTo(x - 5 * pixel, base);
        ctx.lineTo(x + 5 * pixel, base);
        ctx.closePath();
        if (mark.completed) ctx.fill();
        else ctx.stroke();
      }
      ctx.restore();
    };
    const width = Math.max(320, Math.min(element.clientWidth || 720, 960));
    const plot = new uPlot(
      {
        title: t(scale.title),
        width,
        height: 260,
        scales: { x: { time: true, range: [xMin, xMax] }, y: { range: [0, scale.max] } },
        axes: [{}, { label: t('outcome.total') }],
        series: [
          { label: t('outcome.date'), value: (_plot, value) => (value === null ? '' : formatDateTime(value * 1000)) },
          { label: t('outcome.score'), stroke: LINE, width: 2, points: { show: true, size: 7 } },
        ],
        legend: { show: false },
        cursor: { show: false },
        hooks: { draw: [drawGuides] },
      },
      [xs, ys],
      element,
    );
    return () => plot.destroy();
  }, [scale, points, baseline, sessions]);
  return <div ref={holder} class="outcome-plot" role="img" aria-label={t('outcome.plotLabel', { scale: t(scale.title) })} />;
}

// A result against the baseline, in words: the baseline itself, a result before it, or the change from it.
function changeText(point: Assessment, baseline: Assessment): string {
  if (point.id === baseline.id) return t('outcome.isBaseline');
  if (Date.parse(point.assessed_at) < Date.parse(baseline.assessed_at)) return t('outcome.beforeBaseline');
  const percent = Math.round(((baseline.total - point.total) / Math.max(baseline.total, 1)) * 100);
  return percent >= 0 ? t('outcome.reduction', { value: percent }) : t('outcome.increase', { value: -percent });
}

export function OutcomeChart({
  assessments,
  courses,
  settings,
}: {
  assessments: readonly Assessment[];
  courses: readonly Course[];
  settings: readonly Setting[];
}): JSX.Element {
  const sessions = sessionMarks(courses);
  const scales = outcomeScales(settings)
    .map((scale) => ({
      scale,
      points: assessments.filter((a) => a.instrument === scale.instrument && a.entered_in_error === null),
    }))
    .filter((entry) => entry.points.length > 0);
  useEffect(() => {
    // A printed chart carries its numbers: the tables open for printing.
    const open = (): void => {
      for (const details of document.querySelectorAll<HTMLDetailsElement>('details.outcome-data')) details.open = true;
    };
    window.addEventListener('beforeprint', open);
    return () => window.removeEventListener('beforeprint', open);
  }, []);
  if (scales.length === 0) return <p class="muted">{t('outcome.none')}</p>;
  return (
    <div class="outcome-chart">
      <p class="muted">{t('outcome.legend')}</p>
      {scales.map(({ scale, points }) => {
        const baseline = baselineOf(points, courses) ?? (points[0] as Assessment);
        return (
          <figure key={scale.instrument} class="outcome-figure">
            <ScalePlot scale={scale} points={points} baseline={baseline} sessions={sessions} />
            <figcaption>
              <details class="outcome-data">
                <summary>{t('outcome.dataOf', { scale: t(scale.title) })}</summary>
                <table class="data-table">
                  <caption class="visually-hidden">{t('outcome.dataOf', { scale: t(scale.title) })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('outcome.date')}</th>
                      <th scope="col">{t('outcome.total')}</th>
                      <th scope="col">{t('outcome.band')}</th>
                      <th scope="col">{t('outcome.change')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {points.map((point) => (
                      <tr key={point.id}>
                        <td>{formatDateTime(point.assessed_at)}</td>
                        <td class="num">{point.total}</td>
                        <td>{point.band.replace(/_/g, ' ')}</td>
                        <td class="num">
                          {changeText(point, baseline)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </figcaption>
          </figure>
        );
      })}
      <p class="muted">{t('outcome.sessionsKey')}</p>
    </div>
  );
}
