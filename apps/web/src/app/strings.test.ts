import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@sanita/contracts/catalogue';
import { en as sharedEn } from '../lib/i18n/en.ts';
import { fr as sharedFr } from '../lib/i18n/fr.ts';

// The strings of every feature (features/<name>/i18n.ts, namespace <name>) and the shared ones (lib/i18n).
const SHARED = 'translation';
const featureModules = import.meta.glob<{ en: object; fr: object }>('../features/*/i18n.ts', { eager: true });
const src = join(import.meta.dirname, '..');
const featureDir = join(src, 'features');
const featureNames = readdirSync(featureDir).filter((f) => statSync(join(featureDir, f)).isDirectory());

const namespaces: Record<string, { en: object; fr: object }> = { [SHARED]: { en: sharedEn, fr: sharedFr } };
for (const [path, strings] of Object.entries(featureModules)) namespaces[path.split('/')[2]!] = strings;

function flatKeys(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : flatKeys(v as object, `${prefix}${k}.`),
  );
}

function lookup(tree: object, path: string): unknown {
  let node: unknown = tree;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A key exists as a string, or as the plural forms i18next picks from `count`. */
function hasString(tree: object, path: string): boolean {
  return ['', '_one', '_other'].some((suffix) => typeof lookup(tree, `${path}${suffix}`) === 'string');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('strings', () => {
  it('every feature folder declares its namespace with its own English and French strings', () => {
    for (const name of featureNames) {
      expect(namespaces[name], `features/${name}/i18n.ts`).toBeDefined();
      const manifest = readFileSync(join(featureDir, name, 'index.ts'), 'utf8');
      expect(manifest, `features/${name}/index.ts`).toMatch(new RegExp(`name: '${name}',`));
      expect(manifest).toMatch(/import \* as strings from '\.\/i18n\.ts';/);
    }
  });

  it.each(Object.keys(namespaces))('namespace %s has the same keys in English and French', (ns) => {
    const { en, fr } = namespaces[ns]!;
    expect(flatKeys(fr).sort()).toEqual(flatKeys(en).sort());
    for (const key of flatKeys(fr)) expect(lookup(fr, key), `${ns}:${key}`).not.toBe('');
  });

  it('every error code of the API has its sentence, in English and French, in the shared strings or a feature', () => {
    const untranslated = ERROR_CODES.filter(
      (code) =>
        !Object.values(namespaces).some(
          ({ en, fr }) => typeof lookup(en, `errors.${code}`) === 'string' && typeof lookup(fr, `errors.${code}`) === 'string',
        ),
    );
    expect(untranslated).toEqual([]);
    // the queue's own codes live with the queue
    expect(lookup(namespaces.queue!.fr, 'errors.QUEUE_EMPTY')).toBe('Personne n’attend ici.');
  });

  it('a key lives in one place: no feature repeats a shared section', () => {
    for (const [ns, { en }] of Object.entries(namespaces)) {
      if (ns === SHARED) continue;
      for (const key of flatKeys(en)) expect(hasString(sharedEn, key), `${ns}:${key} is also shared`).toBe(false);
    }
  });

  it('every key the code names exists in the namespace it is looked up in (or the shared fallback)', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of sourceFiles(src)) {
      const rel = relative(src, file);
      if (rel.startsWith('lib/i18n/')) continue;
      const code = readFileSync(file, 'utf8');
      const declared = [...code.matchAll(/(?:useTranslation\(|getFixedT\([^,()]*,)\s*'([a-z][a-z0-9]*)'/g)].map((m) => m[1]!);
      // A helper that receives `t` is called by its own feature's components.
      const feature = /^features\/([^/]+)\//.exec(rel)?.[1];
      const own = declared.length > 0 ? declared : feature && namespaces[feature] ? [feature] : [SHARED];
      const resolve = (key: string): string[] => {
        const explicit = /^([a-zA-Z][a-zA-Z0-9]*):(.+)$/.exec(key);
        return explicit ? [`${explicit[1]}\u0000${explicit[2]}`] : [...own, SHARED].map((ns) => `${ns}\u0000${key}`);
      };
      const found = (candidates: string[], test: (tree: object, path: string) => boolean) =>
        candidates.some((c) => {
          const [ns, path] = c.split('\u0000') as [string, string];
          return namespaces[ns] !== undefined && test(namespaces[ns].en, path) && test(namespaces[ns].fr, path);
        });

      // t('a.b'), i18n.t('a.b'), titleKey: 'ns:a.b', labelKey: 'ns:a.b'
      for (const m of code.matchAll(/(?:\bt\(\s*|(?:titleKey|labelKey):\s*)(['"])([A-Za-z][\w.:]*)\1/g)) {
        checked++;
        if (!found(resolve(m[2]!), hasString)) missing.push(`${rel}: ${m[2]}`);
      }
      // t(`a.b.${x}`): the part before the placeholder must name an object of strings.
      for (const m of code.matchAll(/\bt\(\s*`([A-Za-z][\w.:]*)\.\$\{/g)) {
        checked++;
        const isObject = (tree: object, path: string) => typeof lookup(tree, path) === 'object';
        if (!found(resolve(m[1]!), isObject)) missing.push(`${rel}: ${m[1]}.\${…}`);
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(missing).toEqual([]);
  });
});
