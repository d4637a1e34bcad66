package io.rankwise.training.peft;

import io.rankwise.models.weights.AtomicFiles;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 digests of the files {@link PeftExporter} writes, kept beside them in {@value #FILE}
 * in {@code sha256sum}'s format ({@code <64 hex digits> <file name>}, one line per file; {@code
 * sha256sum -c digest.sha256} checks them in the folder). {@link PeftImporter} verifies a folder
 * that has one, so that an adapter exported by Rankwise and changed since (a flipped bit, a
 * truncated copy) is refused naming the file, instead of giving other numbers. Folders written by
 * Python PEFT or others have no digest file; their files are only bounds-checked as they are read.
 */
public final class AdapterDigest {
    /** The digest file's name in an adapter folder. */
    public static final String FILE = "digest.sha256";

    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *]([^/\\\\]+)");

    private AdapterDigest() {}

    /** Removes the digest of {@code folder}, before its files are replaced. */
    static void remove(Path folder) throws IOException {
        Files.deleteIfExists(folder.resolve(FILE));
    }

    /** Writes the digests of {@code files} (names in {@code folder}) atomically. */
    static void write(Path folder, List<String> files) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : files) {
            text.append(sha256(folder.resolve(name))).append("  ").append(name).append('\n');
        }
        AtomicFiles.replace(
                folder.resolve(FILE),
                temp -> Files.writeString(temp, text.toString(), StandardCharsets.UTF_8));
    }

    /**
     * Verifies every file that {@code folder}'s digest file lists; nothing when it has none.
     *
     * @throws WeightFormatException naming the file whose digest differs or that is missing, or the
     *     digest file when a line is not {@code <sha256> <name>}
     */
    public static void verify(Path folder) throws IOException {
        Path digests = folder.resolve(FILE);
        if (!Files.isRegularFile(digests)) {
            return;
        }
        List<String> lines = Files.readAllLines(digests, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(lines.get(i));
            if (!m.matches()) {
                throw new WeightFormatException(
                        digests,
                        "line "
                                + (i + 1)
                                + " is not '<sha256 in hex>  <file name>'"
                                + "; it is corrupted: delete it to read the folder unverified");
            }
            Path file = folder.resolve(m.group(2));
            if (!Files.isRegularFile(file)) {
                continue; // the reader names a missing file as it does in any folder
            }
            String computed = sha256(file);
            if (!computed.equals(m.group(1))) {
                throw new WeightFormatException(
                        file,
                        "corrupted: its SHA-256 is "
                                + computed.substring(0, 16)
                                + "..., "
                                + FILE
                                + " recorded "
                                + m.group(1).substring(0, 16)
                                + "... when rankwise wrote it; restore it or export the run"
                                + " again (if you changed it on purpose, delete "
                                + digests
                                + ")");
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
