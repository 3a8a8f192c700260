// Prints Jaeger-UI JSON traces ({data: [{traceID, spans, processes}]}) as trees, and merges
// several such files (one per service) into one, as Jaeger would show them.
const fs = require('node:fs');

function mergeTraceFiles(files) {
  const traces = new Map();
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    for (const trace of JSON.parse(fs.readFileSync(file, 'utf8')).data) {
      const merged = traces.get(trace.traceID) ?? { traceID: trace.traceID, spans: [], processes: {}, warnings: null };
      for (const [id, process] of Object.entries(trace.processes)) {
        const key = `${files.indexOf(file)}-${id}`;
        merged.processes[key] = process;
        for (const span of trace.spans) if (span.processID === id) merged.spans.push({ ...span, processID: key });
      }
      traces.set(trace.traceID, merged);
    }
  }
  return { data: [...traces.values()] };
}

function describeTags(span) {
  const interesting = ['http.status_code', 'http.route', 'db.statement', 'db.type', 'error'];
  return span.tags
    .filter((t) => interesting.includes(t.key))
    .map((t) => `${t.key}=${String(t.value).slice(0, 60)}`)
    .join(' ');
}

function printTrees(json, write = console.log) {
  for (const trace of json.data) {
    const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
    const children = new Map();
    const roots = [];
    for (const span of trace.spans) {
      const parent = span.references.find((r) => r.refType === 'CHILD_OF' && byId.has(r.spanID));
      if (parent === undefined) roots.push(span);
      else children.set(parent.spanID, [...(children.get(parent.spanID) ?? []), span]);
    }
    const start = Math.min(...trace.spans.map((s) => s.startTime));
    write(`trace ${trace.traceID} (${trace.spans.length} spans)`);
    const walk = (span, depth) => {
      const service = trace.processes[span.processID]?.serviceName ?? '?';
      const offset = ((span.startTime - start) / 1000).toFixed(1);
      const took = (span.duration / 1000).toFixed(1);
      write(`${'  '.repeat(depth + 1)}${service}: ${span.operationName}  +${offset}ms ${took}ms  ${describeTags(span)}`.trimEnd());
      for (const child of (children.get(span.spanID) ?? []).sort((a, b) => a.startTime - b.startTime)) walk(child, depth + 1);
    };
    for (const root of roots.sort((a, b) => a.startTime - b.startTime)) walk(root, 0);
  }
}

module.exports = { mergeTraceFiles, printTrees };
