// What an inspector asks for (issue 14 §2, docs/api.md "Reports"): the dispensing log of one drug over a period
// (21 CFR 1304.22(c)), the inventory as of a moment (the biennial inventory, 21 CFR 1304.11) and the record of losses
// (count discrepancies, waste of stock, destruction: 21 CFR 1301.76(b), 1304.21(e)). The report and its period live
// in the address, so a report can be bookmarked and reopened; each prints as a document headed on every page with
// what it is, where and when and by whom it was printed and the zone of its times (print.tsx), and downloads as the
// server's CSV (times in UTC, one header row). Periods are typed as dates in the clinic's zone and sent as instants.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { clinicDate, clinicTimeZone, formatDate, formatDateTime } from '../../format';
import { t, tn, type MessageKey } from '../../i18n';
import { Page } from '../../page';
import { PrintButton, PrintHeader } from '../../print';
import { navigate, queryParam, useLocation } from '../../router';
import { Field, LoadState, asApiError, fieldError, type Refusal } from '../patients/form';
import { addDays, zonedInstant } from '../schedule/zoned';
import {
  dispensingLog,
  formatAmount,
  formatMeasured,
  inventoryAsOf,
  losses,
  reportCsvHref,
  type DispensingLine,
  type Entry,
  type InventoryReport,
  type ReportKind,
} from './inventory-api';
import { SafeSections } from './sections';
import { Expiry, TableScroll, containerName, kindLabel } from './shared';
import '../shared.css';
import '../patients/patients.css';
import './safe.css';

const REPORTS: readonly { kind: ReportKind; label: MessageKey }[] = [
  { kind: 'dispensing', label: 'safe.reports.dispensing' },
  { kind: 'inventory', label: 'safe.reports.inventory' },
  { kind: 'losses', label: 'safe.reports.losses' },
];

const DRUGS = ['ketamine', 'esketamine'] as const;

interface Choice {
  readonly report: ReportKind;
  readonly drug: string;
  readonly from: string; // YYYY-MM-DD, first day included
  readonly to: string; // YYYY-MM-DD, last day included
  readonly at: string; // YYYY-MM-DD: the inventory at the end of that day; empty: now
}

function choiceOf(search: string): Choice {
  const today = clinicDate();
  const report = queryParam(search, 'report');
  return {
    report: report === 'inventory' || report === 'losses' ? report : 'dispensing',
    drug: queryParam(search, 'drug') ?? 'ketamine',
    from: queryParam(search, 'from') ?? addDays(today, -30),
    to: queryParam(search, 'to') ?? today,
    at: queryParam(search, 'at') ?? '',
  };
}

function addressOf(choice: Choice): string {
  const params = new URLSearchParams({ report: choice.report });
  if (choice.report === 'dispensing') params.set('drug', choice.drug);
  if (choice.report === 'inventory') {
    if (choice.at) params.set('at', choice.at);
  } else {
    params.set('from', choice.from);
    params.set('to', choice.to);
  }
  return `/safe/reports?${params.toString()}`;
}

// The start of a day in the clinic's zone, as the API's instant.
function dayStart(date: string): string {
  return zonedInstant(date, '00:00', clinicTimeZone()) ?? date;
}

// The query the API gets: the period [first day's start, the day after the last's start).
function apiQuery(choice: Choice): Record<string, string> {
  if (choice.report === 'inventory') return choice.at ? { at: dayStart(addDays(choice.at, 1)) } : {};
  const period = { from: dayStart(choice.from), to: dayStart(addDays(choice.to, 1)) };
  return choice.report === 'dispensing' ? { drug: choice.drug, ...period } : period;
}

type Loaded =
  | { kind: 'dispensing'; lines: DispensingLine[] }
  | { kind: 'inventory'; report: InventoryReport }
  | { kind: 'losses'; entries: Entry[] };

