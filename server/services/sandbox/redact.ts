// Environment variable values are secrets (API keys the script sends to its own services). A script's
// error can carry them (`throw new Error('key ' + environmentVariables.API_KEY)`), and errors end up in
// the audit log, readable with `read:logs`. Every value is replaced by its name wherever it appears in
// text that leaves the sandbox: verbatim, and as JSON.stringify writes it inside a string (escapes).
// This stops accidental leaks through errors; a script that wants to leak a value can always put it in
// its claims, which is why scripts are written by administrators only.

export type Redact = (text: string) => string;

const identity: Redact = (text) => text;

/** A function replacing every non-empty value of `environmentVariables` by `[redacted: NAME]`. */
export function redactor(environmentVariables: Record<string, unknown> | null | undefined): Redact {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(environmentVariables ?? {})) {
    if (typeof value !== 'string' || value === '') continue;
    pairs.push([value, name]);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) pairs.push([escaped, name]);
  }
  if (pairs.length === 0) return identity;
  // Longest first, so a value containing another one is replaced whole.
  pairs.sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    let out = text;
    for (const [value, name] of pairs) if (out.includes(value)) out = out.split(value).join(`[redacted: ${name}]`);
    return out;
  };
}
