import type { VisitSummaryContent } from '@sanita/contracts/letters';
import type { Executor } from '../../platform/db/database.ts';
import * as repo from './notes.repository.ts';
import { vitalsDuring } from './visit-summary.repository.ts';

/** An encounter as a visit summary needs it: whose, where, and what its note allows. */
export type VisitForSummary =
  | { encounter: Pick<repo.EncounterForNote, 'id' | 'patientId' | 'clinicId'>; signed: false; why: string }
  | {
      encounter: Pick<repo.EncounterForNote, 'id' | 'patientId' | 'clinicId'>;
      signed: true;
      /** the user who signed the note */
      signedBy: string;
      content: VisitSummaryContent;
    };

/**
 * What a visit summary prints, read from the encounter's SIGNED note for the letters module, which
 * checks access and audits in the same transaction: the visit (start, type, reason), when the note was
 * signed and by whom, its diagnoses (primary first), the vitals taken during the visit and the note's
 * summary for the patient — never the SOAP sections, which stay the clinicians'.
 */
export class VisitSummarySource {
  /** The encounter and its signed note's summary (undefined: no such encounter; unsigned: `why` says what is missing). */
  async visit(tx: Executor, encounterId: string): Promise<VisitForSummary | undefined> {
    const enc = await repo.encounterForNote(tx, encounterId, null);
    if (!enc) return undefined;
    const encounter = { id: enc.id, patientId: enc.patientId, clinicId: enc.clinicId };
    const note = await repo.noteOf(tx, encounterId);
    if (!note)
      return {
        encounter,
        signed: false,
        why: 'This consultation has no note yet: write and sign it before printing its visit summary',
      };
    if (!note.signedAt || !note.signedBy)
      return { encounter, signed: false, why: 'The note is still a draft: sign it before printing its visit summary' };
    const dx = await repo.diagnosesOf(tx, [note.id]);
    return {
      encounter,
      signed: true,
      signedBy: note.signedBy,
      content: {
        startedAt: enc.startedAt.toISOString(),
        type: enc.type,
        reason: enc.reason,
        signedAt: note.signedAt.toISOString(),
        // primary first, then in the order written
        diagnoses: [...dx]
          .sort((a, b) => Number(b.rank === 'primary') - Number(a.rank === 'primary'))
          .map((d) => ({ code: d.code, description: d.description, rank: d.rank })),
        vitals: await vitalsDuring(tx, enc.id),
        patientSummary: note.patientSummary,
      },
    };
  }
}
