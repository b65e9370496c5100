/**
 * A banner for files the app found damaged at start and moved aside: what happened and where the file now is,
 * so nothing is silently lost. Dismissible for this session.
 */
import type { StorageProblem } from '../../shared/ipc.ts';
import { Icon } from './Icons.tsx';

/** The banner's props. */
export interface ProblemsBannerProps {
  problems: readonly StorageProblem[];
  onDismiss: () => void;
}

/** Shows storage problems found at start; renders nothing when there are none. */
export function ProblemsBanner({ problems, onDismiss }: ProblemsBannerProps) {
  if (problems.length === 0) return null;
  return (
    <div className="banner banner-warning" role="alert" data-testid="problems-banner">
      <span className="banner-icon">
        <Icon name="warning" />
      </span>
      <div className="banner-body">
        <strong>
          {problems.length === 1 ? 'A damaged file was found and moved aside.' : `${problems.length} damaged files were found and moved aside.`}
        </strong>{' '}
        Nothing was overwritten.
        <ul>
          {problems.map((problem) => (
            <li key={`${problem.file}-${problem.at}`}>
              <span className="path" title={problem.file}>
                {problem.file}
              </span>{' '}
              was moved to{' '}
              <span className="path" title={problem.movedTo} data-testid="problem-moved-to">
                {problem.movedTo}
              </span>
              : {problem.message}
            </li>
          ))}
        </ul>
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={onDismiss} data-testid="dismiss-problems">
        <Icon name="close" />
      </button>
    </div>
  );
}
