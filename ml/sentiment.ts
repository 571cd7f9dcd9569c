/**
 * Lexicon-based sentiment on a 0-1 scale (0.5 = neutral) for English, Portuguese, Korean and
 * Chinese (Simplified and Traditional) chat messages. Deterministic and dependency-free: a model
 * trained on our own messages could leak outcome-window text into churn features, a lexicon
 * cannot. Method (after VADER): sum the valences of matched terms, scaled by a preceding
 * intensifier (x1.3) and flipped by a negator in scope (x-0.75, so "not good" is milder than
 * "bad"); terms after a contrast word ("but", "但是", "하지만") count 1.5x and those before 0.5x;
 * the sum S maps to 0.5 + 0.5 * S / sqrt(S^2 + 4).
 */
import {
  CONTRAST,
  EMOJI,
  INTENSIFIERS,
  KOREAN_POST_NEGATORS,
  LEXICON_SOURCE,
  NEGATORS,
  type Language,
} from "./sentiment-lexicon.ts";

type Kind = "term" | "negator" | "intensifier" | "contrast";

interface Entry {
  kind: Kind;
  valence: number;
  /** Latin-script entries must match whole words. */
  latin: boolean;
  /** A prefix entry ("refund*") matches any word starting with it. */
  prefix: boolean;
  language: Language | "emoji";
}

export interface SentimentHit {
  term: string;
  language: Language | "emoji";
  /** Lexicon valence. */
  valence: number;
  /** Valence after intensifier, negation and contrast weighting. */
  weighted: number;
  negated: boolean;
}

export interface SentimentResult {
  /** 0 = very negative, 0.5 = neutral or no sentiment words, 1 = very positive. */
  score: number;
  /** Sum of weighted valences. */
  sum: number;
  hits: SentimentHit[];
}

const LATIN = /[\p{Script=Latin}\p{N}']/u;
const INTENSIFY = 1.3;
const NEGATE = -0.75;

function buildIndex(): { entries: Map<string, Entry>; lengths: Map<string, number[]> } {
  const entries = new Map<string, Entry>();
  const add = (raw: string, kind: Kind, valence: number, language: Language | "emoji") => {
    const prefix = raw.endsWith("*");
    const key = normalise(prefix ? raw.slice(0, -1) : raw);
    // a sentiment term wins over a function word with the same spelling
    if (entries.get(key)?.kind === "term" && kind !== "term") return;
    entries.set(key, { kind, valence, latin: LATIN.test(key[0]!), prefix, language });
  };
  for (const language of Object.keys(LEXICON_SOURCE) as Language[]) {
    for (const item of LEXICON_SOURCE[language].split("|")) {
      const eq = item.lastIndexOf("=");
      add(item.slice(0, eq), "term", Number(item.slice(eq + 1)), language);
    }
    for (const w of NEGATORS[language]) add(w, "negator", 0, language);
    for (const w of INTENSIFIERS[language]) add(w, "intensifier", 0, language);
    for (const w of CONTRAST[language]) add(w, "contrast", 0, language);
  }
  for (const [emoji, v] of Object.entries(EMOJI)) {
    const key = normalise(emoji);
    entries.set(key, { kind: "term", valence: v, latin: false, prefix: false, language: "emoji" });
  }
  // candidate lengths per first character, longest first, for longest-match scanning
  const lengths = new Map<string, number[]>();
  for (const key of entries.keys()) {
    const list = lengths.get(key[0]!) ?? [];
    if (!list.includes(key.length)) list.push(key.length);
    lengths.set(key[0]!, list);
  }
  for (const list of lengths.values()) list.sort((a, b) => b - a);
  return { entries, lengths };
}

/** NFKC (full-width forms), lower case, straight apostrophes, no emoji variation selectors. */
export function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\uFE0F/g, "");
}

let index: ReturnType<typeof buildIndex> | undefined;

