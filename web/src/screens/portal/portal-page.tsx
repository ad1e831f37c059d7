// The patient portal's home (issue 12 §3), phone-sized first: crisis services when the latest questionnaire flagged
// suicidality (first on the screen, taking focus), the questionnaires a clinician assigned (due ones first) and those
// open at any time, the next sessions with the preparation each needs, and the patient's own progress chart.
// Everything comes from one request, GET /api/v1/patients/{id}/portal, which also names the clinic's time zone: every
// time here is shown in it (format.ts). Its texts (preparation, the clinic's crisis text and services) are the
// server's, with their sources, never restated here.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { formatDate, formatDateTime, setClinicTimeZone } from '../../format';
import { t, tn, type MessageKey } from '../../i18n';
import { Page } from '../../page';
import '../shared.css';
import './portal.css';
import { Link, queryParam, useLocation } from '../../router';
import { useSession } from '../../session';
import { loadPortal, type AssignedQuestionnaire, type CrisisResource, type PortalView } from './portal-api';
import { instrumentLabel, ProgressChart } from './progress-chart';
import { QUESTIONNAIRES, questionnaireOf } from './questionnaires';

const ROUTE_KEYS: Readonly<Record<string, MessageKey>> = {
  iv: 'portal.route.iv',
  im: 'portal.route.im',
  'esketamine-nasal': 'portal.route.esketamine-nasal',
};

export function routeLabel(route: string): string {
  const key = ROUTE_KEYS[route];
  return key ? t(key) : route;
}

export function CrisisResources({
  resources,
  text,
}: {
  resources: readonly CrisisResource[];
  text?: string;
}): JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section class="notice notice-error crisis" aria-labelledby="crisis-title" data-testid="crisis-resources">
      <h2 id="crisis-title" ref={heading} tabIndex={-1}>
        {t('portal.crisis.title')}
      </h2>
      <p>{t('portal.crisis.intro')}</p>
      {text ? <p class="crisis-text">{text}</p> : null}
      <ul class="crisis-list">
        {resources.map((resource) => (
          <li key={resource.name}>
            <strong>{resource.name}</strong>: {resource.contact}
          </li>
        ))}
      </ul>
      <p class="muted">{t('portal.crisis.careTeam')}</p>
    </section>
  );
}

// One assigned questionnaire: a link to answer it when the portal has its form, its due date and how often it comes.
function AssignedItem({ item }: { item: AssignedQuestionnaire }): JSX.Element {
  const form = questionnaireOf(item.instrument);
  const name = form ? t(form.name) : instrumentLabel(item.instrument);
  const when = item.next_due ? formatDate(item.next_due) : '';
  return (
    <li class={item.due ? 'card card-due' : 'card'} data-testid={`assigned-${item.instrument}`}>
      {form && item.due ? (
        <Link href={`/portal/questionnaires/${item.instrument}`} class="card-link">
          {t('portal.questionnaires.answer', { name })}
        </Link>
      ) : (
        <strong>{name}</strong>
      )}
      <span>
        {item.due ? t('portal.assigned.dueSince', { date: when }) : t('portal.assigned.nextDue', { date: when })}
        {item.every_days ? ` ${tn('portal.assigned.every', item.every_days)}` : ''}
      </span>
      {form ? null : <span class="muted">{t('portal.assigned.inPerson')}</span>}
    </li>
  );
}

function lastAnswered(view: PortalView, instrument: string): string | undefined {
  const scores = view.recent_scores.filter((s) => s.instrument === instrument);
  return scores.length > 0 ? scores[scores.length - 1]?.assessed_at : undefined;
}

