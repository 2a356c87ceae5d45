/**
 * Telegram commands, parsed, pure. None of them can place an order: the set is closed and the
 * handler has no exchange. `/stopentry` and `/resume` (+ `/confirm`) only write the kill switch.
 */
export const COMMANDS = [
  'status',
  'profit',
  'balance',
  'trades',
  'health',
  'stopentry',
  'resume',
  'confirm',
  'help',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export type ParsedCommand =
  | { readonly name: 'trades'; readonly count: number }
  | { readonly name: 'stopentry'; readonly reason: string }
  | { readonly name: Exclude<CommandName, 'trades' | 'stopentry'> }
  | { readonly name: 'unknown'; readonly text: string };

export const MAX_TRADES_LISTED = 20;
/** How long a `/resume` waits for its `/confirm`. */
export const CONFIRM_WINDOW_MS = 2 * 60_000;

export function parseCommand(text: string): ParsedCommand {
  const match = /^\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match) return { name: 'unknown', text: text.slice(0, 40) };
  const name = (match[1] as string).toLowerCase();
  const rest = (match[2] ?? '').trim();
  if (!(COMMANDS as readonly string[]).includes(name)) return { name: 'unknown', text: `/${name}`.slice(0, 40) };
  if (name === 'trades') {
    const n = rest === '' ? 5 : Number(rest);
    return { name, count: Number.isInteger(n) && n > 0 ? Math.min(n, MAX_TRADES_LISTED) : 5 };
  }
  if (name === 'stopentry') return { name, reason: rest.slice(0, 200) };
  return { name: name as Exclude<CommandName, 'trades' | 'stopentry'> };
}
