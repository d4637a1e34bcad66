package io.rankwise.models.data;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a raw mail message (headers, blank line, body) into the short text a classifier sees: the
 * decoded Subject, a newline, then the start of the readable body, whitespace collapsed, at most
 * {@code maxChars} characters. All other headers are dropped: routing headers would let a model
 * learn the corpus's collection servers instead of the mail. The body is the first text part of a
 * multipart (in multipart/alternative, text/plain is preferred over text/html; MIME parts whose
 * multipart header was lost are recognised by a leading "--boundary" line), decoded from
 * quoted-printable or base64 and its charset; HTML is reduced to its text.
 */
public final class MailText {
    /** The default length limit; about 250 word pieces, beyond which little is gained for spam. */
    public static final int DEFAULT_MAX_CHARS = 1000;

    private static final int MAX_DEPTH = 5; // nested multiparts deeper than this are not opened
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0]+");
    private static final Pattern BOUNDARY =
            Pattern.compile("(?i)\\bboundary\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))");
    private static final Pattern CHARSET =
            Pattern.compile("(?i)\\bcharset\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))");

    private MailText() {}

    /** The Subject plus the start of the body, at most {@code maxChars} characters. */
    public static String toText(String rawMessage, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars = " + maxChars + "; expected at least 1");
        }
        Part message = Part.parse(rawMessage.replace("\r\n", "\n"));
        String subject = collapse(MailDecoding.decodeHeader(message.header("subject", "")));
        String body = collapse(bodyText(message, 0));
        String text = subject.isEmpty() ? body : body.isEmpty() ? subject : subject + "\n" + body;
        return truncate(text, maxChars);
    }

    /** The decoded Subject header, or "" if there is none. */
    public static String subject(String rawMessage) {
        return collapse(
                MailDecoding.decodeHeader(
                        Part.parse(rawMessage.replace("\r\n", "\n")).header("subject", "")));
    }

    /**
     * A message or MIME part: its headers (names in lower case, first occurrence wins) and body.
     */
    private record Part(Map<String, String> headers, String body) {
        static Part parse(String text) {
            int split = text.startsWith("\n") ? 0 : text.indexOf("\n\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + (split == 0 ? 1 : 2));
            Map<String, String> headers = new LinkedHashMap<>();
            String name = null;
            StringBuilder value = new StringBuilder();
            for (String line : head.split("\n")) {
                if (!line.isEmpty()
                        && (line.charAt(0) == ' ' || line.charAt(0) == '\t')
                        && name != null) {
                    value.append(' ')
                            .append(line.trim()); // folded continuation of the previous header
                    continue;
                }
                if (name != null) headers.putIfAbsent(name, value.toString().trim());
                int colon = line.indexOf(':');
                // "From sender date" (mbox separator) and other lines without a colon are not
                // headers.
                name =
                        colon > 0
                                        && line.indexOf(' ') != 0
                                        && !line.substring(0, colon).contains(" ")
                                ? line.substring(0, colon).toLowerCase(Locale.ROOT)
                                : null;
                value.setLength(0);
                if (name != null) value.append(line.substring(colon + 1));
            }
            if (name != null) headers.putIfAbsent(name, value.toString().trim());
            return new Part(headers, body);
        }

        String header(String name, String fallback) {
            return headers.getOrDefault(name, fallback);
        }

        String contentType() {
            return header("content-type", "text/plain").toLowerCase(Locale.ROOT).trim();
        }
    }

    private static String bodyText(Part part, int depth) {
        String type = part.contentType();
        if (type.startsWith("multipart/")) {
            return depth >= MAX_DEPTH ? "" : multipartText(part, depth);
        }
        if (!type.startsWith("text/") && !type.isEmpty()) {
            return ""; // images, attachments: no text to show
        }
        String stray = strayBoundary(part.body());
        if (stray != null && depth < MAX_DEPTH) {
            // MIME parts without a multipart Content-Type (lost when the mail was forwarded).
            return multipartText(part.body(), stray, false, depth);
        }
        byte[] bytes =
                MailDecoding.transferDecode(
                        part.body(), part.header("content-transfer-encoding", null));
        String text =
                bytes == null
                        ? part.body()
                        : new String(
                                bytes,
                                MailDecoding.charset(
                                        param(CHARSET, part.header("content-type", ""))));
        return type.startsWith("text/html") ? MailDecoding.htmlToText(text) : text;
    }

    private static String multipartText(Part part, int depth) {
        String boundary = param(BOUNDARY, part.header("content-type", ""));
        if (boundary == null || boundary.isEmpty()) {
            return part.body(); // a multipart without a boundary: show the body as it is
        }
        return multipartText(
                part.body(),
                boundary,
                part.contentType().startsWith("multipart/alternative"),
                depth);
    }

    /**
     * The text of the first part that has any; in multipart/alternative, whose parts are the same
     * content in different forms, the text/plain form is preferred over (usually) HTML.
     */
    private static String multipartText(
            String body, String boundary, boolean alternative, int depth) {
        String delimiter = "--" + boundary;
        String fallback = "";
        String[] chunks = body.split("(?m)^" + Pattern.quote(delimiter) + "(--)?[ \\t]*$", -1);
        for (int i = 1; i < chunks.length; i++) { // chunk 0 is the preamble
            String chunk = chunks[i].startsWith("\n") ? chunks[i].substring(1) : chunks[i];
            if (chunk.isBlank()) continue;
            Part child = Part.parse(chunk);
            String text = bodyText(child, depth + 1);
            if (text.isBlank()) continue;
            if (!alternative || child.contentType().startsWith("text/plain")) return text;
            if (fallback.isEmpty()) fallback = text;
        }
        return fallback;
    }

    /** The boundary if the body opens with "--boundary" and a Content- header line, else null. */
    private static String strayBoundary(String body) {
        String b = body.stripLeading();
        int end = b.indexOf('\n');
        if (!b.startsWith("--") || end < 3) return null;
        String first = b.substring(0, end).trim();
        return b.regionMatches(true, end + 1, "content-", 0, 8) ? first.substring(2) : null;
    }

    private static String param(Pattern pattern, String headerValue) {
        Matcher m = pattern.matcher(headerValue);
        return m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
    }

    private static String collapse(String text) {
        return WHITESPACE.matcher(text).replaceAll(" ").trim();
    }

    private static String truncate(String text, int maxChars) {
        if (text.length() <= maxChars) return text;
        int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end);
    }

    /**
     * The same conversion for a message given as bytes in ISO-8859-1 (as mail files are stored).
     */
    public static String toText(byte[] rawMessage, int maxChars) {
        return toText(new String(rawMessage, StandardCharsets.ISO_8859_1), maxChars);
    }
}
