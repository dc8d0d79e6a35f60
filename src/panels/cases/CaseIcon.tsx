// A clipboard: the mark of cases in the top bar and the panel (the shared Icon set has none).
export function CaseIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="1.15em" height="1.15em" aria-hidden="true" focusable="false" fill="none" stroke="currentColor"
      strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
      <path d="M8 4h8v3H8zM6 6H4v15h16V6h-2M8 12h8M8 16h5" />
    </svg>
  );
}
