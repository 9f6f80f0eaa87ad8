// A satellite process for the SIGKILL test (test/integration/pipeline-crash.test.ts): it opens the
// real satellite on <dataDir> (file DEK store, passphrase from SATELLITE_DEK_PASSPHRASE), which
// resumes whatever the previous, killed process left in flight, then submits requests in a loop
// under the default application and template. It prints `READY <pid>` once open (the pid of this
// node process: tsx runs the script in a child, and that child is the one to kill), then
// `ACK <requestId> <status>` after each requestCertificate returns. The loop is bounded; the test
// kills the process long before it ends.
import { createSatellite } from '../../src/main/core/satellite';
import { passphraseFromEnv } from '../../src/main/core/dek';
import { rpcInputSchemas } from '../../src/shared/client';
import type { KeyTypeParameters } from '../../src/shared/key-types';
import { seedRequestBody } from './seed-request';

const MAX_REQUESTS = 2_000;

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: tsx test/helpers/crash-worker.ts <dataDir>');
  process.exit(2);
}

/** Mostly EC P-256 and RSA 2048, some Ed25519: a kill lands inside a slow RSA generation often enough. */
function keyTypeFor(n: number): KeyTypeParameters {
  const pick = Math.random();
  if (pick < 0.45) return { keyType: 'EC', keyCurve: 'P256' };
  if (pick < 0.85) return { keyType: 'RSA', keyLength: 2048 };
  return n % 2 === 0 ? { keyType: 'EC', keyCurve: 'ED25519' } : { keyType: 'EC', keyCurve: 'P256' };
}

const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: passphraseFromEnv() });
const applications = await satellite.call('listApplications', rpcInputSchemas.listApplications.parse({}));
const application = applications.find((a) => a.name === 'Default');
if (!application) throw new Error('no Default application');
const templateId = application.certificateIssuingTemplateAliasIdMap.Default!;
process.stdout.write(`READY ${process.pid}\n`);

for (let n = 0; n < MAX_REQUESTS; n++) {
  const body = seedRequestBody({ applicationId: application.id, certificateIssuingTemplateId: templateId });
  body.csrAttributes!.commonName = `host-${process.pid}-${n}.ask.venafi.example`;
  body.csrAttributes!.subjectAlternativeNamesByType = { dnsNames: [body.csrAttributes!.commonName] };
  body.csrAttributes!.keyTypeParameters = keyTypeFor(n);
  const request = await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
  process.stdout.write(`ACK ${request.id} ${request.status}\n`);
}
await satellite.close();
process.stdout.write('DONE\n');
