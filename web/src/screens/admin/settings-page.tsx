// The clinic settings (GET /api/v1/settings, PUT /api/v1/settings/{name}): every tunable threshold with its value,
// unit, default, allowed range and source, grouped by what it governs. One is edited in place; the server checks the
// bounds and refuses a value outside them in its own words, shown at the field, and then nothing has changed (the
// table shows only what the server answered). Settings carry no version, so a change needs no If-Match.
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { setClinicTimeZone } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { Page } from '../../page';
import { asApiError, LoadState, useSubmit, type Refusal } from '../patients/form';
import { changeSetting, listSettings, type Setting } from './admin-api';
import { AdminSections } from './sections';
import '../shared.css';
import './admin.css';

// What `allowed` says (docs/api.md, GET /api/v1/settings): a numeric range with its unit ("140..180 mmHg"), a
// choice ("snaith|alternative"), or, for a free-text setting, words describing the form.
type Allowed =
  | { kind: 'range'; min: string; max: string; unit: string }
  | { kind: 'choice'; choices: string[] }
  | { kind: 'text'; description: string };

function readAllowed(allowed: string): Allowed {
  const range = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)(?: (.+))?$/.exec(allowed);
  if (range) return { kind: 'range', min: range[1] ?? '', max: range[2] ?? '', unit: range[3] ?? '' };
  if (/^[a-z0-9_]+(\|[a-z0-9_]+)+$/.test(allowed)) return { kind: 'choice', choices: allowed.split('|') };
  return { kind: 'text', description: allowed };
}

// The groups, in the order a clinic reads them; a setting's group is its name's first part.
const GROUPS: readonly { prefix: string; title: MessageKey }[] = [
  { prefix: 'clinic', title: 'admin.settings.group.clinic' },
  { prefix: 'monitoring', title: 'admin.settings.group.monitoring' },
  { prefix: 'dose', title: 'admin.settings.group.dose' },
  { prefix: 'screening', title: 'admin.settings.group.screening' },
  { prefix: 'scales', title: 'admin.settings.group.scales' },
  { prefix: 'outcomes', title: 'admin.settings.group.outcomes' },
  { prefix: 'schedule', title: 'admin.settings.group.schedule' },
  { prefix: 'appointments', title: 'admin.settings.group.appointments' },
  { prefix: 'hours', title: 'admin.settings.group.hours' },
  { prefix: 'reminders', title: 'admin.settings.group.reminders' },
  { prefix: 'records', title: 'admin.settings.group.records' },
];

function groupOf(name: string): string {
  const prefix = name.split('.')[0] ?? name;
  // `region` (which label applies) is the clinic's own, beside its time zone.
  return GROUPS.some((group) => group.prefix === prefix) ? prefix : 'clinic';
}

function withUnit(value: string, allowed: Allowed): string {
  return allowed.kind === 'range' && allowed.unit ? `${value} ${allowed.unit}` : value;
}

