/**
 * Entity mentions by longest gazetteer match over search-form tokens, with Arabic proclitics
 * (و ف ب ك ل and لل) peeled off the first token; a media noun (قناة، وكالة، صحيفة…) before a
 * quoted name makes an ORGANIZATION even when the name is unknown. Weak spellings (surnames,
 * nisba adjectives) are linked only to entities the article also names in full.
 */
import { memoized } from '../memo';
import { isSpaceCode, searchKey, toSearchForm } from '../normalize';
import { mapWords, PerWord, type TextTokens, textTokens, tokenText } from '../words';
import { type AliasHit, type EntityType, type Gazetteer, type GazetteerEntry, gazetteer } from './gazetteer';
import { type TaggedSpan, tagText } from './tagger/tagger';

export interface Mention {
  text: string;
  start: number;
  end: number;
}
export interface TitleMention {
  text: string;
  field: 'title';
}
export interface Entity {
  id: string;
  type: EntityType;
  name: string;
  mentions: Array<Mention | TitleMention>;
  /** How it was found: which lists or rules, for a reviewer. */
  evidence: string[];
}

interface Token {
  text: string;
  /** Offsets in the original string. */
  start: number;
  end: number;
}

/** The words of a string (its word tokens, words.ts), as objects: for names and short strings. */
export function tokens(original: string): Token[] {
  const t = textTokens(original);
  return mapWords(t, (k) => ({ text: tokenText(t, k), start: t.start[k] as number, end: t.end[k] as number }));
}

interface Variant {
  form: string;
  /** Letters peeled off the front, in search-form characters. */
  peeled: number;
}

/** The token, and the token without its proclitics: و/ف, then ب/ك/ل; لل keeps its ل (للعراق ≈ ل + العراق). */
export const cliticVariants: (tok: string) => readonly Variant[] = memoized(variantsOf);

function variantsOf(tok: string): Variant[] {
  const out: Variant[] = [{ form: tok, peeled: 0 }];
  const bases: Variant[] = [{ form: tok, peeled: 0 }];
  if (/^[وف]/u.test(tok) && tok.length > 3) bases.push({ form: tok.slice(1), peeled: 1 });
  for (const b of bases) {
    if (b.peeled) out.push(b);
    if (b.form.startsWith('لل') && b.form.length > 4) out.push({ form: `ال${b.form.slice(2)}`, peeled: b.peeled });
    else if (/^[بكل]/u.test(b.form) && b.form.length > 3) out.push({ form: b.form.slice(1), peeled: b.peeled + 1 });
  }
  return out;
}

const MEDIA_NOUNS = new Set(['قناه', 'وكاله', 'صحيفه', 'جريده', 'موقع', 'تلفزيون', 'اذاعه', 'شبكه', 'مجله', 'قنوات']);

export interface Found {
  entry: GazetteerEntry | { id: string; type: EntityType; name: string };
  weak: boolean;
  start: number;
  end: number;
  rule: string;
}

/** A word as the gazetteer reads it: each clitic variant with the aliases that start with it, and whether it is a media noun. */
interface WordReading {
  options: Option[];
  media: boolean;
}
interface Option {
  variant: Variant;
  /** The aliases that start with the variant, longest first (the gazetteer's order). */
  hits: AliasHit[];
  /** For a long list (جمهورية starts over a hundred): its aliases of two words or more by their second word, in order, then its one-word aliases (the list ends with them). */
  bySecond?: Map<string, AliasHit[]>;
  singles?: AliasHit[];
}
/** Lists longer than this are grouped by second word. */
const LONG_LIST = 8;

function optionOf(variant: Variant, hits: AliasHit[]): Option {
  if (hits.length <= LONG_LIST) return { variant, hits };
  const bySecond = new Map<string, AliasHit[]>();
  for (const hit of hits) {
    const second = hit.tokens[1];
    if (second === undefined) continue;
    const group = bySecond.get(second);
    if (group) group.push(hit);
    else bySecond.set(second, [hit]);
  }
  return { variant, hits, bySecond, singles: hits.filter((hit) => hit.tokens.length === 1) };
}
/** The readings of words by a gazetteer, kept per gazetteer (emptied when it learns an alias). */
const readingsBy = new WeakMap<Gazetteer, { version: number; perWord: PerWord<WordReading> }>();

function readingsOf(g: Gazetteer): PerWord<WordReading> {
  let r = readingsBy.get(g);
  if (!r || r.version !== g.version) {
    r = {
      version: g.version,
      perWord: new PerWord((tok) => {
        const variants = cliticVariants(tok);
        return {
          options: variants.map((variant) => optionOf(variant, g.candidates(variant.form))).filter((o) => o.hits.length),
          media: variants.some((v) => MEDIA_NOUNS.has(v.form)),
        };
      }),
    };
    readingsBy.set(g, r);
  }
  return r.perWord;
}

