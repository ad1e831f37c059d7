// Alerts that must be acknowledged (issue 12 §2): open ones first, each with its severity in words, the message the
// rule wrote (with the value and the threshold) and an Acknowledge button with an optional note; acknowledged ones
// keep who acknowledged them and when.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, post } from '../../api';
import { formatTimeSeconds } from '../../format';
import { t } from '../../i18n';
import type { Alert } from './model';

export function severityText(severity: string): string {
  return severity === 'critical' ? t('alert.critical') : t('alert.warning');
}

function OpenAlert({ alert, onChanged }: { alert: Alert; onChanged: (alert: Alert) => void }): JSX.Element {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const acknowledge = async (): Promise<void> => {
    setError(null);
    try {
      onChanged(await post<Alert>(`/alerts/${alert.id}/acknowledge`, note.trim() ? { note } : {}));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  return (
    <li class={`alert-item alert-${alert.severity}`} data-alert-id={alert.id}>
      <p>
        <strong class="alert-severity">{severityText(alert.severity)}</strong>{' '}
        <span class="alert-message">{alert.message}</span>{' '}
        <span class="muted">{t('alert.raisedAt', { time: formatTimeSeconds(alert.raised_at) })}</span>
      </p>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void acknowledge();
        }}
      >
        <div class="field">
          <label for={`ack-note-${alert.id}`}>{t('alert.note')}</label>
          <input id={`ack-note-${alert.id}`} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="button-primary">
          {t('alert.acknowledge')}
        </button>
      </form>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

export function AlertsPanel({ alerts, onChanged }: { alerts: readonly Alert[]; onChanged: (alert: Alert) => void }): JSX.Element {
  const open = alerts.filter((a) => !a.acknowledged_at);
  const done = alerts.filter((a) => a.acknowledged_at);
  return (
    <section class={`alerts-panel${open.length > 0 ? ' has-open' : ''}`} aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('alert.title', { count: open.length })}</h2>
      <div aria-live="assertive">
        {open.length === 0 ? <p class="muted">{t('alert.none')}</p> : null}
        <ul class="alert-list">
          {open.map((alert) => (
            <OpenAlert key={alert.id} alert={alert} onChanged={onChanged} />
          ))}
        </ul>
      </div>
      {done.length > 0 ? (
        <ul class="alert-list acknowledged">
          {done.map((alert) => (
            <li key={alert.id} class="alert-item alert-done">
              <span class="alert-severity">{severityText(alert.severity)}</span> {alert.message}{' '}
              <span class="alert-ack">
                {t('alert.acknowledgedBy', {
                  who: alert.acknowledged_by ?? '',
                  time: formatTimeSeconds(alert.acknowledged_at ?? ''),
                })}
                {alert.acknowledgement_note ? ` (${alert.acknowledgement_note})` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
