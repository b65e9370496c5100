/**
 * The report shown after a Word document was imported: what was kept (counts of paragraphs, footnotes, tables...)
 * and what was not (images, comments, fields...), each with how many and an example, so nothing is lost silently.
 */
import type { ImportReport } from '../../../shared/import/index.ts';
import { FormDialog } from '../FormDialog.tsx';
import './import.css';

/** The report dialog's props. */
export interface ImportReportDialogProps {
  /** The Word file's name. */
  fileName: string;
  /** The new document's title. */
  title: string;
  report: ImportReport;
  onClose: () => void;
}

/** "numberedParagraphs", "numbered_paragraphs" or "numbered-paragraphs" as "numbered paragraphs". */
export function countLabel(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
}

/** A plural count label for one thing: "1 tables" reads "1 table", "1 entries" "1 entry". */
function singular(label: string): string {
  if (/ies$/.test(label)) return label.replace(/ies$/, 'y');
  if (/(ss|us)$/.test(label)) return label;
  return label.replace(/s$/, '');
}

/** The counts worth showing, in the order the parser listed them, zeros left out. */
export function keptCounts(report: ImportReport): Array<{ label: string; count: number }> {
  return Object.entries(report.counts)
    .filter(([, count]) => Number.isFinite(count) && count > 0)
    .map(([key, count]) => ({ label: count === 1 ? singular(countLabel(key)) : countLabel(key), count }));
}

/** The dialog listing what the import kept and what it left out. */
export function ImportReportDialog({ fileName, title, report, onClose }: ImportReportDialogProps) {
  const kept = keptCounts(report);
  const notKept = report.notKept.filter((entry) => entry.count > 0);
  return (
    <FormDialog title={`Imported “${fileName}”`} onClose={onClose} closeLabel="Close" testId="import-report" wide>
      <p className="import-lead">
        The new document <strong className="import-title">{title}</strong> is open. Check it against the Word file before sharing it.
      </p>
      <section className="import-section" aria-labelledby="import-kept">
        <h3 id="import-kept">Kept</h3>
        {kept.length === 0 ? (
          <p className="muted">No text was found in the file.</p>
        ) : (
          <ul className="import-counts" data-testid="import-kept">
            {kept.map(({ label, count }) => (
              <li key={label} data-testid="import-kept-item" data-what={label}>
                <span className="import-count">{count.toLocaleString()}</span> {label}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="import-section" aria-labelledby="import-not-kept">
        <h3 id="import-not-kept">Not kept</h3>
        {notKept.length === 0 ? (
          <p className="muted" data-testid="import-nothing-lost">
            Everything in the file was kept.
          </p>
        ) : (
          <ul className="import-not-kept" data-testid="import-not-kept">
            {notKept.map((entry) => (
              <li key={entry.what} data-testid="import-not-kept-item" data-what={entry.what}>
                <span className="import-not-kept-what">
                  {entry.what} <span className="muted import-times">×&nbsp;{entry.count.toLocaleString()}</span>
                </span>
                {entry.example && (
                  <span className="import-example" title={entry.example}>
                    for example: {entry.example}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </FormDialog>
  );
}