export function ReportsPage(): JSX.Element {
  const { search } = useLocation();
  const shown = choiceOf(search);
  const [draft, setDraft] = useState<Choice>(shown);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<Refusal>(null);

  useEffect(() => {
    setDraft(shown);
    setLoaded(null);
    setError(null);
    const controller = new AbortController();
    const query = apiQuery(shown);
    const load = async (): Promise<Loaded> => {
      if (shown.report === 'dispensing') {
        return { kind: 'dispensing', lines: await dispensingLog(shown.drug, query.from ?? '', query.to ?? '', controller.signal) };
      }
      if (shown.report === 'inventory') {
        return { kind: 'inventory', report: await inventoryAsOf(query.at, controller.signal) };
      }
      return { kind: 'losses', entries: await losses(query.from ?? '', query.to ?? '', controller.signal) };
    };
    load()
      .then(setLoaded)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(asApiError(cause));
      });
    return () => controller.abort();
    // The address is the report: `search` changes exactly when another one is asked for.
  }, [search]);

  const document = documentName(shown);
  return (
    <Page
      title={t('safe.reports.title')}
      printHeader={<PrintHeader document={document} />}
      actions={
        <>
          <PrintButton label={t('safe.reports.print')} />
          <a class="button-link" href={reportCsvHref(shown.report, apiQuery(shown))} download={`${shown.report}.csv`}>
            {t('safe.reports.csv')}
          </a>
        </>
      }
    >
      <SafeSections />
      <form
        class="form-grid no-print"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          navigate(addressOf(draft));
        }}
      >
        <Field id="report-kind" label={t('safe.reports.kind')}>
          {(described) => (
            <select
              id="report-kind"
              value={draft.report}
              onChange={(e) => setDraft({ ...draft, report: e.currentTarget.value as ReportKind })}
              {...described}
            >
              {REPORTS.map((report) => (
                <option key={report.kind} value={report.kind}>
                  {t(report.label)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.report === 'dispensing' ? (
          <Field id="report-drug" label={t('safe.reports.drug')} error={fieldError(error, 'drug')}>
            {(described) => (
              <select id="report-drug" value={draft.drug} onChange={(e) => setDraft({ ...draft, drug: e.currentTarget.value })} {...described}>
                {DRUGS.map((drug) => (
                  <option key={drug} value={drug}>
                    {drug}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {draft.report === 'inventory' ? (
          <Field id="report-at" label={t('safe.reports.at')} hint={t('safe.reports.atHint')} error={fieldError(error, 'at')}>
            {(described) => (
              <input id="report-at" type="date" value={draft.at} onInput={(e) => setDraft({ ...draft, at: e.currentTarget.value })} {...described} />
            )}
          </Field>
        ) : (
          <>
            <Field id="report-from" label={t('safe.reports.from')} error={fieldError(error, 'from')}>
              {(described) => (
                <input id="report-from" type="date" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} {...described} />
              )}
            </Field>
            <Field id="report-to" label={t('safe.reports.to')} error={fieldError(error, 'to')}>
              {(described) => (
                <input id="report-to" type="date" value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} {...described} />
              )}
            </Field>
          </>
        )}
        <div class="form-actions">
          <button type="submit" class="button-primary">
            {t('safe.reports.show')}
          </button>
        </div>
      </form>
      <h2>{document}</h2>
      <LoadState error={error} loading={loaded === null && !error} />
      {loaded?.kind === 'dispensing' ? <DispensingTable lines={loaded.lines} /> : null}
      {loaded?.kind === 'inventory' ? <InventoryTable report={loaded.report} /> : null}
      {loaded?.kind === 'losses' ? <LossesTable entries={loaded.entries} /> : null}
    </Page>
  );
}

function documentName(choice: Choice): string {
  if (choice.report === 'inventory') {
    return choice.at
      ? t('safe.reports.inventoryAt', { date: formatDate(choice.at) })
      : t('safe.reports.inventoryNow');
  }
  const period = { from: formatDate(choice.from), to: formatDate(choice.to) };
  return choice.report === 'dispensing'
    ? t('safe.reports.dispensingOf', { drug: choice.drug, ...period })
    : t('safe.reports.lossesOf', period);
}

function Empty(): JSX.Element {
  return <p>{t('safe.reports.empty')}</p>;
}

function DispensingTable({ lines }: { lines: DispensingLine[] }): JSX.Element {
  if (lines.length === 0) return <Empty />;
  return (
    <TableScroll label={t('safe.reports.dispensing')}>
      <table class="data-table safe-table">
        <caption>{tn('safe.reports.draws', lines.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{t('safe.log.time')}</th>
            <th scope="col">{t('safe.col.container')}</th>
            <th scope="col">{t('safe.col.lot')}</th>
            <th scope="col">{t('safe.reports.dispensedTo')}</th>
            <th scope="col">{t('safe.reports.patientAdministration')}</th>
            <th scope="col">{t('safe.reports.drawn')}</th>
            <th scope="col">{t('safe.reports.given')}</th>
            <th scope="col">{t('safe.reports.returned')}</th>
            <th scope="col">{t('safe.reports.wasted')}</th>
            <th scope="col">{t('safe.log.by')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.entry.id}>
              <td>{formatDateTime(line.entry.recorded_at)}</td>
              <td>{containerName(line.container)}</td>
              <td>{line.container.lot_number}</td>
              <td class="dispensed-to">
                {line.patient.given_name} {line.patient.family_name}
                <br />
                {line.patient.address || t('safe.reports.noAddress')}
              </td>
              <td>
                {t('safe.reports.patientAdministrationValue', {
                  patient: line.entry.patient_id ?? '—',
                  administration: line.entry.administration_id ?? '—',
                })}
              </td>
              <td>{line.entry.amount ? formatAmount(line.container.unit, line.entry.amount) : '—'}</td>
              <td>{line.entry.given ? formatAmount(line.container.unit, line.entry.given) : '—'}</td>
              <td>{formatAmount(line.container.unit, line.returned)}</td>
              <td>
                {formatAmount(line.container.unit, line.wasted)}
                {line.waste_witnesses.length > 0 ? (
                  <>
                    <br />
                    {t('safe.log.witness', { witness: line.waste_witnesses.join(', ') })}
                  </>
                ) : null}
              </td>
              <td>{line.entry.recorded_by}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function InventoryTable({ report }: { report: InventoryReport }): JSX.Element {
  return (
    <>
      <p>{t('safe.reports.inventoryTaken', { time: formatDateTime(report.at) })}</p>
      {report.lines.length === 0 ? (
        <Empty />
      ) : (
        <TableScroll label={t('safe.reports.inventory')}>
          <table class="data-table safe-table">
            <caption>{tn('safe.containers', report.lines.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('safe.col.container')}</th>
                <th scope="col">{t('safe.col.lot')}</th>
                <th scope="col">{t('safe.col.expires')}</th>
                <th scope="col">{t('safe.col.location')}</th>
                <th scope="col">{t('safe.col.onHand')}</th>
              </tr>
            </thead>
            <tbody>
              {report.lines.map((line) => (
                <tr key={line.container.id}>
                  <th scope="row">{containerName(line.container)}</th>
                  <td>{line.container.lot_number}</td>
                  <td>
                    <Expiry
                      container={{
                        expires_on: line.container.expires_on,
                        expired: line.container.expires_on < clinicDate(Date.parse(report.at)),
                      }}
                    />
                  </td>
                  <td>{line.location}</td>
                  <td>{formatAmount(line.container.unit, line.balance.on_hand)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function LossesTable({ entries }: { entries: Entry[] }): JSX.Element {
  if (entries.length === 0) return <Empty />;
  return (
    <TableScroll label={t('safe.reports.losses')}>
      <table class="data-table safe-table">
        <caption>{tn('safe.reports.lossEntries', entries.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{t('safe.log.time')}</th>
            <th scope="col">{t('safe.log.kind')}</th>
            <th scope="col">{t('safe.reports.containerNumber')}</th>
            <th scope="col">{t('safe.log.amount')}</th>
            <th scope="col">{t('safe.log.by')}</th>
            <th scope="col">{t('safe.log.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{formatDateTime(entry.recorded_at)}</td>
              <td>{kindLabel(entry.kind)}</td>
              <td>{entry.container_id}</td>
              <td>
                {entry.kind === 'count' && entry.expected && entry.amount
                  ? t('safe.reports.countedAgainst', {
                      found: formatMeasured(entry.amount),
                      expected: formatMeasured(entry.expected),
                    })
                  : entry.amount
                    ? formatMeasured(entry.amount)
                    : '—'}
              </td>
              <td>
                {entry.recorded_by}
                {entry.witness ? (
                  <>
                    <br />
                    {t('safe.log.witness', { witness: entry.witness })}
                  </>
                ) : null}
              </td>
              <td>{entry.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
