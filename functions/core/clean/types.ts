export type LineKind =
  | 'blank'
  | 'prose'
  | 'text'
  | 'ui'
  | 'ticker'
  | 'related'
  | 'end'
  | 'comment-meta'
  | 'date'
  | 'dateline'
  | 'caption'
  | 'credit'
  | 'file'
  | 'link';

export interface MetaLine {
  kind: 'date' | 'dateline' | 'caption' | 'credit' | 'signature' | 'title-repeat';
  text: string;
  /** Line number in the page's text (0-based), when known. */
  line?: number;
}

export interface DroppedLine {
  text: string;
  why: LineKind | 'outside-article';
}

/** The clean stage's artifact: what extract works on. */
export interface CleanArticle {
  title: string | null;
  /** Article text in its original spelling, paragraphs separated by a blank line. */
  body: string;
  meta: MetaLine[];
  /** Reader comments, never part of body. */
  comments: string[];
  dropped: DroppedLine[];
  language: 'ar' | 'fa' | 'en' | 'other';
  format: 'text' | 'html';
  /** Values the page states about itself (HTML metadata), used before anything read from text. */
  pageMeta: { title?: string; publishedAt?: string; publisher?: string; url?: string };
}
