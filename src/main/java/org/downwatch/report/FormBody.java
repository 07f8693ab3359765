package org.downwatch.report;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.jboss.logging.Logger;

/**
 * A strict decoder of the report form's {@code application/x-www-form-urlencoded} body, read as bytes by
 * {@link ReportForm} instead of through the REST layer's form parsing. That parsing (Netty's
 * {@code HttpPostStandardRequestDecoder}, run by Vert.x) throws from inside the request's end handler on a
 * malformed escape: in the last field the request is never answered, elsewhere it is a 500, and its
 * parameter limit (1,000) is a 500 with a stack trace. Here everything is decided on the whole body
 * at once, in plain Java: any malformation is one {@link Malformed} exception, never a hang.
 * <p>
 * Rules: fields separated by {@code &}, {@code name=value} ({@code name} alone is an empty value),
 * {@code +} is a space, {@code %XX} a byte, and the bytes must be well-formed UTF-8. Only the fields the
 * form has are kept (a repeated one keeps its first value, as the REST layer did); at most
 * {@link #MAX_FIELDS} fields in all.
 */
final class FormBody {

    /** The form has 5 fields; room for browsers' and extensions' additions, not for a flood. */
    private static final Logger LOG = Logger.getLogger(FormBody.class);
    static final int MAX_FIELDS = 50;

    /** Why a body was refused, in words for the log (never an echo of the body). */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    private FormBody() {
    }

    /**
     * The wanted fields of a site form (the report form, the works button), or the site's 413 or 400 page for
     * a body that is too large or cannot be decoded, with one log line and nothing of the body.
     */
    static Map<String, String> read(byte[] body, Set<String> wanted, String form) {
        if (body.length > ReportResource.MAX_BODY) {
            throw ReportBodyLimit.tooLarge();
        }
        try {
            return decode(body, wanted);
        } catch (Malformed e) {
            // a malformed form is the sender's mistake
            LOG.infof("%s refused (400): %s, %d bytes", form, e.getMessage(), body.length);
            throw new ProblemException(Problem.invalid("The form could not be read: " + e.getMessage(),
                    List.of(new Problem.FieldError("body", e.getMessage()))));
        }
    }

    /** The values of {@code wanted} fields present in {@code body}. */
    static Map<String, String> decode(byte[] body, Set<String> wanted) throws Malformed {
        Map<String, String> values = new HashMap<>();
        int fields = 0;
        int start = 0;
        while (start <= body.length) {
            int end = indexOf(body, (byte) '&', start);
            if (end > start) {
                if (++fields > MAX_FIELDS) {
                    throw new Malformed("more than " + MAX_FIELDS + " fields");
                }
                int eq = indexOf(body, (byte) '=', start);
                int nameEnd = eq < 0 || eq > end ? end : eq;
                String name = decode(body, start, nameEnd);
                String value = nameEnd == end ? "" : decode(body, nameEnd + 1, end);
                if (wanted.contains(name)) {
                    values.putIfAbsent(name, value);
                }
            }
            start = end + 1;
        }
        return values;
    }

    /** The index of {@code b} from {@code from}, or {@code body.length}. */
    private static int indexOf(byte[] body, byte b, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return body.length;
    }

    private static String decode(byte[] body, int from, int to) throws Malformed {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                out[n++] = ' ';
            } else if (b == '%') {
                if (i + 2 >= to) {
                    throw new Malformed("truncated percent-escape");
                }
                int hi = Character.digit(body[i + 1], 16);
                int lo = Character.digit(body[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw new Malformed("invalid percent-escape");
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = b;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = utf8.decode(ByteBuffer.wrap(out, 0, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("not UTF-8");
        }
    }
}
