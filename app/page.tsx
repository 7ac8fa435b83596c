import { env } from '@/server/env';

export const dynamic = 'force-dynamic';

export default function Home() {
  const { issuer } = env();
  return (
    <main style={{ maxWidth: 720, margin: '4rem auto', padding: '0 1rem', lineHeight: 1.6 }}>
      <h1>Sigil</h1>
      <p>OAuth 2.0 authorization server. Issuer: <code>{issuer}</code></p>
      <ul>
        <li><a href="/console">Admin console</a></li>
        <li><a href="/oidc/.well-known/openid-configuration">Discovery document</a></li>
        <li><a href="/oidc/jwks">JWKS</a></li>
      </ul>
    </main>
  );
}
