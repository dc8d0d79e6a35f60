// A day typed and shown as 2026-12-07 in both languages. The browser's own date field shows the browser's
// locale (07/12/2026 or 12/07/2026, whichever the machine is set to) whatever the page's language is.
import { useEffect, useState } from 'react';
import { isoDay } from './format.ts';

interface Props {
  value: string;
  onChange(day: string): void;
  /** An empty field clears the value (filters); otherwise it keeps the last good day. */
  optional?: boolean;
  label: string;
  testId: string;
}

export function DateInput({ value, onChange, optional, label, testId }: Props) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const valid = isoDay(text) !== null || (optional && text === '');
  // Taken when the field is left or Enter pressed, so a day half typed does not reload the list.
  const commit = () => {
    const day = isoDay(text);
    if (day !== null && day !== value) onChange(day);
    else if (optional && text.trim() === '' && value !== '') onChange('');
    else setText(value);
  };
  return (
    <input type="text" className={`date-input${valid ? '' : ' invalid'}`} inputMode="numeric" placeholder="YYYY-MM-DD" maxLength={10} size={10}
      value={text} aria-label={label} aria-invalid={!valid} data-testid={testId}
      onChange={(e) => setText(e.currentTarget.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
  );
}
