/**
 * The dependency rule itself is tested: `npm run deps` passing on the tree only shows something if the rules would
 * fire on a bad arrow. Here the real depcruise command runs with the real `.dependency-cruiser.cjs` over a small
 * made-up src/ tree holding one bad arrow per rule next to arrows the rules allow, and the violations must be exactly
 * the bad ones.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DEPCRUISE = path.join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = path.join(REPO_ROOT, '.dependency-cruiser.cjs');

/** Fixture files by path, each with the modules it imports (`type:` = a type-only import). */
const FIXTURE: Readonly<Record<string, readonly string[]>> = {
  'src/status/finding.ts': [],
  'src/kmehr/model.ts': ['src/status/finding.ts', 'src/soap/fault.ts'],
  'src/kmehr/model.test.ts': ['src/soap/handler.ts', 'src/store/queue.ts'],
  'src/contracts/namespaces.ts': ['src/kmehr/model.ts'],
  'src/registry/use-case.ts': ['src/kmehr/model.ts', 'src/contracts/namespaces.ts'],
  'src/config/settings.ts': ['src/status/finding.ts', 'src/store/queue.ts'],
  'src/wssec/sign.ts': ['src/contracts/namespaces.ts'],
  'src/client/client.ts': ['src/wssec/sign.ts', 'src/contracts/namespaces.ts', 'src/registry/use-case.ts'],
  'src/soap/handler.ts': ['src/wssec/sign.ts', 'src/registry/use-case.ts', 'src/config/settings.ts', 'src/soap/fault.ts'],
  'src/soap/fault.ts': [],
  'src/soap/testing/registry-child.ts': ['src/server/start-registry.ts'],
  'src/batch/worker.ts': ['src/store/queue.ts', 'src/soap/fault.ts'],
  'src/store/queue.ts': ['src/registry/use-case.ts'],
  'src/store/a.ts': ['src/store/b.ts'],
  'src/store/b.ts': ['src/store/a.ts'],
  'src/store/typed-a.ts': ['type:src/store/typed-b.ts'],
  'src/store/typed-b.ts': ['type:src/store/typed-a.ts'],
  'src/pki/verifier.ts': ['src/pki/testing/fake-ca.ts'],
  'src/pki/testing/fake-ca.ts': [],
  'src/server/start-registry.ts': ['src/soap/handler.ts', 'src/batch/worker.ts', 'src/cli/main.ts'],
  'src/server/testing/registry-child.ts': ['src/server/start-registry.ts'],
  'src/cli/main.ts': ['src/client/client.ts', 'src/pki/verifier.ts'],
};

/** The violations the rules must report: exactly these, no more (every other arrow above is allowed). */
const EXPECTED = [
  ['core-kmehr', 'src/kmehr/model.ts', 'src/soap/fault.ts'],
  ['core-registry', 'src/registry/use-case.ts', 'src/contracts/namespaces.ts'],
  ['config-on-core', 'src/config/settings.ts', 'src/store/queue.ts'],
  ['adapter-client', 'src/client/client.ts', 'src/registry/use-case.ts'],
  ['adapter-batch', 'src/batch/worker.ts', 'src/soap/fault.ts'],
  // A loop is reported once, at the first module of it; the type-only loop typed-a ↔ typed-b is not reported.
  ['no-circular', 'src/store/a.ts', 'src/store/b.ts'],
  ['production-imports-no-test-code', 'src/pki/verifier.ts', 'src/pki/testing/fake-ca.ts'],
  ['testing-helper-imports-no-root', 'src/soap/testing/registry-child.ts', 'src/server/start-registry.ts'],
  ['server-does-not-import-cli', 'src/server/start-registry.ts', 'src/cli/main.ts'],
].sort();

function relativeSpecifier(from: string, to: string): string {
  const rel = path.relative(path.dirname(from), to).replace(/\.ts$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function writeFixture(root: string): void {
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  for (const [file, imports] of Object.entries(FIXTURE)) {
    const lines = imports.map((target, n) => {
      const typeOnly = target.startsWith('type:');
      const spec = relativeSpecifier(file, typeOnly ? target.slice(5) : target);
      return typeOnly ? `import type { T as T${n} } from '${spec}';` : `import '${spec}';`;
    });
    mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(root, file), `${lines.join('\n')}\nexport type T = number;\n`);
  }
}

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-dependency-rule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the dependency rule (.dependency-cruiser.cjs)', () => {
  it('reports each bad arrow of a fixture tree under its rule, and nothing the layers allow', async () => {
    writeFixture(dir);
    const run = (outputType: string) =>
      promisify(execFile)(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', outputType], { cwd: dir });
    const report = JSON.parse((await run('json')).stdout) as { summary: { violations: Violation[] } };
    const found = report.summary.violations.map((v) => [v.rule.name, v.from, v.to]).sort();
    expect(found).toEqual(EXPECTED);
    // `npm run deps` uses the default `err` report, which fails the command when there is any violation.
    await expect(run('err')).rejects.toMatchObject({
      code: expect.any(Number) as number,
      stdout: expect.stringContaining(`${EXPECTED.length} dependency violations`) as string,
    });
  }, 60_000);
});
