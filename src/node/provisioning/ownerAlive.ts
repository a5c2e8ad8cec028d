import { ownerPid } from '../../core/provisioning/journal';

/** Whether the process named in a lease owner id still runs (signal 0 only checks; EPERM means it exists). */
export function ownerAlive(owner: string): boolean {
  const pid = ownerPid(owner);
  if (pid === undefined) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
