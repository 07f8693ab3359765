package org.downwatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FormBodyTest {

    private static final Set<String> WANTED = Set.of("problem", "city");

    private static Map<String, String> decode(String body) throws FormBody.Malformed {
        return FormBody.decode(body.getBytes(StandardCharsets.ISO_8859_1), WANTED);
    }

    @Test
    void decodesEscapesPlusesAndKeepsOnlyTheFormsFields() throws Exception {
        assertEquals(Map.of("problem", "parcel-tracking", "city", "Saint Étienne"),
                decode("problem=parcel-tracking&city=Saint+%C3%89tienne&other=%41"));
        assertEquals(Map.of("problem", "a b"), decode("problem=a%20b"));
    }

    @Test
    void keepsTheFirstOfARepeatedFieldAndAcceptsEmptyOnes() throws Exception {
        assertEquals(Map.of("problem", "first"), decode("problem=first&problem=second"));
        assertEquals(Map.of("problem", "", "city", ""), decode("&&problem&city=&"));
        assertEquals(Map.of(), decode(""));
    }

    @Test
    void refusesMalformedEscapesWherever() {
        for (String body : new String[] {"problem=%E0%A4%A", "problem=%", "problem=%4", "a=%zz&problem=x", "problem=x&a=%zz",
                "%zz=1", "problem=%G1"}) {
            assertThrows(FormBody.Malformed.class, () -> decode(body), body);
        }
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        for (String body : new String[] {"problem=%C3%28", "city=%ff%fe", "problem=%ED%A0%80", "city=\u00e9"}) {
            assertThrows(FormBody.Malformed.class, () -> decode(body), body);
        }
    }

    @Test
    void refusesMoreThanFiftyFields() throws Exception {
        String fifty = IntStream.range(0, 50).mapToObj(i -> "f" + i + "=1").collect(Collectors.joining("&"));
        assertEquals(Map.of(), decode(fifty));
        FormBody.Malformed e = assertThrows(FormBody.Malformed.class, () -> decode(fifty + "&problem=x"));
        assertEquals("more than 50 fields", e.getMessage());
    }
}
