/**
 * The line icons of importing Word files, drawn like the chrome's own (renderer/components/Icons.tsx).
 */

/** A page with an arrow coming into it: import a Word document. */
export function ImportWordIcon({ size = 16 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M6 2.5h3.5L12 5v8.5H4V9" />
      <path d="M9.5 2.5V5H12" />
      <path d="M1.8 6.5h5M5 4.7l1.8 1.8L5 8.3" />
    </svg>
  );
}

/** A page with tracked changes (a struck line and an inserted one): import proposals from Word. */
export function ImportProposalsIcon({ size = 16 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M4 2.5h5.5L12 5v8.5H4z" />
      <path d="M9.5 2.5V5H12" />
      <path d="M5.8 7.5h4.4" strokeDasharray="1.2 1" />
      <path d="M5.8 10.5h4.4" />
      <path d="M5.8 11.7h4.4" strokeWidth="0.8" />
    </svg>
  );
}
