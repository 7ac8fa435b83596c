// Logto's advanced user search, parsed from the query string exactly as Logto's `parseSearchParamsForSearch`:
// `search` (every field) or `search.<field>` (repeatable in `exact` mode), `mode` / `mode.<field>` =
// like | exact | similar_to | posix (default like), `joint` (or `jointMode`) = and | or (default or),
// `isCaseSensitive` = true | false (default false). Mistakes are 400 `request.invalid_input` with Logto's
// wording, so clients that match on the message keep working.
import { DomainError } from '../errors.ts';

export const SEARCH_FIELDS = ['id', 'primaryEmail', 'primaryPhone', 'username', 'name'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];
export const MATCH_MODES = ['exact', 'like', 'similar_to', 'posix'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/**
 * `substring`: a bare `search` (every field, no mode given) without `%` is a case-insensitive substring, as
 * Sigil's search always was; Logto would compare it whole. `%...%` patterns behave exactly as in Logto.
 */
export type SearchMatch = { mode: MatchMode; field?: SearchField; values: string[]; substring?: boolean };
export type UserSearch = { matches: SearchMatch[]; joint: 'and' | 'or'; isCaseSensitive: boolean };

/** Long enough for any real search; keeps per-row pattern work bounded. */
const MAX_VALUE = 256;
const MAX_VALUES = 100;

const bad = (message: string, field?: string) => new DomainError('invalid_input', 'request.invalid_input', message, field);

type Raw = Record<string, unknown>;
const all = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function fieldOf(key: string): SearchField | undefined {
  const path = key.split('.');
  if (path.length > 2) {
    throw bad(`Unsupported nested search field path \`${path.slice(1).join('.')}\` detected. Only the first level field is supported.`, key);
  }
  const field = path[1];
  if (field !== undefined && !SEARCH_FIELDS.includes(field as SearchField)) {
    throw bad(`Search field \`${field}\` is not valid, expect one of ${SEARCH_FIELDS.join(', ')}.`, key);
  }
  return field as SearchField | undefined;
}

/** `undefined` when the query has no search at all. */
export function parseUserSearch(query: Raw): UserSearch | undefined {
  const jointRaw = all(query.joint ?? query.jointMode)[0];
  if (jointRaw && jointRaw !== 'and' && jointRaw !== 'or') throw bad(`Search joint mode \`${jointRaw}\` is not valid, expect one of and, or.`, 'joint');
  const isCaseSensitive = ['true', '1', 'yes', 'y'].includes((all(query.isCaseSensitive)[0] ?? 'false').toLowerCase());

  const modes = new Map<SearchField | undefined, MatchMode>();
  const values = new Map<SearchField | undefined, string[]>();
  for (const [key, raw] of Object.entries(query)) {
    if (key === 'mode' || key.startsWith('mode.')) {
      const field = fieldOf(key);
      const value = all(raw).at(-1) ?? '';
      if (!MATCH_MODES.includes(value as MatchMode)) {
        throw bad(`Search match mode \`${value}\`${field ? ` for field \`${field}\`` : ''} is not valid, expect one of ${MATCH_MODES.join(', ')}.`, key);
      }
      modes.set(field, value as MatchMode);
    } else if (key === 'search' || key.startsWith('search.')) {
      const field = fieldOf(key);
      values.set(field, [...(values.get(field) ?? []), ...all(raw)]);
    }
  }
  if (values.size === 0) return undefined;

  const matches: SearchMatch[] = [];
  for (const [field, list] of values) {
    const mode = modes.get(field) ?? modes.get(undefined) ?? 'like';
    const name = field ? `search.${field}` : 'search';
    if (mode !== 'exact' && list.length !== 1) throw bad('Only one search value is allowed when search mode is not `exact`.', name);
    if (!list.every(Boolean)) throw bad('Search value cannot be empty.', name);
    if (list.length > MAX_VALUES || list.some((v) => v.length > MAX_VALUE)) throw bad(`At most ${MAX_VALUES} search values of ${MAX_VALUE} characters.`, name);
    if (mode === 'similar_to' && !isCaseSensitive) throw bad('Cannot use case-insensitive match for `similar to`.', name);
    if (mode === 'posix') assertRegExp(list[0]!, name);
    const substring = field === undefined && !modes.has(undefined) && !list[0]!.includes('%');
    matches.push({ mode, field, values: list, ...(substring ? { substring } : {}) });
  }
  return { matches, joint: jointRaw === 'and' ? 'and' : 'or', isCaseSensitive };
}

function assertRegExp(pattern: string, name: string): void {
  try {
    new RegExp(pattern);
  } catch {
    throw bad(`Search value \`${pattern}\` is not a valid regular expression.`, name);
  }
}
