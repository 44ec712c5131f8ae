/**
 * The part of the emulator's patch (lambdas/local/moto-patch.ts) that keeps DynamoDB reads at the cost of what they
 * read: a Query by partition slice and global-index slice, its answer written directly. Python, joined into the
 * patch's source; each function is called when its moto module is first imported.
 */

/** Python: \`_mlwatch_patch_query\` (called by the DynamoDB patch) and \`_mlwatch_patch_responses\` (moto.dynamodb.responses). */
export const motoReadsPatchSource = `# mlwatch: moto answers every Query by sorting the whole table (\`Table.all_items()\`) and keeping the items of
# the asked partition, so a Query's cost grows with everything ever stored (35 ms at 1,000 requests, 86 ms at
# 2,000). Here a Query on the table reads only the part of its partition the key condition can match (the
# partition's range keys are kept in order beside it, so =, <, <=, >, >=, BETWEEN and begins_with are a bisection),
# and a Query on a global index reads only the items
# whose index key has the asked value: an index kept beside the table (value -> items), filled once on the
# index's first Query and then kept by every write path (put, update, delete, a cancelled transaction's
# restore). Each item the index offers is checked against the table before it is used, so a stale entry is
# dropped, never answered. moto's own sorting, paging, conditions and projections run unchanged on that set.
def _mlwatch_patch_query(m, Table, DynamoType):
    import bisect
    import threading

    local = _READS
    lock = threading.RLock()
    original_all_items = Table.all_items
    original_query = Table.query

    def all_items(self):
        only = getattr(local, "only", None)
        if only is not None and only[0] is self:
            return only[1]
        return original_all_items(self)

    def _hash_attr(index):
        keys = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
        return keys[0] if len(keys) == 1 else None

    def _key_of(value):
        return (value.type, str(value.value))

    def _indexes(self):
        """{attr: (by value: {item key: item}, by item key: value, by value: its items in index order)}, built on first use."""
        idx = self.__dict__.get("mlwatch_gsi")
        if idx is None:
            idx = {}
            for index in self.global_indexes:
                attr = _hash_attr(index)
                if attr is not None:
                    idx[attr] = ({}, {}, {})
            for item in original_all_items(self):
                _place(idx, item)
            self.mlwatch_gsi = idx
        return idx

    def _ident(hash_value, range_value):
        return (_key_of(hash_value), _key_of(range_value) if range_value is not None else None)

    def _drop(idx, ident):
        for by_value, by_item, ordered in idx.values():
            old = by_item.pop(ident, None)
            if old is not None:
                ordered.pop(old, None)
                bucket = by_value.get(old)
                if bucket is not None:
                    bucket.pop(ident, None)
                    if not bucket:
                        del by_value[old]

    def _place(idx, item):
        ident = _ident(item.hash_key, item.range_key)
        _drop(idx, ident)
        for attr, (by_value, by_item, ordered) in idx.items():
            value = item.attrs.get(attr)
            if value is not None:
                k = _key_of(value)
                by_value.setdefault(k, {})[ident] = item
                by_item[ident] = k
                ordered.pop(k, None)

    def _item_at(table, hash_value, range_value):
        bucket = table.items.get(hash_value)
        return (bucket.get(range_value) if bucket is not None else None) if table.range_key_attr else bucket

    def reindex(table, hash_value, range_value):
        """Puts the index, the sorted keys and the item's kept size and text right for one key after a write the
        wrappers below do not see (an update in place, a cancelled transaction's restore)."""
        if table is None:
            return
        with lock:
            _track_key(table, hash_value, range_value)
            item = _item_at(table, hash_value, range_value)
            if item is not None:
                item.__dict__.pop("mlwatch_size", None)
                item.__dict__.pop("mlwatch_json", None)
            if table.__dict__.get("mlwatch_gsi") is None:
                return
            if item is None:
                _drop(table.mlwatch_gsi, _ident(hash_value, range_value))
            else:
                _place(table.mlwatch_gsi, item)

    def _sorted_keys(self, hash_key, bucket):
        """The partition's range keys in order, kept beside the table (rebuilt if a write path was missed)."""
        cache = self.__dict__.setdefault("mlwatch_sorted", {})
        keys = cache.get(hash_key)
        if keys is None or len(keys) != len(bucket):
            keys = sorted(bucket.keys())
            cache[hash_key] = keys
        return keys

    def _track_key(table, hash_key, range_key):
        """After a write: the range key is in the partition's sorted keys exactly when the item exists."""
        cache = table.__dict__.get("mlwatch_sorted")
        keys = cache.get(hash_key) if cache is not None else None
        if keys is None or range_key is None:
            return
        bucket = table.items.get(hash_key)
        exists = bucket is not None and range_key in bucket
        i = bisect.bisect_left(keys, range_key)
        present = i < len(keys) and keys[i] == range_key
        if exists and not present:
            keys.insert(i, range_key)
        elif present and not exists:
            del keys[i]

    def _key_range(seq, key, comparison, values):
        """[lo, hi) of the sorted \`seq\` whose key (moto's cast value: the order moto sorts by) can meet a key
        condition; ValueError for a condition bisection cannot answer (the caller then reads everything)."""
        lo, hi = 0, len(seq)
        op = (comparison or "").upper()
        if not op:
            return lo, hi
        v = [x.cast_value for x in values]
        if op in ("=", "EQ"):
            return bisect.bisect_left(seq, v[0], key=key), bisect.bisect_right(seq, v[0], key=key)
        if op in ("<", "LT"):
            return lo, bisect.bisect_left(seq, v[0], key=key)
        if op in ("<=", "LE"):
            return lo, bisect.bisect_right(seq, v[0], key=key)
        if op in (">", "GT"):
            return bisect.bisect_right(seq, v[0], key=key), hi
        if op in (">=", "GE"):
            return bisect.bisect_left(seq, v[0], key=key), hi
        if op == "BETWEEN" and len(v) == 2:
            return bisect.bisect_left(seq, v[0], key=key), bisect.bisect_right(seq, v[1], key=key)
        if op == "BEGINS_WITH" and values[0].type == "S" and v[0]:
            last = v[0][-1]
            end = bisect.bisect_left(seq, v[0][:-1] + chr(ord(last) + 1), key=key) if ord(last) < 0x10FFFF else hi
            return bisect.bisect_left(seq, v[0], key=key), end
        raise ValueError("not a key condition bisection can answer")

    def _partition_slice(self, hash_key, comparison, values):
        """The items of one partition whose range key can meet the key condition, found by bisection: a superset
        (moto still applies the condition to each), so a Query costs what it reads, not what the partition holds."""
        with lock:
            bucket = self.items.get(hash_key)
            if not bucket:
                return []
            keys = _sorted_keys(self, hash_key, bucket)
            try:
                lo, hi = _key_range(keys, lambda k: k.cast_value, comparison, values)
            except Exception:
                lo, hi = 0, len(keys)
            # One key more on each side: moto ends a page at Limit when it meets one more candidate, matching or
            # not, so its LastEvaluatedKey stays exactly as without the patch.
            return [bucket[k] for k in keys[max(0, lo - 1):max(lo, hi) + 1]]

    def _ordered(self, index, attr, value_key):
        """One index value's items in moto's index order (index range key, table hash key, table range key), as
        plain values: sorted once after the value's items change, not on every Query."""
        by_value, _, ordered = _indexes(self)[attr]
        got = ordered.get(value_key)
        if got is None:
            names = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
            names += [self.hash_key_attr] + ([self.range_key_attr] if self.range_key_attr else [])
            rows = []
            for item in by_value.get(value_key, {}).values():
                if all(n in item.attrs for n in names):
                    rows.append((tuple(item.attrs[n].cast_value for n in names), item))
            rows.sort(key=lambda row: row[0])
            got = ordered[value_key] = ([row[0] for row in rows], [row[1] for row in rows], names)
        return got

    def _index_slice(self, index, attr, wanted, args, kwargs):
        """The items of one index value a Query can read: the key condition's range found by bisection, then from
        ExclusiveStartKey on, at most Limit + 1 of them in the Query's direction, and one neighbour on each side
        (moto ends a page at Limit when it meets one more candidate, so its answers and pages stay as they were)."""
        comparison = args[1] if len(args) > 1 else kwargs.get("range_comparison")
        values = (args[2] if len(args) > 2 else kwargs.get("range_objs")) or []
        limit = args[3] if len(args) > 3 else kwargs.get("limit")
        start = args[4] if len(args) > 4 else kwargs.get("exclusive_start_key")
        forward = args[5] if len(args) > 5 else kwargs.get("scan_index_forward", True)
        with lock:
            keys, items, names = _ordered(self, index, attr, _key_of(wanted))
            has_range = len(names) > (2 if self.range_key_attr else 1)
            lo, hi = _key_range(keys, lambda row: row[0], comparison, values) if has_range else (0, len(keys))
            hi = max(lo, hi)
            if start:
                at = tuple(DynamoType(start[n]).cast_value for n in names)
                if forward:
                    lo = max(lo, bisect.bisect_right(keys, at))
                else:
                    hi = min(hi, bisect.bisect_left(keys, at))
                hi = max(lo, hi)
            if limit:
                if forward:
                    hi = min(hi, lo + limit + 1)
                else:
                    lo = max(lo, hi - limit - 1)
            return items[max(0, lo - 1):hi + 1]

    def query(self, *args, **kwargs):
        hash_key = args[0] if args else kwargs.get("hash_key")
        index_name = args[7] if len(args) > 7 else kwargs.get("index_name")
        only = None
        if not index_name and hash_key is not None and self.range_key_attr:
            comparison = args[1] if len(args) > 1 else kwargs.get("range_comparison")
            values = args[2] if len(args) > 2 else kwargs.get("range_objs") or []
            only = _partition_slice(self, hash_key, comparison, values)
        elif index_name:
            index = next((i for i in self.global_indexes if i.name == index_name), None)
            conditions = kwargs.get("hash_key_conditions") or []
            attr = _hash_attr(index) if index is not None else None
            if attr is not None and len(conditions) == 1 and conditions[0][0] == attr:
                wanted = conditions[0][1]
                try:
                    offered = _index_slice(self, index, attr, wanted, args, kwargs)
                except Exception:
                    with lock:
                        offered = list(_indexes(self)[attr][0].get(_key_of(wanted), {}).values())
                only = [it for it in offered if _item_at(self, it.hash_key, it.range_key) is it and it.attrs.get(attr) == wanted]
        if only is None:
            return original_query(self, *args, **kwargs)
        local.only = (self, only)
        try:
            return original_query(self, *args, **kwargs)
        finally:
            local.only = None

    original_put = Table.put_item
    original_delete = Table.delete_item

    def put_item(self, *args, **kwargs):
        item = original_put(self, *args, **kwargs)
        with lock:
            _track_key(self, item.hash_key, item.range_key)
            if self.__dict__.get("mlwatch_gsi") is not None:
                _place(self.mlwatch_gsi, item)
        return item

    def delete_item(self, hash_key, range_key):
        item = original_delete(self, hash_key, range_key)
        if item is not None:
            with lock:
                _track_key(self, item.hash_key, item.range_key)
                if self.__dict__.get("mlwatch_gsi") is not None:
                    _drop(self.mlwatch_gsi, _ident(item.hash_key, item.range_key))
        return item

    original_update = m.DynamoDBBackend.update_item

    def update_item(self, table_name, key, *args, **kwargs):
        try:
            return original_update(self, table_name, key, *args, **kwargs)
        finally:
            table = self.tables.get(table_name)
            try:
                h = DynamoType(key[table.hash_key_attr])
                r = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            except Exception:
                h = None
            if h is not None:
                reindex(table, h, r)

    # Inside such a Query, moto deep-copies every item it answers (its items are turned into the response at once
    # and never changed, so a list copy does) and computes each item's size twice from all its attributes: the
    # size is kept on the item until an update changes it in place. The two were 65 % of a Query's time.
    import moto.dynamodb.models.table as table_module
    from moto.dynamodb.models.dynamo_type import Item

    real_copy = table_module.copy

    class _ShallowInQuery:
        def __getattr__(self, name):
            return getattr(real_copy, name)

        @staticmethod
        def deepcopy(value, memo=None):
            if getattr(local, "only", None) is not None and isinstance(value, list):
                return list(value)
            return real_copy.deepcopy(value, memo)

    table_module.copy = _ShallowInQuery()
    original_size = Item.size

    def size(self):
        if getattr(local, "only", None) is None:
            return original_size(self)
        known = self.__dict__.get("mlwatch_size")
        if known is None:
            known = self.mlwatch_size = original_size(self)
        return known

    Item.size = size
    Table.all_items = all_items
    Table.query = query

    original_backend_query = m.DynamoDBBackend.query

    def backend_query(self, *args, **kwargs):
        answer = original_backend_query(self, *args, **kwargs)
        local.answered = answer[0]
        return answer

    m.DynamoDBBackend.query = backend_query
    Table.put_item = put_item
    Table.delete_item = delete_item
    Table.mlwatch_reindex = staticmethod(reindex)
    m.DynamoDBBackend.update_item = update_item


# mlwatch: a Query's answer was turned into the response through moto's generic serializer, which walks every
# attribute of every item twice in Python (dynamo_to_dict, then the protocol serializer): most of a Query's time
# once the items were found, and it grew with what the console's reports read. Here the items a Query answers
# are written as DynamoDB JSON directly, each item's text kept on the item until an update changes it in place
# (a new item, put or restored, starts without one); the rest of the answer (counts, LastEvaluatedKey, consumed
# capacity) still goes through moto's serializer.
import base64 as _base64
import json as _json_mod
import threading as _threading

_READS = _threading.local()


def _wire(value):
    kind = value.type
    if kind == "M":
        return {"M": {k: _wire(v) for k, v in value.value.items()}}
    if kind == "L":
        return {"L": [_wire(v) for v in value.value]}
    if kind == "B":
        return {"B": value.value if isinstance(value.value, str) else _base64.b64encode(value.value).decode("ascii")}
    if kind == "BS":
        return {"BS": [v if isinstance(v, str) else _base64.b64encode(v).decode("ascii") for v in value.value]}
    return {kind: value.value}


def _item_text(item):
    text = item.__dict__.get("mlwatch_json")
    if text is None:
        text = item.mlwatch_json = _json_mod.dumps({k: _wire(v) for k, v in item.attrs.items()}, separators=(",", ":"))
    return text


def _mlwatch_patch_responses(m):
    base = m.DynamoResult

    class _QueryResult(base):
        def __init__(self, result):
            answered = getattr(_READS, "answered", None)
            _READS.answered = None
            listed = result.get("Items") if isinstance(result, dict) else None
            self.mlwatch_items = None
            if (
                answered is not None
                and isinstance(listed, list)
                and len(listed) == len(answered)
                and all(attrs is item.attrs for attrs, item in zip(listed, answered))
            ):
                self.mlwatch_items = answered
                result = {k: v for k, v in result.items() if k != "Items"}
            base.__init__(self, result)

        def execute_result(self, context):
            status, headers, body = base.execute_result(self, context)
            if self.mlwatch_items is None:
                return status, headers, body
            rest = _json_mod.dumps(_json_mod.loads(body) if body else {}, separators=(",", ":"))
            items = '"Items":[' + ",".join(_item_text(i) for i in self.mlwatch_items) + "]"
            body = "{" + items + "}" if rest == "{}" else rest[:-1] + "," + items + "}"
            headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
            return status, headers, body

    m.DynamoResult = _QueryResult
`;
