/**
 * The part of the emulator's patch (lambdas/local/moto-patch.ts) that evaluates CloudWatch Logs' JSON filter
 * patterns. Python, joined into the patch's source; called when moto.logs.models is first imported.
 */

/** Python: \`_mlwatch_patch_logs\` (moto.logs.models). */
export const motoLogsPatchSource = `# mlwatch: moto does not understand CloudWatch Logs' JSON filter patterns (\`{ $.model = "churn" && $.type = "x" }\`)
# and answers them with every event in the time range, so each audit read returned, sorted and sent the whole
# trail of the range: 7 ms at 1,000 requests, 24 ms at 2,000, and the server then parsed it all. Here the patterns
# the audit reader writes — comparisons (=, !=) of a selector with a string or a number, joined by && or ||
# (&& binds tighter), without parentheses — are evaluated. A string may end or begin with * (a prefix or suffix
# match). Each event parses its message once, the first time a pattern asks for one of its fields, and keeps
# only the values asked for. Any other pattern goes to moto as before.
import json as _json
import re as _re

_COMPARISON = _re.compile(r'\\s*\\$((?:\\.[A-Za-z_][A-Za-z0-9_-]*)+)\\s*(!=|=)\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?))\\s*$')
_MISSING = object()
_UNREAD = object()


def _json_pattern(pattern):
    """[[(path, op, kind, value)]]: a disjunction of conjunctions, or None when the pattern is not this form."""
    text = (pattern or "").strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    body = text[1:-1]
    if "(" in body or ")" in body:
        return None
    terms = []
    for alternative in body.split("||"):
        conjunction = []
        for part in alternative.split("&&"):
            match = _COMPARISON.match(part)
            if match is None:
                return None
            path, op, string, number = match.groups()
            if string is not None:
                conjunction.append((tuple(path[1:].split(".")), op, "s", _json.loads('"' + string + '"')))
            else:
                conjunction.append((tuple(path[1:].split(".")), op, "n", float(number)))
        terms.append(conjunction)
    return terms


def _field(event, path):
    cache = event.__dict__.get("mlwatch_fields")
    if cache is None:
        cache = event.mlwatch_fields = {}
    value = cache.get(path, _UNREAD)
    if value is _UNREAD:
        try:
            value = _json.loads(event.message)
            for name in path:
                value = value[name] if isinstance(value, dict) and name in value else _MISSING
        except ValueError:
            value = _MISSING
        if isinstance(value, (dict, list)):
            value = _MISSING
        cache[path] = value
    return value


def _compare(value, op, kind, wanted):
    # A message that is not JSON, or has no such field, matches no comparison (= or !=), as in CloudWatch Logs.
    if value is _MISSING:
        return False
    if kind == "n":
        equal = isinstance(value, (int, float)) and not isinstance(value, bool) and float(value) == wanted
    elif not isinstance(value, str):
        equal = False
    elif wanted.startswith("*") and len(wanted) > 1:
        equal = value.endswith(wanted[1:])
    elif wanted.endswith("*"):
        equal = value.startswith(wanted[:-1])
    else:
        equal = value == wanted
    return equal if op == "=" else not equal


def _mlwatch_patch_logs(m):
    original = m.LogStream.filter_log_events

    def filter_log_events(self, start_time, end_time, filter_pattern):
        terms = _json_pattern(filter_pattern)
        if terms is None:
            return original(self, start_time, end_time, filter_pattern)
        kept = []
        for event in self.events:
            if start_time and event.timestamp < start_time:
                continue
            if end_time and event.timestamp > end_time:
                continue
            if any(all(_compare(_field(event, path), op, kind, wanted) for path, op, kind, wanted in conjunction) for conjunction in terms):
                kept.append(event)
        kept.sort(key=lambda e: e.timestamp)
        found = []
        for event in kept:
            entry = event.to_filter_dict()
            entry["logStreamName"] = self.log_stream_name
            found.append(entry)
        return found

    m.LogStream.filter_log_events = filter_log_events
    m.LogStream.mlwatch_patched = True
`;