/** Number of lexicon terms per language (the scorer's coverage, checked in tests). */
export function lexiconSize(): Record<Language | "emoji", number> {
  index ??= buildIndex();
  const out = { en: 0, pt: 0, ko: 0, zh: 0, emoji: 0 };
  for (const e of index.entries.values()) if (e.kind === "term") out[e.language]++;
  return out;
}

interface Match {
  start: number;
  end: number;
  key: string;
  entry: Entry;
}

function scan(s: string): Match[] {
  index ??= buildIndex();
  const { entries, lengths } = index;
  const out: Match[] = [];
  let i = 0;
  while (i < s.length) {
    let found: Match | undefined;
    for (const len of lengths.get(s[i]!) ?? []) {
      if (i + len > s.length) continue;
      const key = s.slice(i, i + len);
      const entry = entries.get(key);
      if (!entry) continue;
      let end = i + len;
      if (entry.latin) {
        if (i > 0 && LATIN.test(s[i - 1]!)) continue;
        if (entry.prefix) while (end < s.length && LATIN.test(s[end]!)) end++;
        else if (end < s.length && LATIN.test(s[end]!)) continue;
      }
      found = { start: i, end, key, entry };
      break;
    }
    if (found) {
      out.push(found);
      i = found.end;
    } else if (LATIN.test(s[i]!)) {
      // skip the rest of a Latin word: terms only start at word boundaries
      while (i < s.length && LATIN.test(s[i]!)) i++;
    } else {
      i++;
    }
  }
  return out;
}

/** Is the text between two matches short enough for a modifier to reach the term? */
function inScope(s: string, from: number, to: number, latin: boolean): boolean {
  const gap = s.slice(from, to).trim();
  if (gap === "") return true;
  if (/[.!?;。！？；,，]/.test(gap)) return false;
  // Latin: up to two words between ("not very good", "don't really like"); CJK: one character
  return latin ? gap.split(/\s+/).length <= 2 : [...gap.replace(/\s+/g, "")].length <= 1;
}

const KOREAN_AFTER = new RegExp(
  `^(?:하|해|스럽|스러|이|가|은|는)?\\s?(?:${KOREAN_POST_NEGATORS.map((w) => w.replace(" ", "\\s?")).join("|")})`,
);

export function analyzeSentiment(text: string): SentimentResult {
  const s = normalise(text);
  const matches = scan(s);
  const lastContrast = matches.reduce((acc, m, i) => (m.entry.kind === "contrast" ? i : acc), -1);
  const hits: SentimentHit[] = [];
  let sum = 0;
  matches.forEach((m, i) => {
    if (m.entry.kind !== "term" || m.entry.valence === 0) return;
    let v = m.entry.valence;
    let negations = 0;
    // walk back over adjacent modifiers
    let edge = m.start;
    for (let j = i - 1; j >= 0; j--) {
      const prev = matches[j]!;
      if (prev.entry.kind !== "negator" && prev.entry.kind !== "intensifier") break;
      if (!inScope(s, prev.end, edge, prev.entry.latin || m.entry.latin)) break;
      if (prev.entry.kind === "negator") negations++;
      else v *= INTENSIFY;
      edge = prev.start;
    }
    if (m.entry.language === "ko" && KOREAN_AFTER.test(s.slice(m.end, m.end + 8))) negations++;
    const negated = negations % 2 === 1;
    if (negated) v *= NEGATE;
    if (lastContrast >= 0) v *= i < lastContrast ? 0.5 : 1.5;
    sum += v;
    hits.push({ term: m.key, language: m.entry.language, valence: m.entry.valence, weighted: v, negated });
  });
  const score = 0.5 + (0.5 * sum) / Math.sqrt(sum * sum + 4);
  return { score, sum, hits };
}

/** Sentiment of one message on a 0-1 scale (0.5 neutral). */
export function sentimentScore(text: string): number {
  return analyzeSentiment(text).score;
}

/** Mean sentiment of several messages (e.g. a customer's recent inbound); 0.5 when none. */
export function meanSentiment(texts: readonly string[]): number {
  if (texts.length === 0) return 0.5;
  return texts.reduce((a, t) => a + sentimentScore(t), 0) / texts.length;
}