export function SettingsPage(): JSX.Element {
  const [settings, setSettings] = useState<Setting[] | null>(null);
  const [error, setError] = useState<Refusal>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    listSettings(controller.signal)
      .then(setSettings)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(asApiError(cause));
      });
    return () => controller.abort();
  }, []);

  const groups = useMemo(
    () =>
      GROUPS.map((group) => ({
        ...group,
        settings: (settings ?? []).filter((setting) => groupOf(setting.name) === group.prefix),
      })).filter((group) => group.settings.length > 0),
    [settings],
  );

  const onSaved = (next: Setting[], name: string): void => {
    setSettings(next);
    setEditing(null);
    const setting = next.find((s) => s.name === name);
    if (setting) {
      if (name === 'clinic.time_zone') setClinicTimeZone(setting.value);
      setSaved(t('admin.settings.saved', { name, value: withUnit(setting.value, readAllowed(setting.allowed)) }));
    }
  };

  return (
    <Page title={t('admin.settings.title')}>
      <AdminSections />
      <p class="muted">{t('admin.settings.explain')}</p>
      <div role="status" class="form-error-slot">
        {saved ? <p class="notice notice-info">{saved}</p> : null}
      </div>
      <LoadState error={error} loading={settings === null} />
      {groups.map((group) => (
        <section key={group.prefix} class="admin-settings-group" aria-labelledby={`settings-${group.prefix}`}>
          <h2 id={`settings-${group.prefix}`}>{t(group.title)}</h2>
          <table class="admin-table admin-settings">
            <thead>
              <tr>
                <th scope="col">{t('admin.settings.setting')}</th>
                <th scope="col">{t('admin.settings.value')}</th>
                <th scope="col">{t('admin.settings.default')}</th>
                <th scope="col">{t('admin.settings.allowed')}</th>
                <th scope="col">{t('admin.settings.source')}</th>
              </tr>
            </thead>
            <tbody>
              {group.settings.map((setting) => (
                <SettingRow
                  key={setting.name}
                  setting={setting}
                  editing={editing === setting.name}
                  onEdit={() => {
                    setSaved(null);
                    setEditing(setting.name);
                  }}
                  onCancel={() => setEditing(null)}
                  onSaved={(next) => onSaved(next, setting.name)}
                />
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Page>
  );
}

interface RowProps {
  readonly setting: Setting;
  readonly editing: boolean;
  readonly onEdit: () => void;
  readonly onCancel: () => void;
  readonly onSaved: (settings: Setting[]) => void;
}

function SettingRow({ setting, editing, onEdit, onCancel, onSaved }: RowProps): JSX.Element {
  const allowed = readAllowed(setting.allowed);
  const changed = setting.value !== setting.default;
  const id = `setting-${setting.name.replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <tr class={changed ? 'admin-setting-changed' : undefined}>
      <th scope="row">
        <code>{setting.name}</code>
        <span class="small muted admin-description">{setting.description}</span>
      </th>
      <td>
        {editing ? (
          <SettingEditor id={id} setting={setting} allowed={allowed} onCancel={onCancel} onSaved={onSaved} />
        ) : (
          <>
            <span class="admin-value">{withUnit(setting.value, allowed)}</span>
            {changed ? <span class="badge admin-changed">{t('admin.settings.changed')}</span> : null}
            <button
              type="button"
              class="button-quiet admin-edit"
              aria-label={t('admin.settings.editNamed', { name: setting.name })}
              onClick={onEdit}
            >
              {t('admin.settings.edit')}
            </button>
          </>
        )}
      </td>
      <td>{withUnit(setting.default, allowed)}</td>
      <td>{allowed.kind === 'choice' ? allowed.choices.join(', ') : setting.allowed}</td>
      <td class="small">{setting.source}</td>
    </tr>
  );
}

interface EditorProps {
  readonly id: string;
  readonly setting: Setting;
  readonly allowed: Allowed;
  readonly onCancel: () => void;
  readonly onSaved: (settings: Setting[]) => void;
}

// Every IANA zone the browser knows, offered for clinic.time_zone; the server's own database has the last word.
function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
}

function SettingEditor({ id, setting, allowed, onCancel, onSaved }: EditorProps): JSX.Element {
  const [value, setValue] = useState(setting.value);
  const input = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const { refusal, busy, run } = useSubmit();
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    await run(async () => onSaved(await changeSetting(setting.name, value.trim())));
  };

  const errorId = refusal ? `${id}-error` : undefined;
  const described = { 'aria-describedby': errorId, 'aria-invalid': refusal ? true : undefined };
  let control: JSX.Element;
  if (allowed.kind === 'choice') {
    control = (
      <select id={id} ref={input} value={value} onChange={(event) => setValue(event.currentTarget.value)} {...described}>
        {allowed.choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  } else if (allowed.kind === 'range') {
    // Bounds and step are hints for the spinner only: the form does not validate, the server decides.
    control = (
      <input
        id={id}
        ref={input}
        type="number"
        inputMode="decimal"
        step="any"
        min={allowed.min}
        max={allowed.max}
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
        {...described}
      />
    );
  } else {
    const zones = setting.name === 'clinic.time_zone' ? timeZones() : [];
    control = (
      <>
        <input
          id={id}
          ref={input}
          type="text"
          autoComplete="off"
          list={zones.length > 0 ? `${id}-zones` : undefined}
          value={value}
          onInput={(event) => setValue(event.currentTarget.value)}
          {...described}
        />
        {zones.length > 0 ? (
          <datalist id={`${id}-zones`}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        ) : null}
      </>
    );
  }

  return (
    <form class="admin-setting-form" onSubmit={(event) => void submit(event)} noValidate>
      <label for={id}>{t('admin.settings.newValue', { name: setting.name })}</label>
      <span class="admin-setting-input">
        {control}
        {allowed.kind === 'range' && allowed.unit ? <span class="admin-unit">{allowed.unit}</span> : null}
      </span>
      {refusal ? (
        <span id={errorId} class="field-error" role="alert">
          {refusal.message}
        </span>
      ) : null}
      <span class="row-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {t('admin.settings.save')}
        </button>
        <button type="button" class="button-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </span>
    </form>
  );
}
