// A short notice at the bottom ("sent", "saved on the phone"): read at a glance, gone by itself.
import { useEffect } from 'react';

export function Toast({ text, onDone }: { text: string | null; onDone(): void }) {
  useEffect(() => {
    if (!text) return;
    const id = setTimeout(onDone, 5000);
    return () => clearTimeout(id);
  }, [text, onDone]);
  if (!text) return null;
  return <div className="fm-toast" role="status" data-testid="field-toast">{text}</div>;
}
