// A patient's notes (issue 12 §2 "Notes: write, sign, addenda"): the list, oldest first as the API gives it, each
// note with its state, author, addenda and the actions its reader may take; a form for a new draft. The two note
// families have their own routes and permissions (docs/api.md "Notes"): preparation and integration notes are the
// therapy family (note.write_therapy: prescribers, therapists), dosing and progress notes the clinical family
// (note.write_clinical: prescribers, nurses). Reading needs note.read, which the front desk does not hold: the route
// table keeps them out (routes.tsx) and the server refuses them whatever the browser does.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Role } from '../../access';
import { ApiError, get, post, request, type Page as ApiPage } from '../../api';
import { useDraft } from '../../draft';
import { formatDateTime } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { Page } from '../../page';
import '../shared.css';
import './notes.css';
import type { Params } from '../../router';
import { useSession } from '../../session';
import { PatientSections } from '../../views/placeholders';
import { fullName, type Patient } from '../patients/types';

export type NoteKind = 'preparation' | 'integration' | 'dosing' | 'progress';

interface Addendum {
  readonly id: number;
  readonly body: string;
  readonly written_at: string;
  readonly written_by: string;
}

export interface Note {
  readonly id: number;
  readonly patient_id: number;
  readonly kind: NoteKind;
  readonly course_id?: number | null;
  readonly session_id?: number | null;
  readonly body: string;
  readonly author: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly version: number;
  readonly signed: boolean;
  readonly signed_at?: string;
  readonly signed_by?: string;
  readonly addenda: Addendum[];
}

const KINDS: readonly NoteKind[] = ['preparation', 'integration', 'dosing', 'progress'];

const KIND_LABELS: Readonly<Record<NoteKind, MessageKey>> = {
  preparation: 'notes.kind.preparation',
  integration: 'notes.kind.integration',
  dosing: 'notes.kind.dosing',
  progress: 'notes.kind.progress',
};

function family(kind: NoteKind): 'therapy-notes' | 'clinical-notes' {
  return kind === 'preparation' || kind === 'integration' ? 'therapy-notes' : 'clinical-notes';
}

// The kinds a role may write, from docs/security.md's role matrix (note.write_therapy, note.write_clinical).
export function writableKinds(role: Role): NoteKind[] {
  const therapy = role === 'prescriber' || role === 'therapist';
  const clinical = role === 'prescriber' || role === 'nurse';
  return KINDS.filter((kind) => (family(kind) === 'therapy-notes' ? therapy : clinical));
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    return error.field ? t('error.field', { field: error.field, message: error.message }) : error.message;
  }
  return t('error.unexpected', { status: 0 });
}

interface NewNoteForm {
  readonly kind: NoteKind | '';
  readonly sessionId: string;
  readonly body: string;
}

