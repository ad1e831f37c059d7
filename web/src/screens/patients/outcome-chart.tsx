// The outcome chart of a chart (issue 12 §2): each outcome scale's totals over time, with its baseline, the 50 %
// response line and the remission threshold drawn and labelled on the plot (line style and words, never colour
// alone), and the patient's sessions marked on the time axis (a filled mark for a completed session, an open one for
// a planned session). One small plot per scale, since their ranges differ (PHQ-9 0-27, MADRS 0-60, PCL-5 0-80).
// The lines are stated in words under each plot, and a table of the same numbers follows it, for screen readers and
// for print.
//
// The lines are the server's (GET /api/v1/patients/{id}/chart, `outcomes`, from clinical::OutcomeLinesFor; rules in
// docs/clinical-rules.md "Outcomes"): the browser draws them where the chart route puts them and applies no
// outcome rule of its own. The route's baseline is the pre-treatment score, the latest total before the first dose
// (docs/api.md "chart"); a scale first scored during treatment has none, and its plot says so.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDateTime } from '../../format';
import { t, type MessageKey } from '../../i18n';
import type { Course, OutcomePoint, OutcomeSeries } from './types';

// How the chart names and scales each instrument the route answers: the title, and the instrument's highest total
// as the plot's top (docs/clinical-rules.md "Instruments").
const SCALES: Readonly<Record<string, { readonly title: MessageKey; readonly max: number }>> = {
  phq9: { title: 'outcome.phq9', max: 27 },
  madrs: { title: 'outcome.madrs', max: 60 },
  'qids-sr16': { title: 'outcome.qids', max: 27 },
  gad7: { title: 'outcome.gad7', max: 21 },
  pcl5: { title: 'outcome.pcl5', max: 80 },
};

// An instrument the chart has no entry for still shows: its code as its name, its totals' range as the plot's.
function scaleOf(series: OutcomeSeries): { title: string; max: number } {
  const known = SCALES[series.instrument];
  if (known) return { title: t(known.title), max: known.max };
  return { title: series.instrument, max: Math.max(...series.points.map((point) => point.total), 1) };
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

interface PlotProps {
  readonly title: string;
  readonly max: number;
  readonly series: OutcomeSeries;
  readonly sessions: readonly SessionMark[];
}

interface Guide {
  readonly value: number;
  readonly label: string;
  readonly dash: number[];
  readonly align: 'left' | 'right';
  readonly below: boolean;
}

// The lines the route answered, each with its label; none when the baseline is 0 (the route then answers the five
// line fields null: no reduction to measure). Each label has its own place (right above, left above, right below
// its line), so lines that meet (a response line at the remission threshold) keep readable labels.
function guidesOf(series: OutcomeSeries): Guide[] {
  const { baseline_total: baseline, response_max_total: response, remission_max_total: remission } = series;
  if (baseline === null || response === null || remission === null) return [];
  return [
    { value: baseline, label: t('outcome.baseline', { value: baseline }), dash: [8, 4], align: 'right', below: false },
    { value: response, label: t('outcome.response', { value: response }), dash: [2, 3], align: 'left', below: false },
    {
      value: remission,
      label: t('outcome.remission', { value: remission }),
      dash: [10, 3, 2, 3],
      align: 'right',
      below: true,
    },
  ];
}

const LINE = '#1f4e79';
const GUIDE = '#333333';

function ScalePlot({ title, max, series, sessions }: PlotProps): JSX.Element {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element) return undefined;
    const xs = series.points.map((point) => Date.parse(point.assessed_at) / 1000);
    const ys = series.points.map((point) => point.total);
    const times = [...xs, ...sessions.map((mark) => mark.at)];
    const spanPad = 3 * 86400;
    const xMin = Math.min(...times) - spanPad;
    const xMax = Math.max(...times) + spanPad;
    const guides = guidesOf(series);
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
        title,
        width,
        height: 260,
        scales: { x: { time: true, range: [xMin, xMax] }, y: { range: [0, max] } },
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
  }, [title, max, series, sessions]);
  return <div ref={holder} class="outcome-plot" role="img" aria-label={t('outcome.plotLabel', { scale: title })} />;
}

