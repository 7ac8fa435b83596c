'use client';
// Token settings shared by the create dialog and the resource page.
import { Field } from '../../_components/ui';
import { fieldProblem } from '../../_lib/errors';
import { formatTtl } from './ttl';

type TokenForm = { ttl: string; tokenFormat: 'jwt' | 'opaque'; isDefault: boolean };

export function TokenFields({ form, setForm, error, disabled }: { form: TokenForm; setForm: (f: Partial<TokenForm>) => void; error: unknown; disabled?: boolean }) {
  return (
    <>
      <div className="form-grid">
        <Field label="Access token lifetime (seconds)" hint={`60 to 2,592,000. ${formatTtl(Number(form.ttl) || 0)}.`} error={fieldProblem(error, 'accessTokenTtl')}>
          {(p) => <input {...p} type="number" required min={60} max={2592000} step={1} disabled={disabled} value={form.ttl} onChange={(e) => setForm({ ttl: e.target.value })} />}
        </Field>
        <Field label="Token format" hint="Opaque tokens are checked by introspection." error={fieldProblem(error, 'tokenFormat')}>
          {(p) => (
            <select {...p} disabled={disabled} value={form.tokenFormat} onChange={(e) => setForm({ tokenFormat: e.target.value as 'jwt' | 'opaque' })}>
              <option value="jwt">JWT</option>
              <option value="opaque">Opaque</option>
            </select>
          )}
        </Field>
      </div>
      <label className="checkbox">
        <input type="checkbox" disabled={disabled} checked={form.isDefault} onChange={(e) => setForm({ isDefault: e.target.checked })} />
        Default resource (used when a token request names none)
      </label>
    </>
  );
}
