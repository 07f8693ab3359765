package org.downwatch.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import org.downwatch.report.ReportResource.ReportRequest;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;

/**
 * The API's report body bound to {@link ReportRequest}, strictly: an object of known string members,
 * each at most once, and nothing after it. Anything else is a 400 naming the member (or {@code body}).
 * Strict on purpose: a typo ("postCode") or a client time ("receivedAt") is said, not silently dropped.
 */
@ApplicationScoped
class ReportJson {

    private final ObjectReader reader;

    ReportJson(ObjectMapper json) {
        // a copy: numbers and booleans are not strings here, whatever the application's mapper coerces
        ObjectMapper strict = json.copy();
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        this.reader = strict.readerFor(ReportRequest.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    ReportService.Input read(byte[] body) {
        ReportRequest r;
        try {
            r = reader.readValue(body);
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.invalid(e.getPropertyName(),
                    "unknown field (accepted: problem, country, city, postcode; the time is the server's)");
        } catch (MismatchedInputException e) {
            if (!e.getPath().isEmpty() && e.getPath().get(0).getFieldName() != null) {
                throw ProblemException.invalid(e.getPath().get(0).getFieldName(), "must be a string");
            }
            // at the root: not an object, or (the body being an object) something after it
            throw startsWithObject(body) ? body("trailing data after the JSON object") : notAnObject();
        } catch (StreamReadException e) {
            String duplicate = duplicateMember(e);
            if (duplicate != null) {
                throw ProblemException.invalid(duplicate, "given twice: each member at most once");
            }
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ProblemException(Problem.invalid("body: malformed JSON" + where, List.of(new Problem.FieldError("body", "malformed JSON"))));
        } catch (IOException e) {
            throw body("unreadable");
        }
        if (r == null) {
            throw notAnObject();
        }
        return new ReportService.Input(r.problem(), r.country(), r.city(), r.postcode());
    }

    /** The member a strict-duplicate failure names (the parser's current name), else null. */
    private static String duplicateMember(StreamReadException e) {
        JsonParser p = e.getProcessor();
        if (p == null || e.getOriginalMessage() == null || !e.getOriginalMessage().startsWith("Duplicate field")) {
            return null;
        }
        try {
            return p.currentName();
        } catch (RuntimeException | IOException ignored) {
            return null;
        }
    }

    private static boolean startsWithObject(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    private static ProblemException notAnObject() {
        return new ProblemException(Problem.invalid("body: must be a JSON object", List.of(new Problem.FieldError("body", "not a JSON object"))));
    }

    private static ProblemException body(String message) {
        return ProblemException.invalid("body", message);
    }
}