/** Only spaces (and hyphens) between two tokens: the words of one name are never separated by quotes or punctuation. */
function joined(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x2d && !isSpaceCode(c)) return false;
  }
  return true;
}

/** The alias at word w of t (an index into t.words), through one of the first word's clitic variants. */
function matchAt(t: TextTokens, w: number, reading: WordReading, afterMediaNoun: boolean): { hit: AliasHit; variant: Variant } | undefined {
  for (const option of reading.options) {
    let hit: AliasHit | undefined;
    if (option.bySecond) {
      // Only the aliases whose second word is the next word can match, and the one-word ones.
      const next = t.words[w + 1];
      const group = next === undefined ? undefined : option.bySecond.get(tokenText(t, next));
      hit = (group && firstMatch(t, w, group, afterMediaNoun)) ?? firstMatch(t, w, option.singles as AliasHit[], afterMediaNoun);
    } else hit = firstMatch(t, w, option.hits, afterMediaNoun);
    if (hit) return { hit, variant: option.variant };
  }
  return undefined;
}

/** The first of `hits` whose words are the words of t from word w on. */
function firstMatch(t: TextTokens, w: number, hits: AliasHit[], afterMediaNoun: boolean): AliasHit | undefined {
  for (const hit of hits) {
    if (hit.mediaContextOnly && !afterMediaNoun) continue;
    let ok = true;
    for (let k = 1; k < hit.tokens.length; k++) {
      const cur = t.words[w + k];
      const prev = t.words[w + k - 1] as number;
      if (cur === undefined || tokenText(t, cur) !== hit.tokens[k] || !joined(t.text, t.end[prev] as number, t.start[cur] as number)) {
        ok = false;
        break;
      }
    }
    if (ok) return hit;
  }
  return undefined;
}

/** Mentions in one text (body or title), before the weak-spelling rule is applied. */
export function scan(text: string, g: Gazetteer): Found[] {
  const t = textTokens(text);
  const perWord = readingsOf(g);
  const words = t.words;
  const found: Found[] = [];
  let before: WordReading | undefined; // the reading of word w - 1, when it was just read
  for (let w = 0; w < words.length; ) {
    const reading = perWord.of(t, words[w] as number);
    const media = w > 0 && (before ?? perWord.of(t, words[w - 1] as number)).media;
    const m = matchAt(t, w, reading, media);
    if (m) {
      const first = words[w] as number;
      const last = words[w + m.hit.tokens.length - 1] as number;
      const start = m.variant.peeled ? (t.sf.offsets[(t.sStart[first] as number) + m.variant.peeled] as number) : (t.start[first] as number);
      found.push({
        entry: m.hit.entry,
        weak: m.hit.weak,
        start,
        end: t.end[last] as number,
        rule: m.hit.weak ? 'gazetteer:weak' : media ? 'gazetteer:media-noun' : 'gazetteer',
      });
      w += m.hit.tokens.length;
      before = undefined;
      continue;
    }
    if (media) {
      // قناة "اسم" : an outlet the gazetteer does not know, named in quotes after a media noun.
      const after = t.end[words[w - 1] as number] as number;
      const q = /^\s*["“«]([^"”»\n]{2,40})["”»]/u.exec(text.slice(after));
      const nameWords = q?.[1] ? textTokens(q[1]).words.length : 0;
      if (q?.[1] && nameWords <= 4) {
        const start = text.indexOf(q[1], after);
        const name = q[1].trim();
        found.push({
          entry: { id: `org:auto:${searchKey(name).replace(/\s+/g, '-')}`, type: 'ORGANIZATION', name },
          weak: false,
          start,
          end: start + q[1].length,
          rule: 'pattern:media-noun',
        });
        w += nameWords;
        before = undefined;
        continue;
      }
    }
    before = reading;
    w++;
  }
  return found;
}

/** Known entities a spelling names (any alias, clitics allowed, weak spellings too), for lookups. */
export function lookupSpelling(spelling: string, g: Gazetteer = gazetteer()): GazetteerEntry[] {
  const toks = tokens(spelling);
  const found = scan(spelling, g).filter((f) => 'roles' in f.entry);
  const whole = found.filter((f) => f.start <= (toks[0]?.end ?? 0) && f.end >= (toks[toks.length - 1]?.end ?? 0));
  return [...new Map(whole.map((f) => [f.entry.id, f.entry as GazetteerEntry])).values()];
}

