/**
 * The Export dialog: what to export (the clean text, the compilation of proposals, or a comparison of two
 * versions), in which format, and of which versions; then a progress bar while main builds the file from what is
 * saved, the save dialog (a download in the browser), and a notice saying where it went.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CURRENT_TEXT, FORMAT_NAMES, FORMATS_BY_KIND, type ExportFormat, type ExportKind } from '../../../shared/export/formats.ts';
import type { ExportProgress } from '../../../shared/ipc.ts';
import { listRevisions, type RevisionEntry } from '../../../shared/model/revisions/index.ts';
import { describeError, type MainApi } from '../../bridge.ts';
import type { DocumentSession } from '../../editor/session.ts';
import { FormDialog } from '../FormDialog.tsx';
import './export.css';

/** What the dialog starts with (the Revisions view opens it on the pair it compared). */
export interface ExportChoice {
  kind: ExportKind;
  format: ExportFormat;
  /** For a comparison: the earlier version (a revision id or 'current'). */
  from: string;
  /** For a comparison the later version; for the clean text the version exported. */
  to: string;
}

/** The dialog's props. */
export interface ExportDialogProps {
  api: MainApi;
  /** The open document: its id, its revisions (in `D/chair`) and its save queue. */
  session: DocumentSession;
  /** Overrides the defaults (the clean text of the current text as Word). */
  initial?: Partial<ExportChoice>;
  /**
   * Who the tracked changes of a comparison with the current text are by in Word: the name the person gave
   * ("Recording as", or the signed-in account). Without it main writes "Penholder".
   */
  author?: string;
  /** Told where the file went (a path, or the download's name in the browser) once it is saved. */
  onExported: (where: string) => void;
  onClose: () => void;
}

const KINDS: readonly { kind: ExportKind; label: string; detail: string }[] = [
  { kind: 'clean', label: 'Clean text', detail: 'The text in UN format, paragraphs numbered 1 to N.' },
  { kind: 'compilation', label: 'Compilation', detail: 'Every paragraph with the proposals made on it.' },
  { kind: 'comparison', label: 'Comparison', detail: 'The changes between two versions, as tracked changes.' },
];

const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = {
  docx: 'Word (.docx)',
  pdf: 'PDF',
  html: 'HTML',
  md: 'Markdown',
};

/** Where the export stands, as the dialog shows it. */
type Phase =
  | { step: 'choose' }
  | { step: 'saving-edits' }
  | { step: 'building'; progress: ExportProgress | null }
  | { step: 'saving-file' };

function revisionsOf(session: DocumentSession): RevisionEntry[] {
  try {
    return listRevisions(session.chairYDoc);
  } catch {
    // A document whose chair doc is not loaded has no revisions to offer; the current text still exports.
    return [];
  }
}

/** A sentence for the progress bar. */
function stageText(phase: Phase, format: ExportFormat): string {
  switch (phase.step) {
    case 'choose':
      return '';
    case 'saving-edits':
      return 'Saving your last changes…';
    case 'saving-file':
      return 'Saving the file…';
    case 'building': {
      const progress = phase.progress;
      if (!progress || progress.stage === 'loading') return 'Reading the saved document…';
      if (progress.stage === 'printing') return 'Printing the PDF…';
      if (progress.stage === 'done') return 'Done.';
      const share = progress.total > 0 ? ` ${Math.floor((100 * progress.done) / progress.total)}%` : '';
      return `Building the ${format === 'pdf' ? 'PDF' : FORMAT_NAMES[format]}…${share}`;
    }
  }
}

/** The progress bar's value out of 1, or null while it cannot count (indeterminate). */
function progressValue(phase: Phase): number | null {
  if (phase.step !== 'building' || !phase.progress) return null;
  const { stage, done, total } = phase.progress;
  if (stage === 'done') return 1;
  if (stage === 'building' && total > 0) return Math.min(1, done / total);
  return null;
}

/** A picker of one version: any revision, or the current text. */
function VersionPicker(props: { label: string; revisions: readonly RevisionEntry[]; value: string; onChange: (value: string) => void; disabled: boolean; testId: string }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)} disabled={props.disabled} data-testid={props.testId}>
        {props.revisions.map((entry) => (
          <option key={entry.id} value={entry.id}>
            {entry.label} ({entry.date})
          </option>
        ))}
        <option value={CURRENT_TEXT}>Current text</option>
      </select>
    </label>
  );
}

