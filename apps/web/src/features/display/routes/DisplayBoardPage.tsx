import { useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TicketEvent } from '../../../lib/realtime/events.ts';
import { useDisplaySocket } from '../../../lib/realtime/useDisplaySocket.ts';
import { displayKey, isRefusal, useDisplayBoard, type DisplayBoard } from '../api/display.ts';
import { Announcer, destinationPhrase, spellCode } from '../lib/announcer.ts';
import classes from './DisplayBoardPage.module.css';
// The clock needs dayjs' timezone plugin, which lib/dates.ts registers.
import '../../../lib/dates.ts';

const SUPPORTED = ['en', 'fr'] as const;
type Lang = (typeof SUPPORTED)[number];

function boardLanguage(board: DisplayBoard | undefined, fallback: string): Lang {
  const wanted = (board?.clinic.locale ?? fallback).slice(0, 2).toLowerCase();
  return (SUPPORTED as readonly string[]).includes(wanted) ? (wanted as Lang) : 'en';
}

function newestFirst(called: TicketEvent[]): TicketEvent[] {
  return [...called].sort((a, b) => (b.calledAt ?? '').localeCompare(a.calledAt ?? ''));
}

/** Waiting-room TV: opened with a display token (no staff login), it shows and announces calls. */
export function DisplayBoardPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const { i18n } = useTranslation('display');
  const queryClient = useQueryClient();
  const board = useDisplayBoard(token);
  const lang = boardLanguage(board.data, params.get('lang') ?? i18n.resolvedLanguage ?? 'en');
  const t = useMemo(() => i18n.getFixedT(lang, 'display'), [i18n, lang]);
  const announcer = useRef<Announcer | null>(null);
  const [soundOn, setSoundOn] = useState(false);
  const [freshId, setFreshId] = useState<string | null>(null);
  const now = useClock();
  const servicePoints = board.data?.servicePoints;

  useEffect(() => {
    announcer.current = new Announcer();
    return () => announcer.current?.close();
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = board.data ? `${t('display.title')} · ${board.data.clinic.name}` : t('display.title');
  }, [lang, t, board.data]);

  const refetch = () => void queryClient.invalidateQueries({ queryKey: displayKey(token ?? '') });
  const connection = useDisplaySocket(board.isError && isRefusal(board.error) ? null : token, {
    onCalled: ({ ticket }) => {
      refetch();
      // The display room hears the whole clinic; a screen set up for some service points announces only theirs.
      if (servicePoints && !servicePoints.some((sp) => sp.id === ticket.servicePointId)) return;
      setFreshId(ticket.id);
      const where = destinationPhrase(
        ticket.room ?? servicePoints?.find((sp) => sp.id === ticket.servicePointId)?.room ?? null,
        ticket.servicePointName,
        t('display.roomWord'),
      );
      announcer.current?.announce(t('display.spoken', { code: spellCode(ticket.code), where }), lang);
    },
    onChanged: refetch,
    onRefused: refetch,
    onResync: refetch,
  });

  if (!token) return <Message title={t('display.errors.noTokenTitle')} text={t('display.errors.noToken')} />;
  if (board.isError && isRefusal(board.error)) {
    return <Message title={t('display.errors.refusedTitle')} text={t('display.errors.refused')} />;
  }
  if (!board.data) {
    return board.isError ? (
      <Message title={t('display.errors.unreachableTitle')} text={t('display.errors.unreachable')} />
    ) : (
      <Message title={t('display.loading')} text="" />
    );
  }

  const data = board.data;
  const called = newestFirst(data.called);
  const [current, ...previous] = called;
  const where = (ticket: TicketEvent) => {
    const room = ticket.room ?? data.servicePoints.find((sp) => sp.id === ticket.servicePointId)?.room ?? null;
    return room
      ? `${ticket.servicePointName} · ${destinationPhrase(room, ticket.servicePointName, t('display.roomTitle'))}`
      : ticket.servicePointName;
  };
  const clock = dayjs(now).tz(data.clinic.timezone).locale(lang);

  return (
    <div className={classes.screen} data-testid="display-board">
      <header className={classes.header}>
        <h1 className={classes.clinic}>{data.clinic.name}</h1>
        <div>
          <div className={classes.clock} data-testid="display-clock">
            {clock.format('HH:mm')}
          </div>
          <div className={classes.date}>{clock.format('dddd D MMMM')}</div>
        </div>
      </header>

      <main className={classes.body}>
        <section aria-labelledby="display-now">
          <h2 id="display-now" className={classes.label}>
            {t('display.nowCalling')}
          </h2>
          {current ? (
            <div
              className={`${classes.current} ${freshId === current.id ? classes.fresh : ''}`}
              // Screen readers near the screen hear each new call too.
              aria-live="assertive"
              aria-atomic="true"
              data-testid="display-current"
            >
              <span className={classes.currentCode}>{current.code}</span>
              <span className={classes.currentWhere}>→ {where(current)}</span>
            </div>
          ) : (
            <p className={classes.idle}>{t('display.nobodyCalled')}</p>
          )}
          {previous.length > 0 && (
            <>
              <h2 className={classes.label} style={{ marginTop: '3vh' }}>
                {t('display.previous')}
              </h2>
              <ul className={classes.list}>
                {previous.slice(0, 6).map((ticket) => (
                  <li key={ticket.id} className={classes.row}>
                    <span className={classes.rowCode}>{ticket.code}</span>
                    <span className={classes.rowWhere}>{where(ticket)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section className={classes.waiting} aria-labelledby="display-waiting">
          <h2 id="display-waiting" className={classes.label}>
            {t('display.waiting')}
          </h2>
          {data.servicePoints.map((sp) => (
            <div key={sp.id} className={classes.waitRow}>
              <span>{sp.name}</span>
              <span className={classes.waitCount}>{data.waiting[sp.id] ?? 0}</span>
            </div>
          ))}
        </section>
      </main>

      <footer className={classes.footer}>
        <span>{t('display.footer')}</span>
        <span aria-live="polite">{connection === 'live' ? t('realtime.state.live') : t('display.reconnecting')}</span>
      </footer>

      {!soundOn && (
        <div className={classes.overlay}>
          <button
            type="button"
            className={classes.overlayButton}
            autoFocus
            onClick={() => {
              void announcer.current?.unlock().then((ok) => {
                setSoundOn(true);
                if (ok) announcer.current?.chime();
              });
            }}
          >
            {t('display.enableSound')}
            <span className={classes.overlayHint}>{t('display.enableSoundHint')}</span>
          </button>
        </div>
      )}
    </div>
  );
}

function Message({ title, text }: { title: string; text: string }) {
  return (
    <main className={classes.message} role={text ? 'alert' : undefined}>
      <h1 className={classes.messageTitle}>{title}</h1>
      {text && <p className={classes.messageText}>{text}</p>}
    </main>
  );
}

function useClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}
