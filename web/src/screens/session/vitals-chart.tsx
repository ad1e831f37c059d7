// The session's live chart (issue 12 §2): systolic and diastolic blood pressure, heart rate, SpO2 and respiratory
// rate over the session, with the clinic's alert thresholds drawn as labelled bands: each band is shaded, edged by
// a dashed line and named in words on the chart and in the list below it, so no threshold is told by colour alone.
// Each series has its own dash pattern and marker as well as its colour. uPlot is loaded with the screen that
// needs it, keeping the first screen's JavaScript small.
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTime } from '../../format';
import { t } from '../../i18n';
import { LOINC, type Thresholds, type Vital } from './model';

interface Band {
  readonly scale: 'mmHg' | 'min' | 'pct';
  // The threshold: the band's edge, drawn as a dashed line.
  readonly at: number;
  // Whether the alert region lies above the threshold (else below it).
  readonly above: boolean;
  readonly label: string;
}

function bandsOf(th: Thresholds): Band[] {
  return [
    { scale: 'mmHg', at: th.systolicAtOrAbove, above: true, label: t('vitalsChart.band.systolic', { value: th.systolicAtOrAbove }) },
    { scale: 'mmHg', at: th.diastolicAtOrAbove, above: true, label: t('vitalsChart.band.diastolic', { value: th.diastolicAtOrAbove }) },
    { scale: 'min', at: th.heartRateAbove, above: true, label: t('vitalsChart.band.heartRateHigh', { value: th.heartRateAbove }) },
    { scale: 'min', at: th.heartRateBelow, above: false, label: t('vitalsChart.band.heartRateLow', { value: th.heartRateBelow }) },
    { scale: 'pct', at: th.spo2Below, above: false, label: t('vitalsChart.band.spo2', { value: th.spo2Below }) },
  ];
}

// The threshold list under the chart: every band in words.
export function thresholdLines(th: Thresholds): string[] {
  return [
    ...bandsOf(th).map((b) => b.label),
    t('vitalsChart.band.respiratoryLow', { value: th.respiratoryRateBelow }),
    t('vitalsChart.band.respiratoryHigh', { value: th.respiratoryRateAbove }),
  ];
}

type Columns = [number[], ...(number | null)[][]];

// Aligns the readings on one time axis (seconds), one column per series, null where a series has no reading.
function columnsOf(vitals: readonly Vital[]): Columns {
  const valid = vitals.filter((v) => v.status !== 'entered-in-error');
  const times = [...new Set(valid.map((v) => Math.floor(Date.parse(v.observed_at) / 1000)))].sort((a, b) => a - b);
  const index = new Map(times.map((time, i) => [time, i]));
  const column = (): (number | null)[] => times.map(() => null);
  const sys = column();
  const dia = column();
  const hr = column();
  const spo2 = column();
  const rr = column();
  for (const v of valid) {
    const i = index.get(Math.floor(Date.parse(v.observed_at) / 1000)) as number;
    if (v.loinc === LOINC.bloodPressure) {
      sys[i] = v.systolic ?? null;
      dia[i] = v.diastolic ?? null;
    } else if (v.loinc === '8480-6') sys[i] = v.value ?? null;
    else if (v.loinc === '8462-4') dia[i] = v.value ?? null;
    else if (v.loinc === LOINC.heartRate) hr[i] = v.value ?? null;
    else if (v.loinc === LOINC.spo2 || v.loinc === LOINC.spo2Pulse) spo2[i] = v.value ?? null;
    else if (v.loinc === LOINC.respiratoryRate) rr[i] = v.value ?? null;
  }
  return [times, sys, dia, hr, spo2, rr];
}

function drawBands(u: uPlot, bands: readonly Band[]): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.font = `${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
  for (const band of bands) {
    const lineY = u.valToPos(band.at, band.scale, true);
    // The band: a strip on the alerting side of the threshold. Five thresholds on three scales overlap, so
    // shading each whole region would shade the whole plot and say nothing.
    const strip = Math.min(12 * devicePixelRatio, band.above ? lineY - top : top + height - lineY);
    ctx.fillStyle = 'rgba(180, 35, 24, 0.14)';
    ctx.fillRect(left, band.above ? lineY - strip : lineY, width, Math.max(0, strip));
    ctx.strokeStyle = '#8a1c13';
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.lineWidth = devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(left, lineY);
    ctx.lineTo(left + width, lineY);
    ctx.stroke();
    ctx.fillStyle = '#8a1c13';
    const textY = band.above ? lineY - 3 * devicePixelRatio : lineY + 11 * devicePixelRatio;
    ctx.fillText(band.label, left + 6 * devicePixelRatio, textY);
  }
  ctx.restore();
}

export interface VitalsChartProps {
  readonly vitals: readonly Vital[];
  readonly thresholds: Thresholds;
}

export function VitalsChart({ vitals, thresholds }: VitalsChartProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const bandsRef = useRef<Band[]>(bandsOf(thresholds));
  bandsRef.current = bandsOf(thresholds);

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    void import('uplot').then(({ default: UPlot }) => {
      const element = host.current;
      if (cancelled || !element) return;
      const width = Math.max(320, element.clientWidth);
      const time = (_u: uPlot, splits: number[]): string[] => splits.map((s) => formatTime(s * 1000));
      const options: uPlot.Options = {
        width,
        height: 320,
        scales: {
          x: { time: true },
          mmHg: { range: [40, 220] },
          min: { range: [0, 160] },
          pct: { range: [80, 100] },
        },
        axes: [
          { values: time },
          { scale: 'mmHg', label: t('vitalsChart.axis.mmHg') },
          { scale: 'min', side: 1, label: t('vitalsChart.axis.perMin'), grid: { show: false } },
        ],
        series: [
          {},
          { label: t('vitalsChart.series.systolic'), scale: 'mmHg', stroke: '#1d4ed8', width: 2, points: { show: true, size: 7 } },
          { label: t('vitalsChart.series.diastolic'), scale: 'mmHg', stroke: '#1d4ed8', width: 2, dash: [8, 4], points: { show: true, size: 5 } },
          { label: t('vitalsChart.series.heartRate'), scale: 'min', stroke: '#047857', width: 2, dash: [2, 3], points: { show: true, size: 6 } },
          { label: t('vitalsChart.series.spo2'), scale: 'pct', stroke: '#7c3aed', width: 2, dash: [12, 3, 2, 3], points: { show: true, size: 6 } },
          { label: t('vitalsChart.series.respiratoryRate'), scale: 'min', stroke: '#b45309', width: 2, dash: [4, 4], points: { show: true, size: 6 } },
        ],
        spanGaps: true,
        hooks: { drawClear: [(u: uPlot) => drawBands(u, bandsRef.current)] },
      } as uPlot.Options;
      plot.current = new UPlot(options, columnsOf(vitals) as uPlot.AlignedData, element);
      observer = new ResizeObserver(() => {
        if (plot.current && element.clientWidth > 0) plot.current.setSize({ width: element.clientWidth, height: 320 });
      });
      observer.observe(element);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(columnsOf(vitals) as uPlot.AlignedData);
  }, [vitals, thresholds]);

  return (
    <figure class="vitals-chart">
      <div ref={host} class="vitals-chart-plot" role="img" aria-label={t('vitalsChart.label')} />
      <figcaption>
        <p class="muted">{t('vitalsChart.thresholdsTitle')}</p>
        <ul class="threshold-list">
          {thresholdLines(thresholds).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
