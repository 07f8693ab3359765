package org.downwatch.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.downwatch.catalog.CatalogAdmin.Errors;
import org.downwatch.catalog.CatalogAdmin.Row;
import org.downwatch.catalog.CatalogAdmin.Rows;
import org.downwatch.catalog.CatalogModels.CatalogFile;
import org.downwatch.catalog.CatalogModels.CategoryInput;
import org.downwatch.catalog.CatalogModels.ProblemTypeInput;
import org.downwatch.catalog.CatalogModels.ServiceInput;

/**
 * The catalog's import and export files. JSON: {@code {"categories": [...], "problemTypes": [...],
 * "services": [...]}} as {@link CatalogFile}. CSV: one row per category, problem type or service, told apart
 * by {@code kind} (header {@value #CSV_HEADER}); lists are separated by {@code |}. Rows are numbered by the
 * physical line they start on (the header is line 1), so that errors can name them.
 */
public final class CatalogFiles {

    public static final String CSV_HEADER = "kind,slug,name,name_fr,category,country,website_url,aliases,problem_types,position,hidden";
    private static final List<String> COLUMNS = List.of(CSV_HEADER.split(","));

    private CatalogFiles() {
    }

    /** Reads a JSON catalog, each row with the line its object starts on; a malformed file is a 400 naming the line. */
    static Rows json(ObjectMapper mapper, byte[] body) {
        ObjectMapper strict = mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Errors errors = new Errors();
        List<Row<ProblemTypeInput>> types = new ArrayList<>();
        List<Row<CategoryInput>> categories = new ArrayList<>();
        List<Row<ServiceInput>> services = new ArrayList<>();
        try (JsonParser p = strict.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                errors.add(1, "body", "a JSON object with categories, problemTypes and services is expected");
                errors.throwIfAny("the file");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                JsonToken t = p.nextToken();
                Class<?> type = switch (member) {
                    case "categories" -> CategoryInput.class;
                    case "problemTypes" -> ProblemTypeInput.class;
                    case "services" -> ServiceInput.class;
                    default -> null;
                };
                if (type == null || t != JsonToken.START_ARRAY) {
                    errors.add(p.currentTokenLocation().getLineNr(), member,
                            type == null ? "unknown member (categories, problemTypes, services)" : "must be an array");
                    p.skipChildren();
                    continue;
                }
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int line = p.currentTokenLocation().getLineNr();
                    String field = member + "[" + i++ + "].";
                    JsonNode node = strict.readTree(p);
                    try {
                        Object value = strict.treeToValue(node, type);
                        if (value instanceof CategoryInput c) {
                            categories.add(new Row<>(c, line, field));
                        } else if (value instanceof ProblemTypeInput pt) {
                            types.add(new Row<>(pt, line, field));
                        } else {
                            services.add(new Row<>((ServiceInput) value, line, field));
                        }
                    } catch (UnrecognizedPropertyException e) {
                        errors.add(line, field + e.getPropertyName(), "unknown field");
                    } catch (JsonProcessingException e) {
                        String at = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? m.getPath().stream()
                                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                                .collect(Collectors.joining(".")) : "";
                        errors.add(line, field + at, node.isObject() ? "wrong type" : "must be an object");
                    }
                }
            }
        } catch (JsonProcessingException e) {
            errors.add(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "body", "malformed JSON");
            errors.throwIfAny("the file");
        } catch (IOException e) {
            errors.add(0, "body", "unreadable");
            errors.throwIfAny("the file");
        }
        return new Rows(types, categories, services, errors);
    }

    /** Reads a CSV catalog (RFC 4180; a byte-order mark and CRLF accepted). */
    static Rows csv(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Errors errors = new Errors();
        List<Row<ProblemTypeInput>> types = new ArrayList<>();
        List<Row<CategoryInput>> categories = new ArrayList<>();
        List<Row<ServiceInput>> services = new ArrayList<>();
        List<Record> records = records(text, errors);
        if (records.isEmpty() || !records.get(0).cells.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList().equals(COLUMNS)) {
            errors.add(1, "header", "the header must be " + CSV_HEADER);
            errors.throwIfAny("the file");
        }
        for (Record r : records.subList(1, records.size())) {
            if (r.cells.size() == 1 && r.cells.get(0).isBlank()) {
                continue; // an empty line
            }
            if (r.cells.size() != COLUMNS.size()) {
                errors.add(r.line, "line", "expected " + COLUMNS.size() + " columns, found " + r.cells.size());
                continue;
            }
            Map<String, String> v = new java.util.HashMap<>();
            for (int i = 0; i < COLUMNS.size(); i++) {
                v.put(COLUMNS.get(i), r.cells.get(i));
            }
            String kind = v.get("kind").strip();
            switch (kind) {
                case "problem-type" -> types.add(new Row<>(new ProblemTypeInput(v.get("slug"), v.get("name"), v.get("name_fr")), r.line, ""));
                case "category" -> {
                    Integer position = null;
                    String pos = v.get("position").strip();
                    if (!pos.isEmpty()) {
                        try {
                            position = Integer.parseInt(pos);
                        } catch (NumberFormatException e) {
                            errors.add(r.line, "position", "must be a whole number");
                        }
                    }
                    categories.add(new Row<>(new CategoryInput(v.get("slug"), v.get("name"), v.get("name_fr"), position,
                            list(v.get("problem_types"))), r.line, ""));
                }
                case "service" -> {
                    String hidden = v.get("hidden").strip().toLowerCase(Locale.ROOT);
                    if (!hidden.isEmpty() && !hidden.equals("true") && !hidden.equals("false")) {
                        errors.add(r.line, "hidden", "must be true, false or empty");
                    }
                    services.add(new Row<>(new ServiceInput(v.get("slug"), v.get("name"), v.get("category"), v.get("country"),
                            v.get("website_url"), list(v.get("aliases")), list(v.get("problem_types")),
                            hidden.isEmpty() ? null : Boolean.valueOf(hidden)), r.line, ""));
                }
                default -> errors.add(r.line, "kind", "must be category, problem-type or service");
            }
        }
        return new Rows(types, categories, services, errors);
    }

    /** The catalog as CSV, in the order an import needs nothing of: problem types, categories, services. */
    public static String csv(CatalogFile file) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (ProblemTypeInput t : file.problemTypes()) {
            line(b, "problem-type", t.slug(), t.labelEn(), t.labelFr(), "", "", "", "", "", "", "");
        }
        for (CategoryInput c : file.categories()) {
            line(b, "category", c.slug(), c.nameEn(), c.nameFr(), "", "", "", "", String.join("|", c.problemTypes()),
                    String.valueOf(c.position()), "");
        }
        for (ServiceInput s : file.services()) {
            line(b, "service", s.slug(), s.name(), "", s.category(), s.country(), s.websiteUrl(), String.join("|", s.aliases()),
                    String.join("|", s.problemTypes()), "", String.valueOf(s.hidden()));
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            String c = cells[i] == null ? "" : cells[i];
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        b.append('\n');
    }

    private static List<String> list(String cell) {
        return cell == null || cell.isBlank() ? List.of() : Arrays.stream(cell.split("\\|")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    private record Record(int line, List<String> cells) {
    }

    /** Splits RFC 4180 text into records, each with the physical line it starts on. */
    private static List<Record> records(String text, Errors errors) {
        List<Record> out = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int line = 1;
        int start = 1;
        boolean quoted = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.isEmpty()) {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                cells.add(cell.toString());
                cell.setLength(0);
                out.add(new Record(start, List.copyOf(cells)));
                cells.clear();
                line++;
                start = line;
            } else {
                cell.append(ch);
            }
        }
        if (quoted) {
            errors.add(start, "line", "a quoted value is not closed");
        }
        if (!cell.isEmpty() || !cells.isEmpty()) {
            cells.add(cell.toString());
            out.add(new Record(start, List.copyOf(cells)));
        }
        return out;
    }
}
