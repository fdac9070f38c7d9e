/**
 * @module bench/proc-stats — pure parsers for the /proc files the bench reads: the CPU times
 * and parent of a process (/proc/PID/stat) and its proportional memory (smaps_rollup).
 */

/** The fields of /proc/PID/stat the bench uses; times are in clock ticks (CLK_TCK). */
export interface ProcStat {
  pid: number;
  /** Command name (field 2, without the parentheses; at most 15 characters). */
  comm: string;
  ppid: number;
  utime: number;
  stime: number;
  /** CPU of children this process has waited for: how exited workers (CGI, recycled
   *  children) still count in the tree's total. */
  cutime: number;
  cstime: number;
}

/**
 * Parses one /proc/PID/stat line. The command name (field 2) is in parentheses and may
 * itself contain spaces and ')', so the fields are counted from the LAST ')'.
 * @example parseProcStat('42 (node) S 1 42 42 0 -1 4194560 0 0 0 0 7 3 1 2 …').utime === 7
 */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  if (close < 0 || !Number.isInteger(pid)) throw new Error(`not a /proc/PID/stat line: ${text.slice(0, 80)}`);
  // after ") ": state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17)
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const field = (n: number): number => {
    const v = Number(rest[n - 3]);
    if (!Number.isFinite(v)) throw new Error(`/proc/${pid}/stat has no field ${n}`);
    return v;
  };
  const comm = text.slice(text.indexOf('(') + 1, close);
  return { pid, comm, ppid: field(4), utime: field(14), stime: field(15), cutime: field(16), cstime: field(17) };
}

/** Total CPU ticks a process stands for: its own time plus its waited-for children's. */
export function cpuTicks(s: ProcStat): number {
  return s.utime + s.stime + s.cutime + s.cstime;
}

/** The "Pss:" line of /proc/PID/smaps_rollup, in KiB. */
export function parsePssKiB(smapsRollup: string): number {
  const m = /^Pss:\s+(\d+)\s+kB$/m.exec(smapsRollup);
  if (!m?.[1]) throw new Error('smaps_rollup has no Pss line');
  return Number(m[1]);
}

/** `root` and every process below it, from a pid → ppid table (root first). */
export function descendantsOf(root: number, parentOf: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop() as number;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Machine-wide CPU from the first line of /proc/stat, in ticks: busy (not idle/iowait) and total. */
export function parseMachineCpu(procStat: string): { busy: number; total: number } {
  const line = procStat.split('\n', 1)[0] ?? '';
  if (!line.startsWith('cpu ')) throw new Error('/proc/stat does not start with the cpu line');
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user/nice)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}