// A result against the baseline, in words: the baseline itself (the latest total before the first dose, docs/api.md
// "chart"), an earlier pre-treatment score, or the change from the baseline; none without a baseline, or to measure
// from a baseline of 0.
function changeText(series: OutcomeSeries, index: number): string {
  const point = series.points[index] as OutcomePoint;
  const baselineIndex = series.points.findIndex((p) => p.assessment_id === series.baseline_assessment_id);
  if (baselineIndex < 0) return t('outcome.noBaselineChange');
  if (index === baselineIndex) return t('outcome.isBaseline');
  if (index < baselineIndex) return t('outcome.beforeBaseline');
  const baseline = series.baseline_total;
  if (baseline === null) return t('outcome.noChange');
  const percent = Math.round(((baseline - point.total) / baseline) * 100);
  return percent >= 0 ? t('outcome.reduction', { value: percent }) : t('outcome.increase', { value: -percent });
}

// The lines in words, with the remission rule that put them, for screen readers and print (the plot is a picture).
function linesText(series: OutcomeSeries, title: string): string {
  if (series.baseline_assessment_id === null) return t('outcome.noBaseline', { scale: title });
  const [baseline, response, remission] = guidesOf(series);
  if (!baseline || !response || !remission) return t('outcome.noLines');
  return t('outcome.lines', {
    baseline: baseline.value,
    response: response.value,
    remission: remission.value,
    remissionRule: series.remission_rule ?? '',
  });
}

// In the browser's performance timeline once every scale's table is built (bench/web/run.mjs reads it).
export const OUTCOME_TABLES_MARK = 'kclinic:chart-tables';

// How many scales' tables of numbers to build: none at first, then one more per task after each paint, so that the
// plots show at once and the page answers input while the tables fill in; every one as soon as the page is about to
// print (Preact renders a state change in the microtask after the beforeprint listener, before the print layout).
// Years of care make thousands of rows, and building them is most of a chart's render time (docs/benchmarks.md "The
// web front end"); they sit in closed disclosures, so nobody sees them arrive.
function useTablesBuilt(count: number): number {
  const [built, setBuilt] = useState(0);
  useEffect(() => {
    if (built >= count) {
      if (count > 0) {
        performance.clearMarks(OUTCOME_TABLES_MARK);
        performance.mark(OUTCOME_TABLES_MARK);
      }
      return undefined;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setBuilt((n) => n + 1), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [built, count]);
  useEffect(() => {
    const all = (): void => setBuilt(count);
    window.addEventListener('beforeprint', all);
    return () => window.removeEventListener('beforeprint', all);
  }, [count]);
  return built;
}

export function OutcomeChart({
  outcomes,
  courses,
}: {
  outcomes: readonly OutcomeSeries[];
  courses: readonly Course[];
}): JSX.Element {
  const sessions = sessionMarks(courses);
  const tablesBuilt = useTablesBuilt(outcomes.length);
  // A printed chart carries its numbers: the print stylesheet shows the closed tables' content (styles/print.css).
  // The route leaves out an instrument never scored, so every series has a point.
  if (outcomes.length === 0) return <p class="muted">{t('outcome.none')}</p>;
  return (
    <div class="outcome-chart">
      <p class="muted">{t('outcome.legend')}</p>
      {outcomes.map((series, scaleIndex) => {
        const { title, max } = scaleOf(series);
        return (
          <figure key={series.instrument} class="outcome-figure">
            <ScalePlot title={title} max={max} series={series} sessions={sessions} />
            <figcaption>
              <p class="outcome-lines">{linesText(series, title)}</p>
              <details class="outcome-data">
                <summary>{t('outcome.dataOf', { scale: title })}</summary>
                {scaleIndex < tablesBuilt ? (
                  <table class="data-table">
                    <caption class="visually-hidden">{t('outcome.dataOf', { scale: title })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('outcome.date')}</th>
                        <th scope="col">{t('outcome.total')}</th>
                        <th scope="col">{t('outcome.band')}</th>
                        <th scope="col">{t('outcome.change')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {series.points.map((point, index) => (
                        <tr key={point.assessment_id}>
                          <td>{formatDateTime(point.assessed_at)}</td>
                          <td class="num">{point.total}</td>
                          <td>{point.band.replace(/_/g, ' ')}</td>
                          <td class="num">{changeText(series, index)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
              </details>
            </figcaption>
          </figure>
        );
      })}
      <p class="muted">{t('outcome.sessionsKey')}</p>
    </div>
  );
}
