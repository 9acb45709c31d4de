// The waiting room hears each call: a two-tone chime (synthesised, no audio file) then the ticket
// spoken in the clinic's language. Browsers only play sound after a user gesture, hence `unlock`.

type AudioContextCtor = typeof AudioContext;

function audioContextCtor(): AudioContextCtor | null {
  if (typeof window === 'undefined') return null;
  const w = window as Window & { webkitAudioContext?: AudioContextCtor };
  return window.AudioContext ?? w.webkitAudioContext ?? null;
}

/** "A-042" → "A 0 4 2": a speech engine would otherwise say "A minus forty-two". */
export function spellCode(code: string): string {
  return code
    .replace(/[^A-Za-z0-9]/g, '')
    .split('')
    .join(' ');
}

/** A bare room number is said with the word "room"/"salle"; a named room is said as written. */
export function destinationPhrase(room: string | null, servicePointName: string, roomWord: string): string {
  if (!room) return servicePointName;
  return /^\s*\d+[A-Za-z]?\s*$/.test(room) ? `${roomWord} ${room.trim()}` : room;
}

export class Announcer {
  private context: AudioContext | null = null;

  get unlocked(): boolean {
    return this.context !== null && this.context.state === 'running';
  }

  /** Must run inside a click or key handler. */
  async unlock(): Promise<boolean> {
    const Ctor = audioContextCtor();
    if (!Ctor) return false;
    this.context ??= new Ctor();
    if (this.context.state !== 'running') await this.context.resume();
    // Some engines also need speech started from a gesture once; an empty utterance is silent.
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.speak(new SpeechSynthesisUtterance(''));
    return this.context.state === 'running';
  }

  /** Ding-dong: two sine tones with a soft attack and decay so they do not click. Returns its length in ms. */
  chime(): number {
    const ctx = this.context;
    if (!ctx || ctx.state !== 'running') return 0;
    const start = ctx.currentTime + 0.02;
    const tones: [number, number][] = [
      [880, 0],
      [659.25, 0.45],
    ];
    for (const [frequency, offset] of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.35, start + offset + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.9);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.95);
    }
    return 1400;
  }

  /** Speaks `text` with a voice of `lang` ("fr", "en") when the device has one. */
  speak(text: string, lang: string): void {
    if (typeof speechSynthesis === 'undefined') return;
    const utterance = new SpeechSynthesisUtterance(text);
    const voices = speechSynthesis.getVoices();
    const voice =
      voices.find((v) => v.lang.toLowerCase().startsWith(lang) && v.localService) ??
      voices.find((v) => v.lang.toLowerCase().startsWith(lang));
    if (voice) utterance.voice = voice;
    utterance.lang = voice?.lang ?? (lang === 'fr' ? 'fr-FR' : 'en-GB');
    utterance.rate = 0.9;
    speechSynthesis.speak(utterance);
  }

  /** Chime, then the sentence; successive calls queue up in the speech engine. */
  announce(text: string, lang: string): void {
    const delay = this.chime();
    setTimeout(() => this.speak(text, lang), delay);
  }

  close(): void {
    void this.context?.close();
    this.context = null;
  }
}
