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
 * The root's CRL: it lists no certificate, and stays valid until the last issuing CA under the root
 * expires (`nextUpdate`). The root signs only issuing CAs, and the satellite never revokes one (a
 * CA whose issuing key is lost is replaced whole; an issuing CA replaced by a newer one still
 * answers for what it issued), so this CRL is true until then and the root's key need not be
 * unsealed again to renew it. It is signed again, with the next `number`, when the root signs a
 * new issuing CA that outlives it. It lets relying parties that check every certificate of a chain
 * (`openssl verify -crl_check_all`) check the intermediate.
 */
export async function signRootCrl(root: x509.X509Certificate, nextUpdate: Date, rootKey: CryptoKey, number = 1, now = new Date()): Promise<Uint8Array<ArrayBuffer>> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: root.subjectName,
    thisUpdate: new Date(now.getTime() - BACKDATE_MS),
    nextUpdate,
    signingKey: rootKey,
    signingAlgorithm: CA_SIGNING_ALGORITHM,
    entries: [],
    extensions: [new x509.AuthorityKeyIdentifierExtension(root.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId), crlNumberExtension(number)],
  });
  return new Uint8Array(crl.rawData);
}

/** What an issuing CA is made with, besides the root that signs it. */
export interface IssuingCaOrder {
  /** Its subject's CN: "Keypair Satellite Issuing CA TAG", with " G2", " G3", ... for later ones. */
  commonName: string;
  nameConstraints?: NameConstraints;
  rootPointers?: RootPointers;
  now: Date;
}

/** The subject CN of issuing CA `generation` of the CA whose root and issuing CAs carry `tag`. */
export function issuingCaCommonName(tag: string, generation: number): string {
  return `Keypair Satellite Issuing CA ${tag}${generation === 1 ? '' : ` G${generation}`}`;
}

/** The random tag in the root's name (and in each of its issuing CAs' names). */
export function caTagOf(root: x509.X509Certificate): string {
  const cn = root.subjectName.getField('CN')[0] ?? '';
  return /Root CA (\S+)$/.exec(cn)?.[1] ?? 'CA';
}

/**
 * An issuing CA (CA:true pathlen 0, 10 years, never past the root) under `root`, with a new P-384
 * key; its name constraints critical, as RFC 5280 requires. The key comes back as PKCS#8 DER, in
 * memory only: the caller seals it before anything touches the disk.
 */
export async function createIssuingCa(root: x509.X509Certificate, rootKey: CryptoKey, order: IssuingCaOrder): Promise<{ pem: string; certificate: x509.X509Certificate; keyPkcs8: Buffer }> {
  const keys = (await subtle.generateKey(CA_KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const rootSki = root.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
  const notAfter = Math.min(order.now.getTime() + 10 * YEAR_MS, root.notAfter.getTime());
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: `CN=${order.commonName}, O=Keypair Satellite`,
    issuer: root.subjectName,
    notBefore: new Date(order.now.getTime() - BACKDATE_MS),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: rootKey,
    signingAlgorithm: CA_SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      new x509.AuthorityKeyIdentifierExtension(rootSki),
      // Critical, as RFC 5280 requires: a client that cannot read it must refuse the chain.
      ...(order.nameConstraints ? [new x509.Extension(EXTENSION_OID.nameConstraints, true, new Uint8Array(nameConstraintsValue(order.nameConstraints)))] : []),
      ...(order.rootPointers ? rootPointerExtensions(order.rootPointers) : []),
    ],
  });
  return { pem: toPem(certificate.rawData, 'CERTIFICATE'), certificate, keyPkcs8: Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey)) };
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
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });

  const intermediate = await createIssuingCa(root, rootKeys.privateKey, { commonName: issuingCaCommonName(tag, 1), nameConstraints, rootPointers, now });
  const rootCrlDer = await signRootCrl(root, intermediate.certificate.notAfter, rootKeys.privateKey, 1, now);

  return {
    rootPem: toPem(root.rawData, 'CERTIFICATE'),
    intermediatePem: intermediate.pem,
    rootKeyPkcs8: Buffer.from(await subtle.exportKey('pkcs8', rootKeys.privateKey)),
    intermediateKeyPkcs8: intermediate.keyPkcs8,
    rootCrlDer,
  };
}