export function PortalPage(): JSX.Element {
  const { user } = useSession();
  const { search } = useLocation();
  const submitted = queryParam(search, 'submitted');
  const [view, setView] = useState<PortalView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const patientId = user?.patient_id;

  useEffect(() => {
    if (patientId === undefined) return undefined;
    const abort = new AbortController();
    setError(null);
    loadPortal(patientId, abort.signal)
      .then((loaded) => {
        setClinicTimeZone(loaded.time_zone);
        setView(loaded);
      })
      .catch((cause: unknown) => {
        if (cause instanceof ApiError) setError(cause.message);
        else if (!(cause instanceof DOMException)) setError(t('error.unexpected', { status: 0 }));
      });
    return () => abort.abort();
  }, [patientId, attempt, submitted]);

  if (patientId === undefined) {
    return (
      <Page title={t('page.portal')}>
        <p class="notice notice-error">{t('portal.noRecord')}</p>
      </Page>
    );
  }
  return (
    <Page title={t('page.portal')}>
      {view ? <p class="portal-greeting">{t('portal.greeting', { name: view.given_name })}</p> : null}
      {error ? (
        <div class="notice notice-error" role="alert">
          <p>{error}</p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            {t('portal.retry')}
          </button>
        </div>
      ) : null}
      {view === null && !error ? <p class="muted">{t('app.loading')}</p> : null}
      {view ? (
        <div class="portal">
          {view.suicidality_flagged && view.crisis_resources && view.crisis_resources.length > 0 ? (
            <CrisisResources resources={view.crisis_resources} text={view.crisis_text} />
          ) : null}
          {submitted ? (
            <p class="notice notice-info" role="status">
              {t('portal.submitted', { name: instrumentLabel(submitted) })}
            </p>
          ) : null}

          {view.questionnaires.length > 0 ? (
            <section aria-labelledby="portal-assigned">
              <h2 id="portal-assigned">{t('portal.assigned.title')}</h2>
              <ul class="card-list">
                {view.questionnaires.map((item) => (
                  <AssignedItem key={item.id} item={item} />
                ))}
              </ul>
            </section>
          ) : null}

          <section aria-labelledby="portal-questionnaires">
            <h2 id="portal-questionnaires">{t('portal.questionnaires.title')}</h2>
            <ul class="card-list">
              {QUESTIONNAIRES.filter((q) => q.anyTime).map((q) => {
                const last = lastAnswered(view, q.instrument);
                return (
                  <li key={q.instrument} class="card">
                    <Link href={`/portal/questionnaires/${q.instrument}`} class="card-link">
                      {t('portal.questionnaires.answer', { name: t(q.name) })}
                    </Link>
                    <span class="muted">
                      {last
                        ? t('portal.questionnaires.last', { when: formatDateTime(last) })
                        : t('portal.questionnaires.never')}
                    </span>
                  </li>
                );
              })}
            </ul>
          </section>

          <section aria-labelledby="portal-sessions">
            <h2 id="portal-sessions">{t('portal.sessions.title')}</h2>
            {view.upcoming_sessions.length === 0 ? (
              <p class="muted">{t('portal.sessions.none')}</p>
            ) : (
              <ul class="card-list">
                {view.upcoming_sessions.map((session) => (
                  <li key={session.session_id} class="card">
                    <strong>{formatDate(session.planned_date)}</strong>
                    <span>{routeLabel(session.route)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          {view.preparation.length > 0 ? (
            <section aria-labelledby="portal-preparation">
              <h2 id="portal-preparation">{t('portal.preparation.title')}</h2>
              {view.preparation.map((prep) => (
                <article key={prep.route} class="card">
                  <h3>{routeLabel(prep.route)}</h3>
                  <p class="preparation-text">{prep.instructions}</p>
                  <p class="muted small">{t('portal.preparation.source', { source: prep.source })}</p>
                </article>
              ))}
            </section>
          ) : null}

          <section aria-labelledby="portal-progress">
            <h2 id="portal-progress">{t('portal.progress.title')}</h2>
            <p class="muted">{t('portal.progress.explain')}</p>
            <ProgressChart scores={view.recent_scores} />
          </section>
        </div>
      ) : null}
    </Page>
  );
}
