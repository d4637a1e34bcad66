package io.rankwise.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MailTextTest {
    @Test
    void subjectThenBodyWithOtherHeadersDropped() {
        String raw =
                "From someone@example.com  Thu Aug 22 13:17:22 2002\n"
                        + "Received: from localhost\n\tby phobos (Postfix)\n"
                        + "Subject: Life Insurance -\n Why Pay More?\n"
                        + "To: <a@b.c>\n\n"
                        + "Dear   friend,\n\n  save\tmoney   now.\n";
        assertEquals(
                "Life Insurance - Why Pay More?\nDear friend, save money now.",
                MailText.toText(raw, 1000));
    }

    @Test
    void encodedWordsInTheSubject() {
        // "=?utf-8?B?SGVsbG8gV8O2cmxk?=" is base64 of UTF-8 "Hello Wörld"; Q encoding: _ is a
        // space,
        // =E9 is é in ISO-8859-1; whitespace between two adjacent encoded words is dropped (RFC
        // 2047
        // §6.2), whitespace next to plain text is kept.
        String raw =
                "Subject: =?utf-8?B?SGVsbG8gV8O2cmxk?= - =?iso-8859-1?Q?caf=E9_au?= =?iso-8859-1?Q?_lait?=\n\nx";
        assertEquals("Hello Wörld - café au lait", MailText.subject(raw));
    }

    @Test
    void quotedPrintableHtmlBody() {
        String raw =
                "Subject: Offer\nContent-Type: text/html; charset=\"iso-8859-1\"\n"
                        + "Content-Transfer-Encoding: quoted-printable\n\n"
                        + "<HTML><HEAD><STYLE>p {color: red}</STYLE></HEAD><BODY><!-- hidden -->\n"
                        + "<P class=3D\"x\">Save 50% on caf=E9 &amp; t=\nea&nbsp;today!</P></BODY></HTML>\n";
        assertEquals("Offer\nSave 50% on café & tea today!", MailText.toText(raw, 1000));
    }

    @Test
    void multipartPrefersThePlainTextPart() {
        String raw =
                "Subject: News\nContent-Type: multipart/alternative;\n boundary=\"==XYZ==\"\n\n"
                        + "This is a MIME preamble.\n"
                        + "--==XYZ==\nContent-Type: text/html\n\n<b>html version</b>\n"
                        + "--==XYZ==\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                        + "cGxhaW4gdmVyc2lvbg==\n" // base64 of "plain version"
                        + "--==XYZ==--\n";
        assertEquals("News\nplain version", MailText.toText(raw, 1000));
    }

    @Test
    void multipartWithOnlyHtmlAndAnAttachment() {
        String raw =
                "Subject: Pics\nContent-Type: multipart/mixed; boundary=b1\n\n"
                        + "--b1\nContent-Type: image/gif\nContent-Transfer-Encoding: base64\n\nR0lGODlh\n"
                        + "--b1\nContent-Type: text/html\n\n<p>click <a href=\"x\">here</a></p>\n--b1--\n";
        assertEquals("Pics\nclick here", MailText.toText(raw, 1000));
    }

    @Test
    void mixedMultipartTakesTheFirstTextPartAndStrayPartsAreRecognised() {
        // multipart/mixed: the HTML body comes first, a plain-text list footer second.
        String mixed =
                "Subject: Trip\nContent-Type: multipart/mixed; boundary=\"b2\"\n\n"
                        + "--b2\nContent-Type: text/html; charset=gb2312\n\n<p>Travel to China</p>\n"
                        + "--b2\nContent-Type: text/plain\n\nhttp://list.example/listinfo\n--b2--\n";
        assertEquals("Trip\nTravel to China", MailText.toText(mixed, 1000));
        // No multipart Content-Type at all, but the body is MIME parts (base64 of "<b>Hi</b>").
        String stray =
                "Subject: Lost header\n\n------=_Part_1\nContent-Type: text/html\n"
                        + "Content-Transfer-Encoding: base64\n\nPGI+SGk8L2I+\n------=_Part_1--\n";
        assertEquals("Lost header\nHi", MailText.toText(stray, 1000));
    }

    @Test
    void crLfAndNoSubject() {
        assertEquals(
                "only body", MailText.toText("From: a@b\r\nTo: c@d\r\n\r\nonly\r\nbody\r\n", 1000));
    }

    @Test
    void truncatesWithoutSplittingASurrogatePair() {
        String raw =
                "Subject: ab\n\n" + "\uD83D\uDE00".repeat(10); // "ab\n" then emoji (2 chars each)
        String text = MailText.toText(raw, 5); // would end inside the first emoji's pair
        assertEquals("ab\n", text.substring(0, 3));
        assertTrue(text.length() == 3 || text.length() == 5);
        assertTrue(!Character.isHighSurrogate(text.charAt(text.length() - 1)));
        assertEquals(1000, MailText.toText("Subject: s\n\n" + "word ".repeat(500), 1000).length());
    }
}
