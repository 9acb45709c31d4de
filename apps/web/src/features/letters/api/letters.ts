import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as L from '@sanita/contracts/letters';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';
import { fetchBlob, saveBlob } from '../../../lib/api/files.ts';

export type { Letter, LetterInput, LetterKind, Verification } from '@sanita/contracts/letters';

const routes = {
  list: endpoint('GET', '/api/patients/:patientId/letters', { response: L.LetterList }),
  issue: endpoint('POST', '/api/patients/:patientId/letters', { body: L.LetterInput, response: L.Letter }),
  revoke: endpoint('POST', '/api/letters/:id/revoke', { body: L.LetterRevoke, response: L.Letter }),
  verify: endpoint('GET', '/api/verify/:code', { response: L.Verification }),
  visitSummary: endpoint('POST', '/api/encounters/:id/visit-summary', { body: L.VisitSummaryInput, response: L.Letter }),
};

export const letterKeys = {
  patient: (patientId: string) => ['letters', patientId] as const,
  verify: (code: string) => ['letters', 'verify', code] as const,
};

/** The patient's letters issued at the active clinic, newest first (the read is audited). */
export function useLetters(patientId: string) {
  const api = useApi();
  return useQuery({
    queryKey: letterKeys.patient(patientId),
    queryFn: ({ signal }) => api.call(routes.list, { params: { patientId }, signal }),
  });
}

export function useIssueLetter(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.issue>) => api.call(routes.issue, { params: { patientId }, body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: letterKeys.patient(patientId) }),
  });
}

export function useRevokeLetter(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.call(routes.revoke, { params: { id }, body: { reason } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: letterKeys.patient(patientId) }),
  });
}

/**
 * The visit summary of an encounter whose note is signed, in a language: issued the first time, the same
 * letter (and code) afterwards. It joins the patient's letters.
 */
export function useVisitSummary(patientId: string, encounterId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (language: 'en' | 'fr') => api.call(routes.visitSummary, { params: { id: encounterId }, body: { language } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: letterKeys.patient(patientId) }),
  });
}

/** What the public page may say about a code (no session needed). */
export function useVerification(code: string) {
  const api = useApi();
  return useQuery({
    queryKey: letterKeys.verify(code),
    queryFn: ({ signal }) => api.call(routes.verify, { params: { code }, signal }),
    enabled: new RegExp(L.VERIFICATION_CODE_PATTERN).test(code),
    retry: false,
  });
}

/** `7KQ4M2XD9PHT` as printed: `7KQ4-M2XD-9PHT`. */
export const printedCode = (code: string) => code.match(/.{1,4}/g)!.join('-');

/**
 * Opens the letter's PDF in a new tab (the tab opens at the click, so that no pop-up blocker stops it,
 * and shows the PDF once it has arrived; `opened` is a tab the caller opened at its click); every
 * opening is audited by the server.
 */
export function useOpenLetter() {
  const api = useApi();
  return async (letter: L.Letter, download = false, opened?: Window | null) => {
    const tab = download ? null : (opened ?? window.open('', '_blank'));
    try {
      const blob = await fetchBlob(api, `/api/letters/${encodeURIComponent(letter.id)}/pdf`, 'application/pdf');
      if (tab) tab.location.href = URL.createObjectURL(blob);
      else saveBlob(blob, `${letter.kind.replace('_', '-')}-${letter.issuedAt.slice(0, 10)}.pdf`);
    } catch (err) {
      tab?.close();
      throw err;
    }
  };
}
