package io.rankwise.models.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The decodings a mail message needs to become readable text: RFC 2047 encoded words in headers,
 * quoted-printable and base64 bodies, charsets, and HTML reduced to its text. Lenient throughout:
 * spam is often malformed, and a bad encoding should cost a few characters, not the message.
 */
final class MailDecoding {
    private static final Pattern ENCODED_WORD =
            Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
    private static final Pattern BETWEEN_ENCODED_WORDS = Pattern.compile("(\\?=)\\s+(=\\?)");
    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern SCRIPT_OR_STYLE =
            Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern ENTITY =
            Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});");

    private MailDecoding() {}

    /** A header value with its RFC 2047 encoded words ({@code =?charset?B|Q?text?=}) decoded. */
    static String decodeHeader(String value) {
        // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
        String v = BETWEEN_ENCODED_WORDS.matcher(value).replaceAll("$1$2");
        Matcher m = ENCODED_WORD.matcher(v);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String decoded;
            try {
                byte[] bytes =
                        m.group(2).equalsIgnoreCase("B")
                                ? Base64.getMimeDecoder().decode(m.group(3))
                                : quotedPrintable(m.group(3).replace('_', ' '));
                decoded = new String(bytes, charset(m.group(1)));
            } catch (IllegalArgumentException e) {
                decoded = m.group(); // not valid base64: keep the word as written
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A body's bytes after its Content-Transfer-Encoding. The message arrives as text, so "bytes"
     * of an 8-bit body are its characters in ISO-8859-1 (lossless for the range 0..255).
     */
    static byte[] transferDecode(String body, String encoding) {
        String e = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
        if (e.equals("quoted-printable")) {
            return quotedPrintable(body);
        }
        if (e.equals("base64")) {
            try {
                return Base64.getMimeDecoder().decode(body.replaceAll("[^A-Za-z0-9+/=]", ""));
            } catch (IllegalArgumentException ex) {
                return new byte[0]; // undecodable: no text rather than base64 noise
            }
        }
        return null; // 7bit, 8bit, binary: the text is already the text
    }

    /** Quoted-printable: =XX is a byte, "=" at the end of a line joins it to the next. */
    static byte[] quotedPrintable(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '=') {
                if (i + 1 < n && text.charAt(i + 1) == '\n') { // soft line break
                    i++;
                    continue;
                }
                if (i + 2 < n && text.charAt(i + 1) == '\r' && text.charAt(i + 2) == '\n') {
                    i += 2;
                    continue;
                }
                if (i + 2 < n) {
                    int hi = Character.digit(text.charAt(i + 1), 16),
                            lo = Character.digit(text.charAt(i + 2), 16);
                    if (hi >= 0 && lo >= 0) {
                        out.write(hi * 16 + lo);
                        i += 2;
                        continue;
                    }
                }
            }
            writeChar(out, c);
        }
        return out.toByteArray();
    }

    private static void writeChar(ByteArrayOutputStream out, char c) {
        if (c < 256) {
            out.write(c);
        } else {
            out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The named charset, or ISO-8859-1 when the name is unknown (common in spam). */
    static Charset charset(String name) {
        if (name != null) {
            try {
                return Charset.forName(name.trim().replace("\"", ""));
            } catch (RuntimeException e) {
                // unknown or illegal name: fall through
            }
        }
        return StandardCharsets.ISO_8859_1;
    }

    /**
     * The text of an HTML document: no comments, scripts, styles or tags; common entities decoded.
     */
    static String htmlToText(String html) {
        String t = COMMENT.matcher(html).replaceAll(" ");
        t = SCRIPT_OR_STYLE.matcher(t).replaceAll(" ");
        t = TAG.matcher(t).replaceAll(" ");
        Matcher m = ENTITY.matcher(t);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(entity(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String entity(String name, String whole) {
        if (name.startsWith("#")) {
            try {
                int code =
                        name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                                ? Integer.parseInt(name.substring(2), 16)
                                : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : " ";
            } catch (NumberFormatException e) {
                return whole;
            }
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "nbsp" -> " ";
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> whole;
        };
    }
}