function NewNote({ patientId, kinds, onCreated }: {
  patientId: string;
  kinds: NoteKind[];
  onCreated: () => void;
}): JSX.Element {
  const draft = useDraft<NewNoteForm>('new-note', { kind: kinds[0] ?? '', sessionId: '', body: '' });
  const form = draft.value;
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (form.kind === '') return;
    if (form.body.trim() === '') {
      setFailure(t('notes.bodyRequired'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const sessionId = form.sessionId.trim() === '' ? undefined : Number(form.sessionId);
      await post(`/patients/${encodeURIComponent(patientId)}/${family(form.kind)}`, {
        kind: form.kind,
        body: form.body,
        ...(sessionId !== undefined ? { session_id: sessionId } : {}),
      });
      draft.clear();
      onCreated();
    } catch (error) {
      setFailure(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form-stack note-form" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t('notes.new.title')}</h2>
      {draft.restored ? <p class="notice notice-info">{t('notes.draftRestored')}</p> : null}
      <div class="field">
        <label for="note-kind">{t('notes.kind')}</label>
        <select
          id="note-kind"
          value={form.kind}
          onChange={(event) => draft.set({ ...form, kind: event.currentTarget.value as NoteKind })}
        >
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(KIND_LABELS[kind])}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="note-session">{t('notes.sessionId')}</label>
        <input
          id="note-session"
          inputMode="numeric"
          value={form.sessionId}
          aria-describedby="note-session-hint"
          onInput={(event) => draft.set({ ...form, sessionId: event.currentTarget.value })}
        />
        <p id="note-session-hint" class="muted small">
          {t('notes.sessionHint')}
        </p>
      </div>
      <div class="field">
        <label for="note-body">{t('notes.body')}</label>
        <textarea
          id="note-body"
          rows={8}
          maxLength={20000}
          value={form.body}
          onInput={(event) => draft.set({ ...form, body: event.currentTarget.value })}
        />
      </div>
      <div role="alert" class="form-error-slot">
        {failure ? <p class="notice notice-error">{failure}</p> : null}
      </div>
      <button type="submit" class="button-primary" disabled={busy}>
        {t('notes.saveDraft')}
      </button>
    </form>
  );
}

function NoteCard({ note, email, kinds, onChanged }: {
  note: Note;
  email: string;
  kinds: NoteKind[];
  onChanged: () => void;
}): JSX.Element {
  const mine = note.author === email;
  const mayWrite = kinds.includes(note.kind);
  const draft = useDraft<{ body: string | null; addendum: string }>(`note-${note.id}`, { body: null, addendum: '' });
  const editing = draft.value.body !== null;
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/${family(note.kind)}/${note.id}`;

  const act = async (action: () => Promise<unknown>, after: () => void): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
      after();
      onChanged();
    } catch (error) {
      setFailure(
        error instanceof ApiError && error.status === 412 ? t('notes.stale') : messageOf(error),
      );
    } finally {
      setBusy(false);
    }
  };
  const save = (): Promise<void> =>
    act(
      () => request('PUT', base, { body: { body: draft.value.body ?? '' }, ifMatch: note.version }),
      () => draft.set({ ...draft.value, body: null }),
    );
  const sign = (): Promise<void> => act(() => request('POST', `${base}/sign`, { body: {}, ifMatch: note.version }), () => undefined);
  const addAddendum = (): Promise<void> => {
    if (draft.value.addendum.trim() === '') {
      setFailure(t('notes.bodyRequired'));
      return Promise.resolve();
    }
    return act(() => post(`${base}/addenda`, { body: draft.value.addendum }), () => draft.clear());
  };

  const headingId = `note-${note.id}-title`;
  return (
    <article class="card note" aria-labelledby={headingId} data-note={note.id}>
      <h3 id={headingId}>
        {t(KIND_LABELS[note.kind])}{' '}
        <span class={note.signed ? 'badge badge-signed' : 'badge badge-draft'}>
          {note.signed ? t('notes.signed') : t('notes.draft')}
        </span>
      </h3>
      <p class="muted small">
        {t('notes.byline', { author: note.author, when: formatDateTime(note.created_at) })}
        {note.session_id ? ` · ${t('notes.session', { id: note.session_id })}` : ''}
        {note.signed && note.signed_at
          ? ` · ${t('notes.signedLine', { who: note.signed_by ?? note.author, when: formatDateTime(note.signed_at) })}`
          : ''}
      </p>
      {editing ? (
        <div class="field">
          <label for={`note-${note.id}-edit`}>{t('notes.body')}</label>
          <textarea
            id={`note-${note.id}-edit`}
            rows={8}
            maxLength={20000}
            value={draft.value.body ?? ''}
            onInput={(event) => draft.set({ ...draft.value, body: event.currentTarget.value })}
          />
        </div>
      ) : (
        <p class="note-body">{note.body}</p>
      )}
      {note.addenda.length > 0 ? (
        <section aria-label={t('notes.addenda')}>
          <h4>{t('notes.addenda')}</h4>
          <ol class="addenda">
            {note.addenda.map((addendum) => (
              <li key={addendum.id}>
                <p class="note-body">{addendum.body}</p>
                <p class="muted small">
                  {t('notes.byline', { author: addendum.written_by, when: formatDateTime(addendum.written_at) })}
                </p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <div role="alert" class="form-error-slot">
        {failure ? <p class="notice notice-error">{failure}</p> : null}
      </div>
      {!note.signed && mine && mayWrite ? (
        <div class="row-actions">
          {editing ? (
            <>
              <button type="button" class="button-primary" disabled={busy} onClick={() => void save()}>
                {t('notes.save')}
              </button>
              <button type="button" disabled={busy} onClick={() => draft.set({ ...draft.value, body: null })}>
                {t('notes.cancelEdit')}
              </button>
            </>
          ) : (
            <>
              <button type="button" disabled={busy} onClick={() => draft.set({ ...draft.value, body: note.body })}>
                {t('notes.edit')}
              </button>
              <button type="button" class="button-primary" disabled={busy} onClick={() => void sign()}>
                {t('notes.sign')}
              </button>
            </>
          )}
        </div>
      ) : null}
      {!note.signed && !mine ? <p class="muted small">{t('notes.draftOfOther')}</p> : null}
      {note.signed && mayWrite ? (
        <div class="field">
          <label for={`note-${note.id}-addendum`}>{t('notes.addendum')}</label>
          <textarea
            id={`note-${note.id}-addendum`}
            rows={3}
            maxLength={20000}
            value={draft.value.addendum}
            onInput={(event) => draft.set({ ...draft.value, addendum: event.currentTarget.value })}
          />
          <button type="button" disabled={busy} onClick={() => void addAddendum()}>
            {t('notes.addAddendum')}
          </button>
        </div>
      ) : null}
    </article>
  );
}

export function NotesPage({ params }: { params: Params }): JSX.Element {
  const id = params.id ?? '';
  const { user } = useSession();
  const [notes, setNotes] = useState<Note[] | null>(null);
  // Whose notes these are, by name and MRN in the title: a note written in the wrong patient's record is the error
  // this screen must make hard (the chart's title says the same).
  const [patient, setPatient] = useState<Patient | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    get<Patient>(`/patients/${encodeURIComponent(id)}`, undefined, abort.signal)
      .then(setPatient)
      .catch((cause: unknown) => {
        if (!(cause instanceof DOMException)) setError(messageOf(cause));
      });
    return () => abort.abort();
  }, [id]);

  useEffect(() => {
    const abort = new AbortController();
    get<ApiPage<Note>>(`/patients/${encodeURIComponent(id)}/notes`, { limit: 500 }, abort.signal)
      .then((page) => {
        setNotes(page.items);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (!(cause instanceof DOMException)) setError(messageOf(cause));
      });
    return () => abort.abort();
  }, [id, reload]);

  const kinds = user ? writableKinds(user.role) : [];
  const refresh = (): void => setReload((n) => n + 1);
  return (
    <Page title={patient ? t('notes.title', { name: fullName(patient), mrn: patient.mrn }) : t('page.notes', { id })}>
      <PatientSections id={id} />
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="notes-layout">
        <section aria-labelledby="notes-list-title">
          <h2 id="notes-list-title">{t('notes.list.title')}</h2>
          {notes === null && !error ? <p class="muted">{t('app.loading')}</p> : null}
          {notes !== null && notes.length === 0 ? <p class="muted">{t('notes.none')}</p> : null}
          {notes?.map((note) => (
            <NoteCard key={`${note.id}:${note.version}:${note.addenda.length}`} note={note} email={user?.email ?? ''} kinds={kinds} onChanged={refresh} />
          ))}
        </section>
        {kinds.length > 0 ? <NewNote patientId={id} kinds={kinds} onCreated={refresh} /> : null}
      </div>
    </Page>
  );
}
