// One questionnaire in the portal, one item per screen (issue 12 §3): the item's question with its answer choices as
// large radio buttons, Back and Next, then a review of every answer, each changeable, before the answers are sent.
// Answers in progress are a draft (draft.ts): a session that ends mid-way keeps them. An instrument with skip logic
// (the C-SSRS screener) leaves out the items its earlier answers skip, in the steps and in the review, and sends them
// as 0. The server scores the answers and raises any alert (a PHQ-9 item 9 above 0 or a C-SSRS screen above none
// alerts the named clinician at once); the home screen then shows the crisis services the server sends.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { useDraft } from '../../draft';
import { t } from '../../i18n';
import { Page } from '../../page';
import '../shared.css';
import './portal.css';
import { Link, navigate, type Params } from '../../router';
import { useSession } from '../../session';
import { submitAnswers } from './portal-api';
import { answersToSend, isSkipped, questionnaireOf, stemOf, type Questionnaire } from './questionnaires';

interface Progress {
  readonly step: number;
  readonly answers: (number | null)[];
  // The item was opened from the review to change it: Next returns to the review.
  readonly fromReview?: boolean;
}

function Stepper({ questionnaire, patientId }: { questionnaire: Questionnaire; patientId: number }): JSX.Element {
  const count = questionnaire.items.length;
  const draft = useDraft<Progress>('answers', { step: 0, answers: Array<number | null>(count).fill(null) });
  const { step, answers, fromReview } = draft.value;
  const [missing, setMissing] = useState(false);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const focusTarget = useRef<HTMLHeadingElement>(null);
  const reviewing = step >= count;

  useEffect(() => {
    focusTarget.current?.focus();
  }, [step]);

  const go = (next: number, toChange = false): void => {
    setMissing(false);
    draft.set({ step: next, answers, fromReview: toChange });
  };
  // The next and previous items asked after the answers so far (the review is step `count`).
  const asked = (index: number): boolean => !isSkipped(questionnaire, index, answers);
  const nextStep = (from: number): number => {
    let index = from + 1;
    while (index < count && !asked(index)) index += 1;
    return index;
  };
  const previousStep = (from: number): number => {
    let index = from - 1;
    while (index > 0 && !asked(index)) index -= 1;
    return Math.max(index, 0);
  };
  // A changed answer returns to the review, unless it opens items not yet answered (a yes to C-SSRS Q2): those come
  // first.
  const opensItems = nextStep(step) < count && answers[nextStep(step)] === null;
  const backToReview = fromReview === true && !opensItems;
  const choose = (item: number, value: number): void => {
    const copy = [...answers];
    copy[item] = value;
    setMissing(false);
    draft.set({ step, answers: copy, fromReview });
  };
  const next = (event: Event): void => {
    event.preventDefault();
    if (answers[step] === null || answers[step] === undefined) {
      setMissing(true);
      return;
    }
    const following = nextStep(step);
    go(backToReview ? count : following, fromReview && !backToReview);
  };
  const submit = async (): Promise<void> => {
    const sent = answersToSend(questionnaire, answers);
    if (sent === null) return;
    setSending(true);
    setFailure(null);
    try {
      await submitAnswers(patientId, questionnaire.instrument, sent);
      draft.clear();
      navigate(`/portal?submitted=${questionnaire.instrument}`, { replace: true });
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : t('error.unexpected', { status: 0 }));
      setSending(false);
    }
  };

  if (reviewing) {
    return (
      <section aria-labelledby="review-title">
        <h2 id="review-title" ref={focusTarget} tabIndex={-1}>
          {t('portal.review.title')}
        </h2>
        <p>{t('portal.review.explain')}</p>
        <ol class="review-list">
          {questionnaire.items.map((item, index) => {
            if (!asked(index)) return null;
            const answer = answers[index];
            const choice = answer === null || answer === undefined ? undefined : questionnaire.choices[answer];
            return (
              <li key={item}>
                <p>{t(item)}</p>
                <p>
                  <strong>{choice ? t(choice) : t('portal.review.unanswered')}</strong>{' '}
                  <button
                    type="button"
                    class="button-quiet"
                    onClick={() => go(index, true)}
                    aria-label={t('portal.review.changeItem', { number: index + 1 })}
                  >
                    {t('portal.review.change')}
                  </button>
                </p>
              </li>
            );
          })}
        </ol>
        <div role="alert" class="form-error-slot">
          {failure ? <p class="notice notice-error">{t('portal.review.failed', { message: failure })}</p> : null}
        </div>
        <div class="step-buttons">
          <button type="button" onClick={() => go(previousStep(count))} disabled={sending}>
            {t('portal.step.back')}
          </button>
          <button type="button" class="button-primary" onClick={() => void submit()} disabled={sending}>
            {sending ? t('portal.review.sending') : t('portal.review.submit')}
          </button>
        </div>
      </section>
    );
  }

  const item = questionnaire.items[step] as (typeof questionnaire.items)[number];
  const errorId = 'item-missing';
  return (
    <form onSubmit={next} class="questionnaire-step" noValidate>
      <p class="muted" id="step-count">
        {t('portal.step.count', { number: step + 1, total: count })}
      </p>
      <progress max={count} value={step} aria-labelledby="step-count" />
      <fieldset aria-describedby={missing ? errorId : undefined}>
        <legend>
          <span class="muted stem">{t(stemOf(questionnaire, step))}</span>
          <h2 ref={focusTarget} tabIndex={-1} class="item-text">
            {t(item)}
          </h2>
        </legend>
        <div class="choices">
          {questionnaire.choices.map((choice, value) => (
            <label key={choice} class="choice">
              <input
                type="radio"
                name={`item-${step}`}
                value={value}
                checked={answers[step] === value}
                onChange={() => choose(step, value)}
              />
              <span>{t(choice)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div role="alert" class="form-error-slot">
        {missing ? (
          <p id={errorId} class="field-error">
            {t('portal.step.missing')}
          </p>
        ) : null}
      </div>
      <div class="step-buttons">
        {step > 0 ? (
          <button type="button" onClick={() => go(previousStep(step))}>
            {t('portal.step.back')}
          </button>
        ) : (
          <Link href="/portal" class="button-link">
            {t('portal.step.cancel')}
          </Link>
        )}
        <button type="submit" class="button-primary">
          {backToReview || nextStep(step) >= count ? t('portal.step.review') : t('portal.step.next')}
        </button>
      </div>
    </form>
  );
}

export function QuestionnairePage({ params }: { params: Params }): JSX.Element {
  const { user } = useSession();
  const questionnaire = questionnaireOf(params.instrument ?? '');
  if (!questionnaire || user?.patient_id === undefined) {
    return (
      <Page title={t('portal.questionnaires.unknown')}>
        <p>
          <Link href="/portal">{t('portal.backHome')}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t(questionnaire.name)}>
      <Stepper questionnaire={questionnaire} patientId={user.patient_id} />
    </Page>
  );
}
