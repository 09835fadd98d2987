package io.mpreg.launcher;

import io.mpreg.api.ClusterId;
import io.mpreg.api.CommitCertificate;
import io.mpreg.api.SignedEquivocation;
import io.mpreg.api.VoteKeys;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key and evidence commands. {@code mpreg keys --cluster C --out DIR} writes a new Ed25519 vote key pair,
 * {@code DIR/C.key} (private, PKCS#8 PEM, readable by its owner only where the file system allows) and
 * {@code DIR/C.pub} (X.509 PEM), refusing to overwrite. {@code mpreg verify-evidence --evidence FILE --key PUB}
 * checks a proof of equivocation with the accused cluster's public key alone, and
 * {@code mpreg verify-certificate --certificate FILE --keys DIR} a commit certificate with the public keys of its round's
 * targets ({@code DIR/C.pub}, as {@code mpreg keys} writes them): exit 0 when it proves the claim, 1 when it does not, 2
 * for a bad command line or unreadable files.
 */
final class KeysCommand {
    static final String USAGE = """
            usage: mpreg keys --cluster CLUSTER --out DIR
                   mpreg verify-evidence --evidence FILE --key PUBLIC_KEY_FILE
                   mpreg verify-certificate --certificate FILE --keys DIR

            keys             writes DIR/CLUSTER.key (the cluster's private Ed25519 vote key; keep it secret) and
                             DIR/CLUSTER.pub (its public key; every node of the federation lists it as
                             vote.publicKey.CLUSTER). Never overwrites.
            verify-evidence  checks a proof of equivocation (a file a node wrote to its evidence.dir) with the
                             accused cluster's public key: both votes must carry its valid signature and conflict.
                             Exit 0: proven; 1: not proven; 2: bad command line or files.
            verify-certificate
                             checks a commit certificate (DeliveryResult.certificate().toText() in a file) with the
                             public keys of its round's targets, DIR/CLUSTER.pub: the signed yes votes must be for
                             the message and the round's terms and hold the round's quorum.
                             Exit 0: proven; 1: not proven; 2: bad command line or files.""";

    private KeysCommand() {
    }

    static int keys(List<String> args, PrintStream out, PrintStream err) {
        String cluster = option(args, "--cluster");
        String dir = option(args, "--out");
        if (cluster == null || dir == null || args.size() != 4) {
            err.println("mpreg keys: expected --cluster CLUSTER --out DIR, got " + args);
            return 2;
        }
        try {
            ClusterId id = ClusterId.of(cluster);
            Path out1 = Path.of(dir);
            Files.createDirectories(out1);
            KeyPair pair = VoteKeys.generate();
            Path privateFile = out1.resolve(id.value() + ".key");
            Path publicFile = out1.resolve(id.value() + ".pub");
            if (Files.exists(privateFile) || Files.exists(publicFile)) {
                throw new FileAlreadyExistsException(privateFile + " or " + publicFile);
            }
            Files.writeString(publicFile, VoteKeys.pem(pair.getPublic()), StandardCharsets.US_ASCII);
            Files.createFile(privateFile);
            try {
                Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its default permissions stay
            }
            Files.writeString(privateFile, VoteKeys.pem(pair.getPrivate()), StandardCharsets.US_ASCII);
            out.println("wrote " + privateFile + " (secret) and " + publicFile);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("mpreg keys: " + e);
            return 2;
        }
    }

    static int verify(List<String> args, PrintStream out, PrintStream err) {
        String evidence = option(args, "--evidence");
        String key = option(args, "--key");
        if (evidence == null || key == null || args.size() != 4) {
            err.println("mpreg verify-evidence: expected --evidence FILE --key PUBLIC_KEY_FILE, got " + args);
            return 2;
        }
        SignedEquivocation proof;
        java.security.PublicKey publicKey;
        try {
            proof = SignedEquivocation.parse(Files.readString(Path.of(evidence), StandardCharsets.UTF_8));
            publicKey = VoteKeys.readPublicKey(Path.of(key));
        } catch (IOException e) {
            err.println("mpreg verify-evidence: cannot read " + e.getMessage() + " (" + e.getClass().getSimpleName()
                    + ")");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("mpreg verify-evidence: " + e.getMessage());
            return 2;
        }
        var first = proof.first().vote();
        var second = proof.second().vote();
        if (proof.verify(publicKey)) {
            out.println("PROVEN: " + proof.accused() + " equivocated in round " + first.round() + " of federation '"
                    + proof.first().federation() + "': it signed " + first.verdict() + " for " + first.digest()
                    + " and " + second.verdict() + " for " + second.digest());
            return 0;
        }
        out.println("NOT PROVEN: the votes in " + evidence + " are not both signed by the key in " + key
                + " (wrong key, or an altered file)");
        return 1;
    }

    static int verifyCertificate(List<String> args, PrintStream out, PrintStream err) {
        String file = option(args, "--certificate");
        String dir = option(args, "--keys");
        if (file == null || dir == null || args.size() != 4) {
            err.println("mpreg verify-certificate: expected --certificate FILE --keys DIR, got " + args);
            return 2;
        }
        CommitCertificate certificate;
        Map<ClusterId, java.security.PublicKey> keys = new TreeMap<>();
        try {
            certificate = CommitCertificate.parse(Files.readString(Path.of(file), StandardCharsets.UTF_8));
            for (ClusterId target : certificate.terms().weights().keySet()) {
                Path key = Path.of(dir).resolve(target.value() + ".pub");
                if (Files.exists(key)) {
                    keys.put(target, VoteKeys.readPublicKey(key));
                }
            }
        } catch (IOException e) {
            err.println("mpreg verify-certificate: cannot read " + e.getMessage() + " (" + e.getClass().getSimpleName()
                    + ")");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("mpreg verify-certificate: " + e.getMessage());
            return 2;
        }
        java.util.Optional<String> problem = certificate.verify(keys);
        if (problem.isEmpty()) {
            out.println("PROVEN: round " + certificate.round() + " of federation '" + certificate.federation()
                    + "' committed message " + certificate.messageDigest() + " to " + certificate.committedTo()
                    + ", weight " + certificate.weight() + " of " + certificate.terms().totalWeight() + " (needs "
                    + certificate.terms().requiredWeight() + ")");
            return 0;
        }
        out.println("NOT PROVEN: " + problem.get() + " (keys read from " + dir + ": " + keys.keySet() + ")");
        return 1;
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
    }
}
