/**
 * `mlwatch alerts list|show|ack|resolve|test` — the alert inbox from the command line, against the local
 * server or a deployed API.
 */
import type { Alert, AlertActionInput, ListAlertsOptions } from "../../client/index.js";
import { MlwatchClient } from "../../client/index.js";
import { clientOf, commonFlagsHelp, flag, formatTable, parseArgs, print, processIo, runCommand, UsageError, type CommandIo, type ParsedArgs } from "./api-common.js";

export const ALERTS_USAGE = `usage: mlwatch alerts <subcommand> [options]

  list [--model M] [--state open|acknowledged|resolved] [--type T] [--since ISO] [--limit N] [--next-token T]
                                         the inbox, newest first
  show ALERT_ID                          one alert: occurrences, link, who acknowledged or resolved it
  ack ALERT_ID --reason TEXT             acknowledge an open alert (someone is on it)
  resolve ALERT_ID --reason TEXT         resolve an alert
  test [--note TEXT]                     prove delivery: locally a test alert through the topic; deployed,
                                         one mlwatch alarm set to ALARM and back to OK (run after deploying)

options:
  --actor NAME          local server only: who you are (header x-mlwatch-actor); the deployed API
                        records the IAM principal that signed instead
${commonFlagsHelp}

exit codes: 0 done, 2 bad usage or refused by the API (one line on stderr)`;

const states = new Set(["open", "acknowledged", "resolved"]);

function need(positionals: string[], count: number, what: string): string[] {
  if (positionals.length < count) throw new UsageError(`missing ${what}; see mlwatch alerts --help`);
  if (positionals.length > count) throw new UsageError(`unexpected argument "${positionals[count]}"`);
  return positionals;
}

function clientFor(args: ParsedArgs): MlwatchClient {
  const actor = flag(args, "actor");
  const base = clientOf(args);
  return actor === undefined ? base : new MlwatchClient({ endpoint: base.endpoint, region: flag(args, "region"), actor });
}

const when = (iso: string | undefined): string => (iso ? iso.slice(0, 19).replace("T", " ") : "-");

function describe(a: Alert): string {
  const link = Object.entries(a.link).map(([k, v]) => `${k} ${v}`).join(", ") || "-";
  const lines = [
    `alert        ${a.alertId}`,
    `type         ${a.type}${a.model ? ` of ${a.model}${a.version ? ` ${a.version}` : ""}` : ""}, severity ${a.severity}`,
    `state        ${a.state}`,
    `subject      ${a.subject}`,
    `summary      ${a.summary}`,
    `occurrences  ${a.occurrences} (first ${when(a.firstSeen)}, last ${when(a.lastSeen)} UTC; repeats silent until ${when(a.suppressedUntil)} at least)`,
    `delivery     ${a.delivery.status}${a.delivery.error ? `: ${a.delivery.error}` : ""}`,
    `link         ${link}`,
  ];
  if (a.acknowledged) lines.push(`acknowledged ${when(a.acknowledged.at)} by ${a.acknowledged.by}: ${a.acknowledged.reason}`);
  if (a.resolved) lines.push(`resolved     ${when(a.resolved.at)} by ${a.resolved.by}: ${a.resolved.reason}`);
  return `${lines.join("\n")}\n`;
}

/** Runs `mlwatch alerts …`; resolves to the exit code. */
export async function runAlerts(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  const name = `alerts${sub && !sub.startsWith("-") ? ` ${sub}` : ""}`;
  return runCommand(name, io, async () => {
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      io.stdout.write(`${ALERTS_USAGE}\n`);
      return 0;
    }
    const args = parseArgs(rest, ["model", "state", "type", "since", "limit", "next-token", "reason", "actor", "note"]);
    if (args.flags.has("help")) {
      io.stdout.write(`${ALERTS_USAGE}\n`);
      return 0;
    }
    const client = clientFor(args);
    switch (sub) {
      case "list": {
        need(args.positionals, 0, "");
        const state = flag(args, "state");
        if (state !== undefined && !states.has(state)) throw new UsageError(`--state must be open, acknowledged or resolved, got "${state}"`);
        const limitText = flag(args, "limit");
        if (limitText !== undefined && !/^\d+$/.test(limitText)) throw new UsageError(`--limit must be a positive integer, got "${limitText}"`);
        const options: ListAlertsOptions = {
          model: flag(args, "model"),
          state: state as ListAlertsOptions["state"],
          type: flag(args, "type") as ListAlertsOptions["type"],
          since: flag(args, "since"),
          limit: limitText === undefined ? undefined : Number(limitText),
          nextToken: flag(args, "next-token"),
        };
        const page = await client.listAlerts(options);
        print(io, args, page, () => {
          if (page.items.length === 0) return "no alerts\n";
          const rows = page.items.map((a) => [a.alertId, a.state, a.type, a.model ?? "-", a.severity, String(a.occurrences), when(a.lastSeen), a.summary.slice(0, 80)]);
          const more = page.nextToken ? `more: --next-token ${page.nextToken}\n` : "";
          return formatTable(["alert", "state", "type", "model", "severity", "seen", "last seen (UTC)", "summary"], rows) + more;
        });
        return 0;
      }
      case "show": {
        const [alertId] = need(args.positionals, 1, "ALERT_ID");
        const a = await client.getAlert(alertId);
        print(io, args, a, () => describe(a));
        return 0;
      }
      case "ack":
      case "acknowledge":
      case "resolve": {
        const [alertId] = need(args.positionals, 1, "ALERT_ID");
        const reason = flag(args, "reason");
        if (!reason) throw new UsageError(`${sub} needs --reason TEXT`);
        const input: AlertActionInput = { reason };
        const a = sub === "resolve" ? await client.resolveAlert(alertId, input) : await client.acknowledgeAlert(alertId, input);
        print(io, args, a, () => `${a.alertId}: ${a.state}${a.state === "resolved" ? ` by ${a.resolved?.by}` : ` by ${a.acknowledged?.by}`}\n`);
        return 0;
      }
      case "test": {
        need(args.positionals, 0, "");
        const note = flag(args, "note");
        const t = await client.testAlert(note ? { note } : {});
        print(io, args, t, () =>
          t.mode === "alarm"
            ? `set alarm ${t.alarmName} to ALARM and back to OK: the subscribed addresses get both notifications, and the inbox shows the alarm (mlwatch alerts list --type alarm)\n`
            : `published test alert ${t.alertId} through the topic (message ${t.messageId ?? "-"}); see it with mlwatch alerts show ${t.alertId}\n`,
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand "${sub}"; one of list, show, ack, resolve, test`);
    }
  });
}
