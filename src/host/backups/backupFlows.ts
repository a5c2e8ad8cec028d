// The Backups view's interactive flows (chunk dist/backupFlows.js, loaded by the first Back Up Now, Create Schedule or
// Restore): the backup and schedule wizards and the restore flows with their planning. backupCommands.ts registers
// the commands and loads this on first use, so activation parses none of it.
export { runBackupWizard } from './backupWizard';
export { runScheduleWizard } from './scheduleWizard';
export { restoreFromBackup, restoreFromSchedule } from './restoreCommand';
