// `npm run bench -- [options]`
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export type Options = {
  quick: boolean;
  /** Seconds per measured round. */
  seconds: number;
  rounds: number;
  /** Warm-up seconds per target before the measured rounds. */
  warmup: number;
  /** Seconds of the sustained client_credentials run. */
  sustained: number;
  connections: number;
  scenarios: string[];
  profile: boolean;
  skipBuild: boolean;
  /** The checkout whose Sigil is measured (default: this one), e.g. a commit before a change. */
  sigilRoot: string;
};

const HELP = `npm run bench -- [options]
  --quick            smoke run: 2 s rounds, 1 s warm-up, 6 s sustained (same checks, rough numbers)
  --scenario <name>  run only this scenario (repeatable): client-credentials, introspection, vercel, custom-claims, authorization-code
  --seconds <s>      seconds per measured round (default 10)
  --rounds <n>       measured rounds per target, alternating (default 3, at least 3)
  --warmup <s>       warm-up seconds per target (default 3)
  --sustained <s>    sustained client_credentials run (default 60)
  --connections <n>  concurrent connections (default 10)
  --profile          CPU-profile Sigil and the peer (--cpu-prof); top functions in the measured windows
  --skip-build       use the existing Next build even when sources are newer
  --sigil-root <dir> measure the Sigil of another checkout (built, with node_modules), e.g. before a change`;

export function parseOptions(argv = process.argv.slice(2)): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true, default: [] },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      sustained: { type: 'string' },
      connections: { type: 'string', default: '10' },
      profile: { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
      'sigil-root': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const num = (name: string, v: string | undefined, fallback: number, min: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min} (got ${v})`);
    return n;
  };
  const quick = values.quick;
  return {
    quick,
    seconds: num('seconds', values.seconds, quick ? 2 : 10, 1),
    rounds: Math.floor(num('rounds', values.rounds, 3, 3)),
    warmup: num('warmup', values.warmup, quick ? 1 : 3, 0),
    sustained: num('sustained', values.sustained, quick ? 6 : 60, 1),
    connections: Math.floor(num('connections', values.connections, 10, 1)),
    scenarios: values.scenario,
    profile: values.profile,
    skipBuild: values['skip-build'],
    sigilRoot: resolve(values['sigil-root'] ?? resolve(import.meta.dirname, '../..')),
  };
}
