// Integration suites run the real server against the real build: build once if the sources changed.
import { ensureBuild } from '../scripts/start.mjs';

export default function setup(): void {
  if (process.env.SIGIL_TEST_SKIP_BUILD !== '1') ensureBuild();
}
