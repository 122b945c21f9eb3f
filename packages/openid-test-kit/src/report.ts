/** The attack report as a text table, one line per attack. */
import type { AttackReport } from './run-attacks.js';

const MARK = { refused: 'refused', accepted: 'GOT THROUGH', inconclusive: 'inconclusive' } as const;

/** A plain-text table: attack, outcome, where the browser ended. */
export function formatAttackTable(report: AttackReport): string {
  const rows = report.results.map((result) => [result.name, MARK[result.outcome], result.detail]);
  const header = ['attack', 'outcome', 'detail'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: string[]): string => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join('  ');
  const summary = report.accepted.length === 0 ? 'every attack was refused' : `${report.accepted.length} attack(s) got through: ${report.accepted.join(', ')}`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), '', `honest login: ${report.baseline}`, summary].join('\n');
}
