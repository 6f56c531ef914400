// The dependency rule of src/ (issue 12, acceptance 1), checked by `npm run deps`. Layers, lowest first:
//
//   runtime, csv → status → kmehr → contracts                 core: no adapter imports; registry never sees the wire contracts
//   status  →  kmehr  →  registry
//   config                                          the typed settings: imports only the core, read by any adapter
//   adapters: soap, batch, store, pki, client, wssec, kmehr-read, fhir   the core, config, and only the adapter arrows named below
//   composition roots: server, cli                  anything (the CLI starts the server, never the reverse)
//
// The allowed adapter arrows form no loop, so while these rules pass the folder graph has no cycle either.
// Test files (*.test.ts) are exempt from the layer rules, not from the cycle rule. Test helpers (src/**/testing/) may
// wire adapters together like a small composition root, but a core folder's helpers stay in the core, and only the
// roots' own helpers (src/server/testing, src/cli/testing) may import a root. Production code never imports either.

// runtime: how a thread or child finds its compiled entry (node built-ins only); csv: the one CSV reader (csv-parse
// only). Both are leaves every layer may use.
const CORE = ['runtime', 'csv', 'status', 'kmehr', 'contracts', 'registry'];
const ADAPTERS = ['soap', 'batch', 'store', 'pki', 'client', 'wssec', 'kmehr-read', 'fhir'];
const ROOTS = ['server', 'cli'];

/** What each core folder may import besides itself. */
const CORE_BELOW = {
  runtime: [],
  csv: [],
  status: ['runtime', 'csv'],
  kmehr: ['status', 'runtime', 'csv'],
  contracts: ['kmehr', 'status', 'runtime', 'csv'],
  registry: ['kmehr', 'status', 'runtime', 'csv'],
};

/** The core folders an adapter may import: all of them, except where the adapter ships without the registry. */
const ADAPTER_CORE = {
  // The client library is published on its own (package export `./client`) and must not drag in the registry.
  client: ['runtime', 'status', 'kmehr', 'contracts', 'csv'],
  // The signing and verifying code is shared by the client and the server: only the tokenizer side of the core.
  wssec: ['runtime', 'status', 'kmehr', 'contracts', 'csv'],
};

/** Every arrow from one adapter to another, with the reason it is allowed. Anything not listed is a violation. */
const ADAPTER_ARROWS = {
  soap: {
    wssec: 'the SOAP intake verifies the WS-Security signature of each request',
    pki: "the caller is identified from a certificate the PKI's certificate verifier checked",
    batch: 'BatchUpload answers ResultaatVerwerking from the results the worker stored (stored findings, result entries)',
    store: 'BatchUpload puts each accepted delivery in the delivery queue and reads results from it (DeliveryRepository)',
  },
  batch: {
    store: 'the worker is its own process: it opens the store, claims deliveries and runs each slice in one store transaction',
  },
  client: {
    wssec: 'the client signs its requests with the same WS-Security code the server verifies with',
  },
  'kmehr-read': {
    soap: 'the KMEHR read identifies and audits its caller as SOAP calls do (caller-authentication.ts, audit-security-refusal.ts): one credential check',
  },
  fhir: {
    pki: "a FHIR caller is identified from its TLS client certificate, checked by the PKI's certificate verifier (as on SOAP)",
  },
  store: {},
  pki: {},
  wssec: {},
};

const TEST_FILE = '\\.test\\.ts$';
const TESTING_HELPER = '/testing/';
const folders = (names) => `^src/(${names.join('|')})/`;

const coreRules = CORE.map((name) => ({
  name: `core-${name}`,
  severity: 'error',
  comment: `src/${name} is core: it may import only ${[name, ...CORE_BELOW[name]].map((f) => `src/${f}`).join(', ')}`,
  from: { path: `^src/${name}/`, pathNot: TEST_FILE },
  to: { path: '^src/', pathNot: folders([name, ...CORE_BELOW[name]]) },
}));

const configRule = {
  name: 'config-on-core',
  severity: 'error',
  comment: 'src/config (the typed settings) may import only the core: every adapter reads it',
  from: { path: '^src/config/', pathNot: TEST_FILE },
  to: { path: '^src/', pathNot: folders(['config', ...CORE]) },
};

const adapterRules = ADAPTERS.map((name) => {
  const allowed = Object.keys(ADAPTER_ARROWS[name]);
  const core = ADAPTER_CORE[name] ?? CORE;
  return {
    name: `adapter-${name}`,
    severity: 'error',
    comment:
      `src/${name} may import ${core.map((f) => `src/${f}`).join(', ')}, src/config` +
      (allowed.length === 0 ? ' and no other adapter' : ` and only these adapters: ${allowed.map((f) => `src/${f}`).join(', ')}`) +
      ' (add an arrow to ADAPTER_ARROWS in .dependency-cruiser.cjs only with a reason)',
    from: { path: `^src/${name}/`, pathNot: [TEST_FILE, TESTING_HELPER] },
    to: { path: '^src/', pathNot: folders([name, ...core, 'config', ...allowed]) },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'modules import each other at run time (directly or through others): split out what both need',
      from: {},
      // Type-only imports are erased by the compiler, so a loop made only of them cannot bite at load time; the layer
      // rules still count them, so no folder loop hides behind types.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...coreRules,
    configRule,
    ...adapterRules,
    {
      name: 'server-does-not-import-cli',
      severity: 'error',
      comment: 'the CLI starts the server; the server importing the CLI would close a loop between the two roots',
      from: { path: '^src/server/', pathNot: TEST_FILE },
      to: { path: '^src/cli/' },
    },
    {
      name: 'testing-helper-imports-no-root',
      severity: 'error',
      comment: 'a test helper that starts the whole application belongs with the root: src/server/testing, src/cli/testing or test/support',
      from: { path: `^src/.+${TESTING_HELPER}`, pathNot: `^src/(${ROOTS.join('|')})/testing/` },
      to: { path: '^src/(server/(start-registry|build-app)|cli/main)\\.ts$' },
    },
    {
      name: 'production-imports-no-test-code',
      severity: 'error',
      comment: 'production code must not depend on test files or test helpers (src/**/testing/)',
      from: { path: '^src/', pathNot: [TEST_FILE, TESTING_HELPER] },
      to: { path: [TEST_FILE, TESTING_HELPER] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    // Type-only imports count: a layer that needs another layer's types depends on it all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
