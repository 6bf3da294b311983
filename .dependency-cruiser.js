/**
 * The direction of travel, checked in `npm test` (`npm run check:architecture`):
 * http → services (orders/, payments/, auth/, refunds/, admin/) → repositories, persistence and the WeChat Pay SDK. Nothing points
 * back up, the SDK imports nothing of the application, and production code loads the sandbox only on demand.
 */
const CAPABILITIES = '^src/(orders|payments|auth|retention|rate-limits|operations|refunds|admin)/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles hide which module owns what.', from: {}, to: { circular: true } },
    {
      name: 'sdk-imports-nothing-of-the-app',
      severity: 'error',
      comment: 'src/wechatpay-sdk/ can be lifted out as a library: logging and metrics come in through its hooks.',
      from: { path: '^src/wechatpay-sdk/' },
      to: { path: '^(src/(?!wechatpay-sdk/)|sandbox/|test/|scripts/)' },
    },
    {
      name: 'production-never-imports-the-sandbox-statically',
      severity: 'error',
      comment: 'The sandbox is a development tool; src/main.ts and src/worker.ts load it with import() in sandbox mode only.',
      from: { path: '^src/' },
      to: { path: '^sandbox/', dynamic: false },
    },
    {
      name: 'only-the-entry-point-loads-the-sandbox',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main|worker)\\.ts$' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'services-never-reach-up-into-http',
      severity: 'error',
      from: { path: `${CAPABILITIES}|^src/(persistence|observability|config|errors)/` },
      to: { path: '^src/http/' },
    },
    {
      name: 'repositories-and-persistence-never-call-services',
      severity: 'error',
      comment:
        'Repositories own SQL, locks and history rows; they never call a use case or a service (pure rules without I/O, and the statements the orders repository holds back, excepted).',
      from: { path: '(-repository\\.ts$|^src/persistence/)' },
      to: {
        path: `(-service\\.ts$|^src/http/|^src/composition-root\\.ts$|${CAPABILITIES}(?!.*-repository\\.ts$)(?!.*order-status-rules\\.ts$)(?!.*is-uuid\\.ts$)(?!.*collected-order-writes\\.ts$))`,
      },
    },
    {
      name: 'only-the-entry-points-compose',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(start-payment-api|start-job-worker|main|worker)\\.ts$' },
      to: { path: '^src/(composition-root|start-payment-api|start-job-worker)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|generated)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
