import { Command } from 'commander';
import { reportError } from './context.js';
import { VERSION } from '../api/server.js';
import { registerServe } from './commands/serve.js';
import { registerMigrate } from './commands/migrate.js';
import { registerStatus } from './commands/status.js';
import { registerImport } from './commands/import.js';
import { registerDemo } from './commands/demo.js';
import { registerResolve } from './commands/resolve.js';
import { registerReview } from './commands/review.js';
import { registerExport } from './commands/export.js';
import { registerSla } from './commands/sla.js';
import { registerAlarms } from './commands/alarms.js';
import { registerSales } from './commands/sales.js';
import { registerEconomics } from './commands/economics.js';
import { registerBackup } from './commands/backup.js';
import { registerPrivacy } from './commands/privacy.js';

const program = new Command()
  .name('rapport')
  .description('Rapport: one customer, one view across every division')
  .version(VERSION)
  .showHelpAfterError();

// One line per command; each command lives in its own file under commands/.
registerServe(program);
registerMigrate(program);
registerStatus(program);
registerImport(program);
registerDemo(program);
registerResolve(program);
registerReview(program);
registerExport(program);
registerSla(program);
registerAlarms(program);
registerSales(program);
registerEconomics(program);
registerBackup(program);
registerPrivacy(program);

program.parseAsync(process.argv).catch(reportError);