const FUNCTION_WORDS = new Set([
  'في',
  'من',
  'علي',
  'الي',
  'عن',
  'مع',
  'بين',
  'حتي',
  'منذ',
  'خلال',
  'عبر',
  'ان',
  'قد',
  'لا',
  'لم',
  'لن',
  'ما',
  'هو',
  'هي',
  'التي',
  'الذي',
]);
const ID_PREFIX: Record<EntityType, string> = { PERSON: 'per', LOCATION: 'loc', ORGANIZATION: 'org' };

/** A tagged name without the clitics glued to its first word (وبوتين → بوتين; للاتحاد → الاتحاد). */
function mentionOf(text: string, s: TaggedSpan): { start: number; end: number } {
  const first = tokens(text.slice(s.start, s.end))[0];
  if (!first) return s;
  const variants = cliticVariants(first.text);
  // The longest peel that leaves a plausible word: people lose ال-less clitics; places and bodies keep ال.
  const best = variants.filter((v) => v.form.length >= 2 && (s.type !== 'PERSON' || !v.form.startsWith('ال') || v.peeled === 0)).pop();
  if (!best?.peeled) return s;
  const sf = toSearchForm(text.slice(s.start, s.end));
  return { start: s.start + (sf.offsets[best.peeled] ?? 0), end: s.end };
}

/**
 * Names the tagger finds that the gazetteer did not: linked to a known entity when the name is one
 * of its spellings, otherwise given a stable id from the name's search form (the same in every article).
 */
function taggedMentions(text: string, known: Found[], g: Gazetteer): Found[] {
  const out: Found[] = [];
  for (const s of tagText(text, g, undefined, known)) {
    if (known.some((k) => s.start < k.end && s.end > k.start)) continue; // the gazetteer's reading wins
    const { start, end } = mentionOf(text, s);
    const name = text.slice(start, end);
    const key = searchKey(name);
    if (key.length < 2 || /^\d+$/.test(key)) continue;
    // A person or place name does not contain a preposition; a tagged one that does ran past the name.
    if (s.type !== 'ORGANIZATION' && key.split(' ').some((w) => FUNCTION_WORDS.has(w))) continue;
    const linked = lookupSpelling(name, g).find((e) => e.type === s.type);
    out.push({
      entry: linked ?? { id: `${ID_PREFIX[s.type]}:auto:${key.replace(/\s+/g, '-')}`, type: s.type, name },
      weak: false,
      start,
      end,
      rule: linked ? 'tagger+gazetteer' : 'tagger',
    });
  }
  return out;
}

/** The words of an entity's name (in search form), read once per name: names recur across articles. */
const nameWords: (name: string) => readonly string[] = memoized((name) => {
  const t = textTokens(name);
  return mapWords(t, (k) => tokenText(t, k));
});

/** A one-word person name that is the last word of a longer person name in the same article is that person. */
function mergeSurnames(found: Found[]): void {
  // The last word of each longer person name: the first such person found owns it.
  const owners = new Map<string, Found['entry']>();
  for (const f of found) {
    if (f.entry.type !== 'PERSON') continue;
    const w = nameWords(f.entry.name);
    const last = w[w.length - 1] as string;
    if (w.length > 1 && !owners.has(last)) owners.set(last, f.entry);
  }
  for (const f of found) {
    if (f.entry.type !== 'PERSON' || !f.entry.id.includes(':auto:')) continue;
    const w = nameWords(f.entry.name);
    const owner = w.length === 1 ? owners.get(w[0] as string) : undefined;
    if (owner) f.entry = owner;
  }
}

export function extractEntities(body: string, title: string | null, g: Gazetteer = gazetteer()): Entity[] {
  const fromGazetteer = scan(body, g);
  const titleGazetteer = title ? scan(title, g) : [];
  const inBody = [...fromGazetteer, ...taggedMentions(body, fromGazetteer, g)].sort((a, b) => a.start - b.start);
  const inTitle = title ? [...titleGazetteer, ...taggedMentions(title, titleGazetteer, g)] : [];
  const all = inTitle.length ? [...inBody, ...inTitle] : inBody;
  mergeSurnames(all);
  const named = new Set<string>();
  for (const f of all) if (!f.weak) named.add(f.entry.id);
  const byId = new Map<string, Entity>();
  const add = (f: Found, mention: Mention | TitleMention) => {
    if (f.weak && !named.has(f.entry.id)) return;
    let e = byId.get(f.entry.id);
    if (!e) {
      e = { id: f.entry.id, type: f.entry.type, name: f.entry.name, mentions: [], evidence: [] };
      byId.set(f.entry.id, e);
    }
    e.mentions.push(mention);
    if (!e.evidence.includes(f.rule)) e.evidence.push(f.rule);
  };
  for (const f of inBody) add(f, { text: body.slice(f.start, f.end), start: f.start, end: f.end });
  for (const f of inTitle) add(f, { text: (title as string).slice(f.start, f.end), field: 'title' });
  return [...byId.values()];
}
