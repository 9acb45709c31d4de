// A patient's timeline: the chart's chronological view of encounters, notes, vitals, documents, letters…
// merged newest first from every domain that has something to show, paged, filterable by kind and date.
import { Type, type Static } from '@sinclair/typebox';
import { Integer, IsoDateTime, Uuid } from './common.ts';

export const errorCodes = [] as const;

/** A kind of entry, as its domain names it (`vitals`, `encounter`, `letter`…). */
export const TimelineKind = Type.String({ pattern: '^[a-z][a-z_]{0,39}$' });

export const TimelineQuery = Type.Object(
  {
    /** only these kinds, comma-separated (`encounter,note`); all without it */
    kinds: Type.Optional(Type.String({ pattern: '^[a-z][a-z_]{0,39}(,[a-z][a-z_]{0,39}){0,19}$', maxLength: 400 })),
    from: Type.Optional(IsoDateTime),
    to: Type.Optional(IsoDateTime),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 100, default: 30 })),
    /** the `nextCursor` of the previous page */
    cursor: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
);
export type TimelineQuery = Static<typeof TimelineQuery>;

export const TimelineItem = Type.Object({
  kind: TimelineKind,
  id: Uuid,
  at: Type.String({ format: 'date-time' }),
  clinicId: Uuid,
  by: Type.Union([Type.String(), Type.Null()]),
  /** the fields its card shows, by kind */
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type TimelineItem = Static<typeof TimelineItem>;

export const TimelinePage = Type.Object({
  data: Type.Array(TimelineItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  /** the kinds of entry this reader may see (this installation's, less those their permissions leave out), for the filter */
  kinds: Type.Array(TimelineKind),
});
export type TimelinePage = Static<typeof TimelinePage>;
