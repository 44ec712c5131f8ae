/**
 * Keeps the embedded emulator's memory and latency flat over a long session.
 *
 * moto 5.2.1's TransactWriteItems backs up every table a transaction touches with `copy.deepcopy` of the
 * whole table before each call, to restore it if the transaction is cancelled. On mlwatch's single table
 * that is a copy of every model, version, batch summary and alert per registration, promotion or batch:
 * measured on a table of 2,000 items of 2 KB, each transaction took 381 ms and left the emulator's resident
 * memory 6.6 MB larger (the copies fragment the interpreter's heap, which never shrinks), so RSS and latency
 * grew with every write (bench/soak.bench.ts, bench/README.md).
 *
 * The patch, loaded into the `moto_server` process as a `sitecustomize` module (PYTHONPATH), keeps moto's
 * transaction logic as it is but backs up only the items the transaction names (a deep copy of each, a few
 * kilobytes) and puts them back when the call fails, instead of whole tables. The local server already
 * sends the emulator one DynamoDB write at a time (moto-compat.ts), so restoring the named items is exactly
 * the rollback a cancelled call needs. Local mode and tests only; never on AWS.
 *
 * What else grew without bound over a long session, and its bound here (measured, bench/README.md "Local
 * mode over a long session"):
 * - moto registers every model object it creates in a class-level list for its `/moto-api/data.json`
 *   dashboard and never drops it: every DynamoDB item ever put or overwritten, and every copy a Query, Scan
 *   or transaction backup made (a `GET …/versions` of 25 versions kept ~60 KB), every S3 object, log event,
 *   metric datum and queue message. Nothing is registered now; an object lives while moto's backend holds
 *   it (the dashboard lists nothing).
 * - CloudWatch kept every data point, and ListMetrics (`/health`'s probe) scanned them all: now the newest
 *   1,000 points per metric, and ListMetrics reads one entry per metric.
 * - An SNS topic kept every message published to it: now the newest 100.
 * - Reads cost what they read, not what is stored: moto sorted the whole table for every DynamoDB Query
 *   (lambdas/local/moto-patch-reads.ts) and answered CloudWatch Logs' JSON filter patterns with every event
 *   (lambdas/local/moto-patch-logs.ts).
 * - An EventBridge delivery built 8 JSONPath parsers per target (0.5 s per delivered event): they are kept.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { motoLogsPatchSource } from "./moto-patch-logs.js";
import { motoReadsPatchSource } from "./moto-patch-reads.js";

/** The patch, as Python. */
export const motoPatchSource = `# mlwatch: keeps the emulator's memory flat over a long session (lambdas/local/moto-patch.ts).
# Each patch is applied when its moto module is first imported, so the emulator's start-up pays nothing for it.
import copy as _copy
import sys as _sys
import importlib.abc as _abc
import importlib.util as _util


def _mlwatch_patch(m):
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.models.dynamo_type import DynamoType

    class _NoTableCopy:
        def __getattr__(self, name):
            return getattr(_copy, name)

        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else _copy.deepcopy(value, memo)

    m.copy = _NoTableCopy()
    original = m.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        saved = []
        for entry in transact_items:
            try:
                _, op = next(iter(entry.items()))
                table = self.tables.get(op.get("TableName"))
                if table is None:
                    continue
                attrs = op.get("Item") or op.get("Key") or {}
                h = DynamoType(attrs[table.hash_key_attr])
                r = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
            except Exception:
                continue
            bucket = table.items.get(h)
            prior = (bucket.get(r) if bucket is not None else None) if r is not None else bucket
            saved.append((table, h, r, _copy.deepcopy(prior)))
        try:
            return original(self, transact_items)
        except BaseException:
            for table, h, r, prior in reversed(saved):
                if r is None:
                    if prior is None:
                        table.items.pop(h, None)
                    else:
                        table.items[h] = prior
                elif prior is None:
                    table.items.get(h, {}).pop(r, None)
                else:
                    table.items.setdefault(h, {})[r] = prior
                table.mlwatch_reindex(table, h, r)
            raise

    m.DynamoDBBackend.transact_write_items = transact_write_items
    _mlwatch_patch_query(m, Table, DynamoType)
    m.DynamoDBBackend.mlwatch_patched = True


${motoReadsPatchSource}
${motoLogsPatchSource}
# mlwatch: CloudWatch keeps the newest _MAX_POINTS data points per metric (namespace, name, dimensions): the
# list is compacted to that whenever it has passed max(4 x _MAX_POINTS, twice what the last compaction kept),
# so compaction costs O(1) per point. ListMetrics reads one entry per metric instead of every point ever put.
_MAX_POINTS = 1000


def _mlwatch_patch_cloudwatch(m):
    import threading

    backend = m.CloudWatchBackend
    lock = threading.Lock()
    original_put = backend.put_metric_data

    def _key(md):
        return (md.namespace, md.name, tuple(sorted((d.name or "", d.value or "") for d in md.dimensions)))

    def _compact(self):
        kept, counts = [], {}
        for md in reversed(self.metric_data):
            k = _key(md)
            c = counts.get(k, 0)
            if c < _MAX_POINTS:
                counts[k] = c + 1
                kept.append(md)
        kept.reverse()
        self.metric_data = kept
        # Amortised: the next compaction waits until the list has doubled.
        self.mlwatch_compact_at = max(4 * _MAX_POINTS, 2 * len(kept))

    def put_metric_data(self, namespace, metric_data):
        with lock:
            before = len(self.metric_data)
            original_put(self, namespace, metric_data)
            series = self.__dict__.setdefault("mlwatch_series", {})
            for md in self.metric_data[before:]:
                series[_key(md)] = md
            if len(self.metric_data) > self.__dict__.get("mlwatch_compact_at", 4 * _MAX_POINTS):
                _compact(self)

    def get_filtered_metrics(self, metric_name, namespace, dimensions):
        with lock:
            latest = list(self.__dict__.get("mlwatch_series", {}).values())
        found = [md for md in latest if md.filter(namespace=namespace, name=metric_name, dimensions=dimensions)]
        for md in self.aws_metric_data:
            if md.filter(namespace=namespace, name=metric_name, dimensions=dimensions, already_present_metrics=found):
                found.append(md)
        return found

    backend.put_metric_data = put_metric_data
    backend.get_filtered_metrics = get_filtered_metrics
    backend.mlwatch_patched = True


# mlwatch: moto keeps every model object it ever creates in a class-level list (\`instances_tracked\`, read only
# by the /moto-api/data.json dashboard): every DynamoDB item put, overwritten or copied for a Query, Scan or
# transaction backup, every S3 object (with its body) even after it is replaced or deleted, every log event,
# metric datum and queue message. Nothing is tracked; a model lives as long as the backend holds it.
def _mlwatch_patch_core(m):
    base = m.BaseModel

    def __new__(cls, *args, **kwargs):
        return super(base, cls).__new__(cls)

    base.__new__ = staticmethod(__new__)
    base.mlwatch_untracked = True


# mlwatch: an SNS topic keeps the newest _MAX_SENT published messages (moto keeps every one, for inspection).
_MAX_SENT = 100


def _mlwatch_patch_sns(m):
    import collections

    original_init = m.Topic.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.sent_notifications = collections.deque(self.sent_notifications, maxlen=_MAX_SENT)

    m.Topic.__init__ = __init__


# mlwatch: for each target of each matched rule, moto's EventBridge renders the event through 8 JSONPath
# expressions, and jsonpath_ng builds a whole LALR parser for every one: 60 ms each, about 0.5 s per delivered
# event and 2.4 s per PutEvents at 10 concurrent (every registration, promotion and alert publishes one). The
# parsed expressions are kept (they are read-only), so a delivery costs what it sends.
def _mlwatch_patch_events(m):
    import functools
    import jsonpath_ng.ext as ext

    if not getattr(ext, "mlwatch_cached", False):
        ext.parse = functools.lru_cache(maxsize=256)(ext.parse)
        ext.mlwatch_cached = True


_PATCHES = {
    "moto.core.common_models": _mlwatch_patch_core,
    "moto.dynamodb.models": _mlwatch_patch,
    "moto.cloudwatch.models": _mlwatch_patch_cloudwatch,
    "moto.sns.models": _mlwatch_patch_sns,
    "moto.logs.models": _mlwatch_patch_logs,
    "moto.dynamodb.responses": _mlwatch_patch_responses,
    "moto.events.utils": _mlwatch_patch_events,
}


class _PatchOnImport(_abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        patch = _PATCHES.pop(name, None)
        if patch is None:
            return None
        # Found without this finder, then patched once loaded; the finder stays while patches remain.
        _sys.meta_path.remove(self)
        try:
            spec = _util.find_spec(name)
        finally:
            if _PATCHES:
                _sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


_sys.meta_path.insert(0, _PatchOnImport())
`;

/**
 * Writes the patch as `sitecustomize.py` into a folder of its own (named by its content, so concurrent
 * starts agree) and returns the folder, to be put first on the emulator's PYTHONPATH.
 */
export function motoPatchDir(): string {
  const dir = join(tmpdir(), `mlwatch-moto-patch-${createHash("sha256").update(motoPatchSource).digest("hex").slice(0, 12)}`);
  const file = join(dir, "sitecustomize.py");
  let current: string | undefined;
  try {
    current = readFileSync(file, "utf8");
  } catch {
    current = undefined;
  }
  if (current !== motoPatchSource) {
    mkdirSync(dir, { recursive: true });
    // Written whole under another name, then renamed: a concurrent start never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, motoPatchSource);
    renameSync(partial, file);
  }
  return dir;
}
