// The patient's own progress chart (issue 12 §3): their self-report totals over time, one line per questionnaire,
// drawn with uPlot, loaded only when the chart is shown so the first screen's JavaScript stays small. Each line has
// its own dash pattern and point shape as well as its colour, and its name in the legend (never colour alone,
// WCAG 1.4.1); the same numbers are in a table below for screen readers and for reading exact values.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { clinicTimeZone, formatDateTime } from '../../format';
import { t, type MessageKey } from '../../i18n';
import type { RecentScore } from './portal-api';

interface Line {
  readonly instrument: string;
  readonly label: MessageKey;
  readonly stroke: string;
  readonly dash: number[];
}

// Colours from styles/tokens.css's text palette, each at least 3:1 against the white chart (WCAG 1.4.11).
const LINES: readonly Line[] = [
  { instrument: 'phq9', label: 'portal.instrument.phq9', stroke: '#1d4ed8', dash: [] },
  { instrument: 'gad7', label: 'portal.instrument.gad7', stroke: '#9a3412', dash: [8, 4] },
  { instrument: 'qids-sr16', label: 'portal.instrument.qids-sr16', stroke: '#166534', dash: [2, 3] },
  { instrument: 'pcl5', label: 'portal.instrument.pcl5', stroke: '#6b21a8', dash: [10, 3, 2, 3] },
];

export function instrumentLabel(instrument: string): string {
  const line = LINES.find((l) => l.instrument === instrument);
  return line ? t(line.label) : instrument;
}

export function ProgressChart({ scores }: { scores: readonly RecentScore[] }): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const present = LINES.filter((line) => scores.some((s) => s.instrument === line.instrument));

  useEffect(() => {
    const element = host.current;
    if (!element || present.length === 0) return undefined;
    let chart: { destroy: () => void } | undefined;
    let cancelled = false;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')])
      .then(([module]) => {
        if (cancelled) return;
        const uPlot = module.default;
        // One x value per assessment; a line has a value only where its instrument was answered (null gaps join).
        const times = [...new Set(scores.map((s) => Date.parse(s.assessed_at) / 1000))].sort((a, b) => a - b);
        const series = present.map((line) =>
          times.map((x) => {
            const score = scores.find((s) => s.instrument === line.instrument && Date.parse(s.assessed_at) / 1000 === x);
            return score ? score.total : null;
          }),
        );
        const zone = clinicTimeZone();
        chart = new uPlot(
          {
            width: Math.max(280, element.clientWidth),
            height: 240,
            tzDate: (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), zone),
            scales: { x: { time: true }, y: { range: [0, null] } },
            axes: [{}, { label: t('portal.chart.axisScore') }],
            series: [
              { label: t('portal.chart.axisDate'), value: (_u: unknown, v: number | null) => (v === null ? '' : formatDateTime(v * 1000)) },
              ...present.map((line) => ({
                label: t(line.label),
                stroke: line.stroke,
                width: 2,
                dash: line.dash,
                spanGaps: true,
                points: { show: true, size: 7 },
              })),
            ],
          },
          [times, ...series],
          element,
        );
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [scores]);

  if (present.length === 0) return <p class="muted">{t('portal.chart.empty')}</p>;
  return (
    <figure class="portal-chart">
      <div ref={host} role="img" aria-label={t('portal.chart.label')} />
      {failed ? <p class="notice notice-warning">{t('portal.chart.failed')}</p> : null}
      <figcaption>
        <details>
          <summary>{t('portal.chart.table')}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('portal.chart.when')}</th>
                <th scope="col">{t('portal.chart.questionnaire')}</th>
                <th scope="col">{t('portal.chart.score')}</th>
              </tr>
            </thead>
            <tbody>
              {scores.map((score) => (
                <tr key={score.assessment_id}>
                  <td>{formatDateTime(score.assessed_at)}</td>
                  <td>{instrumentLabel(score.instrument)}</td>
                  <td class="num">{t('portal.chart.total', { total: score.total, band: score.band })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
