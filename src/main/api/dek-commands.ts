import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { downloadDekBackupInputSchema, rpcInputSchemas } from '../../shared/client';
import { writeFileAtomic } from '../core/fs/atomic-write';
import type { SatelliteService } from '../core/service';
import { DEK_BACKUP_PASSPHRASE_ENV, type CliOptions, type DekCommand } from './cli-options';
import { openForCommand, type Output, type ServiceFactoryOptions } from './cli-run';

// `npm run serve -- --backup-dek FILE | --restore-dek FILE | --rotate-dek`: one DEK operation
// through the same service the UI calls, then exit. The backup passphrase comes from the
// environment only, never the command line (where `ps` and shell history would show it).

/** Runs one DEK command; the exit code is 0 when it did what was asked, 1 with the reason on `err`. */
export async function runDekCommand(command: DekCommand, service: SatelliteService, passphrase: string | undefined, output: Output): Promise<0 | 1> {
  try {
    output.out(await run(command, service, passphrase));
    return 0;
  } catch (error) {
    output.err(`${describe(command)} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** Opens the satellite over the data directory without serving anything, runs the command, closes. */
export async function runDekCli(
  options: CliOptions & { dekCommand: DekCommand },
  createService: (o: ServiceFactoryOptions) => Promise<SatelliteService>,
  output: Output,
): Promise<0 | 1> {
  const service = await openForCommand(options, createService, `the --${options.dekCommand.kind}-dek command`);
  try {
    return await runDekCommand(options.dekCommand, service, options.dekBackupPassphrase, output);
  } finally {
    await service.close();
  }
}

function describe(command: DekCommand): string {
  return command.kind === 'rotate' ? '--rotate-dek' : `--${command.kind}-dek ${command.file}`;
}

async function run(command: DekCommand, service: SatelliteService, passphrase: string | undefined): Promise<string> {
  if (command.kind === 'rotate') {
    const { dekHash, movedBlobs } = await service.call('rotateDek', {});
    return `DEK rotated: the new DEK is ${dekHash}; ${movedBlobs} sealed blob(s) were rewrapped under it and the old DEK is retired. Back it up now (npm run serve -- --backup-dek FILE): older backups hold the retired DEK.`;
  }
  if (command.kind === 'backup') {
    const input = downloadDekBackupInputSchema.safeParse({ passphrase });
    if (!input.success) throw new Error(`${DEK_BACKUP_PASSPHRASE_ENV}: ${input.error.issues[0]?.message ?? 'invalid'}`);
    const backup = await service.saveDekBackup(input.data, async (made) => {
      try {
        mkdirSync(dirname(command.file), { recursive: true, mode: 0o700 });
        await writeFileAtomic(command.file, made.bytes, 0o600);
        return made;
      } finally {
        made.bytes.fill(0);
      }
    });
    if (!backup) throw new Error('the DEK backup was not written');
    return `DEK backup written to ${command.file} (DEK ${backup.dekHash}, ${backup.createdAt}). Keep the file and its passphrase apart, somewhere safe.`;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(command.file);
  } catch (error) {
    throw new Error(`cannot read the backup file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give the path of the .json file --backup-dek wrote.`, { cause: error });
  }
  const input = rpcInputSchemas.restoreDek.safeParse({ backupBase64: bytes.toString('base64'), passphrase });
  if (!input.success) {
    const issue = input.error.issues[0];
    const field = issue?.path[0] === 'passphrase' ? DEK_BACKUP_PASSPHRASE_ENV : command.file;
    throw new Error(`${field}: ${issue?.message ?? 'invalid'}`);
  }
  const status = await service.call('restoreDek', input.data);
  if (!status.active) throw new Error(`the DEK was restored, but the key generation service is still inactive: ${status.reason}. ${status.nextStep ?? ''}`.trim());
  return `DEK restored into ${status.dekStoreBackend}: DEK ${status.dekHash}. Every key sealed under it can be opened again; start the satellite as usual.`;
}
