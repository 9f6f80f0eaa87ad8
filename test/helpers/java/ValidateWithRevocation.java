import java.io.FileInputStream;
import java.io.InputStream;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Java's own PKIX validation of leaf <- intermediate up to a trusted root, with revocation checked
 * - crl: for both from CRLs only, each fetched from the certificate's CRL Distribution Point (run
 *   with -Dcom.sun.security.enableCRLDP=true);
 * - ocsp: for the leaf only, by OCSP only, asked of the responder its AIA names (Java sends a small
 *   request as an HTTP GET).
 * Prints OK, or REFUSED with the reason, and exits 1.
 * Usage: java -Dcom.sun.security.enableCRLDP=true ValidateWithRevocation.java crl|ocsp ROOT INTERMEDIATE LEAF
 */
public class ValidateWithRevocation {
  public static void main(String[] args) throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    boolean ocsp = args[0].equals("ocsp");
    X509Certificate root = load(factory, args[1]);
    X509Certificate intermediate = load(factory, args[2]);
    X509Certificate leaf = load(factory, args[3]);
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    CertPathValidator validator = CertPathValidator.getInstance("PKIX");
    PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
    checker.setOptions(ocsp
        ? EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY, PKIXRevocationChecker.Option.NO_FALLBACK)
        : EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
    params.addCertPathChecker(checker);
    params.setRevocationEnabled(false); // the checker above does it, as the mode says
    try {
      validator.validate(factory.generateCertPath(List.of(leaf, intermediate)), params);
      System.out.println("OK");
    } catch (CertPathValidatorException e) {
      System.out.println("REFUSED " + e.getReason() + " at index " + e.getIndex() + ": " + e.getMessage());
      System.exit(1);
    }
  }

  private static X509Certificate load(CertificateFactory factory, String path) throws Exception {
    try (InputStream in = new FileInputStream(path)) {
      return (X509Certificate) factory.generateCertificate(in);
    }
  }
}