/** The Export dialog, open while mounted. */
export function ExportDialog({ api, session, initial, author, onExported, onClose }: ExportDialogProps) {
  const revisions = useMemo(() => revisionsOf(session), [session]);
  const latest = revisions.at(-1);
  const [kind, setKind] = useState<ExportKind>(initial?.kind ?? 'clean');
  const [format, setFormat] = useState<ExportFormat>(initial?.format ?? 'docx');
  const [from, setFrom] = useState<string>(initial?.from ?? latest?.id ?? CURRENT_TEXT);
  const [to, setTo] = useState<string>(initial?.to ?? CURRENT_TEXT);
  const [phase, setPhase] = useState<Phase>({ step: 'choose' });
  const [error, setError] = useState<string | null>(null);
  // Set when the dialog closes: a build still running in main is then ignored when it answers.
  const abandoned = useRef(false);
  useEffect(
    () => () => {
      abandoned.current = true;
    },
    [],
  );

  const formats = FORMATS_BY_KIND[kind];
  const chosenFormat = formats.includes(format) ? format : 'docx';
  const busy = phase.step !== 'choose';
  const comparisonPossible = revisions.length > 0;
  const byWhom = author?.trim() ?? '';
  // Word attributes the changes to whoever cut the later revision; only the current text's changes are this person's.
  const laterRevision = to === CURRENT_TEXT ? null : (revisions.find((entry) => entry.id === to) ?? null);

  const start = async (): Promise<void> => {
    setError(null);
    if (kind === 'comparison' && from === to) {
      setError('Choose two different versions to compare.');
      return;
    }
    const request = {
      id: session.id,
      kind,
      format: chosenFormat,
      ...(kind === 'comparison' ? { from, to, ...(byWhom ? { author: byWhom } : {}) } : kind === 'clean' ? { to } : {}),
    };
    try {
      // The export is built from what is on disk: let the last keystrokes reach it first.
      if (session.queue.state.status === 'failed') {
        throw new Error('Your last changes could not be saved yet, so the export would miss them. Export again once the status bar says Saved.');
      }
      setPhase({ step: 'saving-edits' });
      await session.queue.whenSaved();
      if (abandoned.current) return;
      const jobId = crypto.randomUUID();
      setPhase({ step: 'building', progress: null });
      const unsubscribe = api.onExportProgress((progress) => {
        if (progress.jobId === jobId && !abandoned.current) setPhase({ step: 'building', progress });
      });
      let file;
      try {
        file = await api.exportDocument({ ...request, jobId });
      } finally {
        unsubscribe();
      }
      if (abandoned.current) return;
      setPhase({ step: 'saving-file' });
      const where = await api.saveExport({ fileName: file.fileName, format: file.format, bytes: file.bytes });
      if (abandoned.current) return;
      setPhase({ step: 'choose' });
      // Cancelling the save dialog leaves the dialog open, choices kept, to try another place or format.
      if (where !== null) onExported(where);
    } catch (cause) {
      if (abandoned.current) return;
      setPhase({ step: 'choose' });
      setError(describeError(cause));
    }
  };

  const value = progressValue(phase);
  return (
    <FormDialog
      title="Export"
      submitLabel="Export"
      busy={busy}
      busyLabel="Exporting…"
      error={error}
      onSubmit={() => void start()}
      onClose={onClose}
      testId="export-dialog"
      wide
    >
      <fieldset className="choice-list export-kinds" disabled={busy} data-testid="export-kind">
        <legend>What</legend>
        {KINDS.map((option) => {
          const disabled = option.kind === 'comparison' && !comparisonPossible;
          return (
            <label className={`choice${disabled ? ' is-disabled' : ''}`} key={option.kind}>
              <input
                type="radio"
                name="export-kind"
                value={option.kind}
                checked={kind === option.kind}
                disabled={disabled}
                onChange={() => setKind(option.kind)}
                data-testid={`export-kind-${option.kind}`}
              />
              <span className="export-choice">
                <strong>{option.label}</strong>
                <span className="muted">{disabled ? 'Cut a revision first: there is nothing to compare the text with yet.' : option.detail}</span>
              </span>
            </label>
          );
        })}
      </fieldset>
      <fieldset className="choice-list export-formats" disabled={busy} data-testid="export-format">
        <legend>Format</legend>
        {formats.map((one) => (
          <label className="choice inline" key={one}>
            <input type="radio" name="export-format" value={one} checked={chosenFormat === one} onChange={() => setFormat(one)} data-testid={`export-format-${one}`} />
            <span>{FORMAT_LABELS[one]}</span>
          </label>
        ))}
      </fieldset>
      {kind === 'clean' && revisions.length > 0 && (
        <div className="field-row">
          <VersionPicker label="Text of" revisions={revisions} value={to} onChange={setTo} disabled={busy} testId="export-version" />
        </div>
      )}
      {kind === 'comparison' && comparisonPossible && (
        <>
          <div className="field-row">
            <VersionPicker label="From (earlier)" revisions={revisions} value={from} onChange={setFrom} disabled={busy} testId="export-from" />
            <VersionPicker label="To (later)" revisions={revisions} value={to} onChange={setTo} disabled={busy} testId="export-to" />
          </div>
          {chosenFormat === 'docx' && (
            <p className="muted export-note" data-testid="export-author-note">
              In Word, the changes are tracked as made by <strong>{laterRevision ? laterRevision.by : byWhom || 'Penholder'}</strong>
              {laterRevision ? `, who cut ${laterRevision.label}.` : '.'}
            </p>
          )}
        </>
      )}
      {kind === 'compilation' && <p className="muted export-note">The compilation is of the current text, with every proposal, its support and objections, and its status.</p>}
      {busy && (
        <div className="export-progress" role="status" aria-live="polite" data-testid="export-progress" data-step={phase.step}>
          {value === null ? <progress aria-label="Export progress" /> : <progress aria-label="Export progress" max={1} value={value} />}
          <span data-testid="export-stage">{stageText(phase, chosenFormat)}</span>
        </div>
      )}
    </FormDialog>
  );
}
