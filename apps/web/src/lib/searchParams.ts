import { useCallback, useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * `useSearchParams` whose changes compose. React Router hands its functional form the params as last
 * rendered, and renders a navigation as a transition: two changes in quick succession (a filter chip,
 * then another; a "From" date, then a "To") would each start from the same rendered address, and the
 * second would undo the first. Here each change starts from what the previous one asked for until the
 * address shows it. Changes replace the history entry (filters, not pages).
 */
export function useSearchParamsUpdater(): [URLSearchParams, (change: (next: URLSearchParams) => void) => void] {
  const [params, setParams] = useSearchParams();
  const asked = useRef<string | null>(null);
  const rendered = params.toString();
  useEffect(() => {
    if (asked.current === rendered) asked.current = null;
  }, [rendered]);
  const update = useCallback(
    (change: (next: URLSearchParams) => void) => {
      const next = new URLSearchParams(asked.current ?? rendered);
      change(next);
      asked.current = next.toString();
      setParams(next, { replace: true });
    },
    [rendered, setParams],
  );
  return [params, update];
}
