import { randomBytes } from 'node:crypto';
import type { NameConstraints } from '../../../../shared/name-constraints';
import { authorityInfoAccessValue, BACKDATE_MS, crlDistributionPointsValue, nameConstraintsValue } from '../../pki/end-entity';
import { EXTENSION_OID } from '../../pki/oids';
import { CA_KEY_ALGORITHM, CA_SIGNING_ALGORITHM, crlNumberExtension, randomSerialHex, subtle, toPem, x509 } from './x509';

const YEAR_MS = 365 * 86_400_000;

export interface NewCaMaterial {
  rootPem: string;
  intermediatePem: string;
  /** PKCS#8 DER, in memory only: the caller seals them before anything touches the disk. */
  rootKeyPkcs8: Buffer;
  intermediateKeyPkcs8: Buffer;
  /** The root's CRL (DER), made with the root's key while it is at hand: see signRootCrl. */
  rootCrlDer: Uint8Array;
}

/** Where relying parties find what the root publishes: its CRL and its certificate (the PKI listener's URLs). */
export interface RootPointers {
  crlUrl: string;
  caIssuersUrl: string;
}

/** The intermediate's CDP (the root's CRL) and AIA (the root's certificate): how clients that fetch check it. */
function rootPointerExtensions(p: RootPointers): x509.Extension[] {
  return [
    new x509.Extension(EXTENSION_OID.crlDistributionPoints, false, new Uint8Array(crlDistributionPointsValue(p.crlUrl))),
    new x509.Extension(EXTENSION_OID.authorityInfoAccess, false, new Uint8Array(authorityInfoAccessValue(p))),
  ];
}

/**
 * Whether this intermediate names the root's CRL and certificate at exactly these URLs: not when
 * it names none (made before intermediates did) or others (the PKI listener's base URL changed).
 */
export function namesRootAt(intermediate: x509.X509Certificate, pointers: RootPointers): boolean {
  const has = (wanted: x509.Extension) => intermediate.extensions.some((e) => e.type === wanted.type && Buffer.from(e.value).equals(Buffer.from(wanted.value)));
  return rootPointerExtensions(pointers).every(has);
}

/**
 * The intermediate again, naming the root's CRL and certificate where `pointers` say: the same
 * subject, key, validity and other extensions, a new serial. Certificates it issued before chain
 * to it as to the old one (the same name and key). For a CA made before intermediates named them,
 * or whose PKI listener has moved.
 */
export async function reissueIntermediate(root: x509.X509Certificate, intermediate: x509.X509Certificate, rootKey: CryptoKey, pointers: RootPointers): Promise<string> {
  const kept = intermediate.extensions.filter((e) => e.type !== EXTENSION_OID.crlDistributionPoints && e.type !== EXTENSION_OID.authorityInfoAccess);
  const again = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: intermediate.subjectName,
    issuer: root.subjectName,
    notBefore: intermediate.notBefore,
    notAfter: intermediate.notAfter,
    publicKey: intermediate.publicKey,
    signingKey: rootKey,
    signingAlgorithm: CA_SIGNING_ALGORITHM,
    extensions: [...kept, ...rootPointerExtensions(pointers)],
  });
  return toPem(again.rawData, 'CERTIFICATE');
}

/**
 * The root's CRL: it lists no certificate, and stays valid until the intermediate expires. The
 * root signs one certificate, the intermediate, and the satellite never revokes it (a CA whose
 * issuing key is lost is replaced whole), so this one CRL is true for the intermediate's whole
 * life and the root's key need not be unsealed again to renew it. It lets relying parties that
 * check every certificate of a chain (`openssl verify -crl_check_all`) check the intermediate.
 */
export async function signRootCrl(root: x509.X509Certificate, intermediate: x509.X509Certificate, rootKey: CryptoKey, now = new Date()): Promise<Uint8Array<ArrayBuffer>> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: root.subjectName,
    thisUpdate: new Date(now.getTime() - BACKDATE_MS),
    nextUpdate: intermediate.notAfter,
    signingKey: rootKey,
    signingAlgorithm: CA_SIGNING_ALGORITHM,
    entries: [],
    extensions: [new x509.AuthorityKeyIdentifierExtension(root.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId), crlNumberExtension(1)],
  });
  return new Uint8Array(crl.rawData);
}

/**
 * A fresh root (self-signed, 20 years, CA:true, keyCertSign+cRLSign) and an issuing
 * intermediate under it (CA:true pathlen 0, 10 years), naming the root's CRL and certificate when
 * a PKI listener serves them. Names carry a random suffix so two satellites' CAs are never
 * confused with each other.
 */
export async function createCaMaterial(now = new Date(), nameConstraints?: NameConstraints, rootPointers?: RootPointers): Promise<NewCaMaterial> {
  const tag = randomBytes(4).toString('hex').toUpperCase();
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const caUsages = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

  const rootKeys = (await subtle.generateKey(CA_KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const rootName = `CN=Keypair Satellite Root CA ${tag}, O=Keypair Satellite`;
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: rootName,
    notBefore,
    notAfter: new Date(now.getTime() + 20 * YEAR_MS),
    keys: rootKeys,
    signingAlgorithm: CA_SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(caUsages, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });

  const intermediateKeys = (await subtle.generateKey(CA_KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const rootSki = root.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: `CN=Keypair Satellite Issuing CA ${tag}, O=Keypair Satellite`,
    issuer: root.subjectName,
    notBefore,
    notAfter: new Date(now.getTime() + 10 * YEAR_MS),
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: CA_SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(caUsages, true),
      await x509.SubjectKeyIdentifierExtension.create(intermediateKeys.publicKey),
      new x509.AuthorityKeyIdentifierExtension(rootSki),
      // Critical, as RFC 5280 requires: a client that cannot read it must refuse the chain.
      ...(nameConstraints ? [new x509.Extension(EXTENSION_OID.nameConstraints, true, new Uint8Array(nameConstraintsValue(nameConstraints)))] : []),
      ...(rootPointers ? rootPointerExtensions(rootPointers) : []),
    ],
  });

  const rootCrlDer = await signRootCrl(root, intermediate, rootKeys.privateKey, now);

  return {
    rootPem: toPem(root.rawData, 'CERTIFICATE'),
    intermediatePem: toPem(intermediate.rawData, 'CERTIFICATE'),
    rootKeyPkcs8: Buffer.from(await subtle.exportKey('pkcs8', rootKeys.privateKey)),
    intermediateKeyPkcs8: Buffer.from(await subtle.exportKey('pkcs8', intermediateKeys.privateKey)),
    rootCrlDer,
  };
}
