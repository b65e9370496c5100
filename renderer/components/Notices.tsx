/**
 * Short messages about operations that failed (or need a word), shown at the bottom right and dismissible.
 */
import { useEffect } from 'react';
import { Icon } from './Icons.tsx';

/** One message. */
export interface Notice {
  id: number;
  message: string;
  tone: 'error' | 'info';
}

/** The stack of messages; each info message leaves by itself after a while, errors stay until dismissed. */
export function Notices({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timers = notices.filter((n) => n.tone === 'info').map((n) => setTimeout(() => onDismiss(n.id), 6000));
    return () => timers.forEach(clearTimeout);
  }, [notices, onDismiss]);
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'} data-testid="notice">
          <span className="notice-text">{notice.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss message" onClick={() => onDismiss(notice.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
