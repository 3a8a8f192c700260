// The work both scripts trace: a short batch job (a "nightly report") with a few child spans,
// a log and one handled error. Nothing here knows where the spans go.
const { Tags } = require('@jt/core');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function runNightlyReport(tracer) {
  await tracer.trace('nightly-report', { tags: { 'report.kind': 'sales' } }, async (report) => {
    const orders = await tracer.trace('fetch-orders', { tags: { [Tags.DB_TYPE]: 'postgresql' } }, async (span) => {
      await sleep(5);
      span.setTag('orders.count', 3);
      return [1200, 800, 4500];
    });
    await tracer.trace('render-report', async (span) => {
      span.log({ event: 'rendered', pages: 2 });
    });
    try {
      await tracer.trace('upload-report', async () => {
        throw new Error('bucket not found'); // recorded on the span, then handled below
      });
    } catch {
      report.log({ event: 'upload skipped' });
    }
    report.setTag('report.total.cents', orders.reduce((sum, cents) => sum + cents, 0));
  });
}

module.exports = { runNightlyReport };
