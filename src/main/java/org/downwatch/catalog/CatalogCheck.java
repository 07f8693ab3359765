package org.downwatch.catalog;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.downwatch.catalog.CatalogModels.CategoryInput;
import org.downwatch.catalog.CatalogModels.ProblemTypeInput;
import org.downwatch.catalog.CatalogModels.ServiceInput;
import org.downwatch.catalog.CatalogState.ServiceRow;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;

/**
 * Checks catalog input (an import file, or one change) before anything is written: every row against the
 * stored catalog and the other rows, normalised, with every error named by line and field.
 */
final class CatalogCheck {

    static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** At most this many errors are listed; the detail says how many there were. */
    private static final int MAX_ERRORS = 100;

    private CatalogCheck() {
    }

    /** One row of an import, or a single change: where it came from, for the error messages. */
    record Row<T>(T value, int line, String field) {
    }

    /** The rows of an import file (JSON or CSV), each with its line. */
    record Rows(List<Row<ProblemTypeInput>> problemTypes, List<Row<CategoryInput>> categories, List<Row<ServiceInput>> services,
            Errors errors) {

        Rows(List<Row<ProblemTypeInput>> problemTypes, List<Row<CategoryInput>> categories, List<Row<ServiceInput>> services) {
            this(problemTypes, categories, services, null);
        }
    }

    /** Errors gathered over a whole input before anything is written. */
    static final class Errors {
        final List<Problem.FieldError> list = new ArrayList<>();
        int count;

        void add(int line, String field, String message) {
            count++;
            if (list.size() < MAX_ERRORS) {
                list.add(new Problem.FieldError(field, message, line > 0 ? line : null));
            }
        }

        void throwIfAny(String what) {
            if (count == 0) {
                return;
            }
            list.sort(java.util.Comparator.comparing((Problem.FieldError f) -> f.line() == null ? 0 : f.line()));
            Problem.FieldError first = list.get(0);
            String detail = count + " error" + (count == 1 ? "" : "s") + " in " + what + ", nothing was changed; first: "
                    + (first.line() != null ? "line " + first.line() + ", " : "") + first.field() + ": " + first.message();
            throw new ProblemException(Problem.invalid(detail, list));
        }
    }

    /** Checks and normalises every row against the stored catalog and the other rows; errors name line and field. */
    static Rows check(CatalogState state, Rows rows, Errors e) {
        Set<String> types = new HashSet<>(state.types.keySet());
        Set<String> seen = new HashSet<>();
        List<Row<ProblemTypeInput>> outTypes = new ArrayList<>();
        for (Row<ProblemTypeInput> r : rows.problemTypes()) {
            ProblemTypeInput t = r.value();
            String slug = slug(t.slug(), r, e);
            String en = text(t.labelEn(), 100, true, r, "labelEn", e);
            String fr = text(t.labelFr(), 100, true, r, "labelFr", e);
            if (slug != null && !seen.add(slug)) {
                e.add(r.line(), r.field() + "slug", "the problem type " + slug + " appears twice");
            }
            if (slug != null) {
                types.add(slug);
            }
            outTypes.add(new Row<>(new ProblemTypeInput(slug, en, fr), r.line(), r.field()));
        }
        Set<String> categories = new HashSet<>(state.categories.keySet());
        seen.clear();
        List<Row<CategoryInput>> outCats = new ArrayList<>();
        for (Row<CategoryInput> r : rows.categories()) {
            CategoryInput k = r.value();
            String slug = slug(k.slug(), r, e);
            String en = text(k.nameEn(), 100, true, r, "nameEn", e);
            String fr = text(k.nameFr(), 100, true, r, "nameFr", e);
            if (k.position() != null && (k.position() < 0 || k.position() > 1_000_000)) {
                e.add(r.line(), r.field() + "position", "must be between 0 and 1000000");
            }
            List<String> pts = slugList(k.problemTypes(), types, "problemTypes", "problem type", r, e);
            if (slug != null && !seen.add(slug)) {
                e.add(r.line(), r.field() + "slug", "the category " + slug + " appears twice");
            }
            if (slug != null) {
                categories.add(slug);
            }
            outCats.add(new Row<>(new CategoryInput(slug, en, fr, k.position(), pts), r.line(), r.field()));
        }
        seen.clear();
        List<Row<ServiceInput>> outServices = new ArrayList<>(rows.services().size());
        for (Row<ServiceInput> r : rows.services()) {
            ServiceInput s = r.value();
            String slug = slug(s.slug(), r, e);
            if (slug != null) {
                ServiceRow stored = state.services.get(slug);
                Integer retiredBy = state.retired.get(slug);
                if (stored != null && stored.mergedInto != null) {
                    e.add(r.line(), r.field() + "slug", "the service " + slug + " was merged into "
                            + state.current(slug).slug + "; its slug redirects there");
                } else if (stored == null && retiredBy != null) {
                    e.add(r.line(), r.field() + "slug", slug + " is an old slug of " + state.current(slug).slug
                            + " (renamed); use the new slug");
                }
                if (!seen.add(slug)) {
                    e.add(r.line(), r.field() + "slug", "the service " + slug + " appears twice");
                }
            }
            String name = text(s.name(), 200, true, r, "name", e);
            String category = trim(s.category());
            if (category == null || category.isEmpty()) {
                e.add(r.line(), r.field() + "category", "is required");
            } else if (!categories.contains(category)) {
                e.add(r.line(), r.field() + "category", "no category has the slug " + category);
            }
            String country = trim(s.country());
            if (country != null && country.isEmpty()) {
                country = null;
            } else if (country != null) {
                country = country.toUpperCase(java.util.Locale.ROOT);
                if (!COUNTRY.matcher(country).matches()) {
                    e.add(r.line(), r.field() + "country", "must be an ISO 3166-1 alpha-2 code (FR), or empty for a worldwide service");
                }
            }
            String url = trim(s.websiteUrl());
            if (url != null && url.isEmpty()) {
                url = null;
            } else if (url != null && !isWebUrl(url)) {
                e.add(r.line(), r.field() + "websiteUrl", "must be an http or https URL of at most 500 characters");
            }
            List<String> aliases = null;
            if (s.aliases() != null) {
                aliases = new ArrayList<>();
                for (String a : s.aliases()) {
                    String alias = text(a, 100, true, r, "aliases", e);
                    if (alias != null && alias.indexOf('|') >= 0) {
                        e.add(r.line(), r.field() + "aliases", "an alias cannot contain | (the CSV's list separator)");
                    }
                    if (alias != null && !aliases.contains(alias)) {
                        aliases.add(alias);
                    }
                }
                if (aliases.size() > 50) {
                    e.add(r.line(), r.field() + "aliases", "at most 50 aliases");
                }
                aliases.sort(null);
            }
            List<String> pts = slugList(s.problemTypes(), types, "problemTypes", "problem type", r, e);
            outServices.add(new Row<>(new ServiceInput(slug, name, category, country, url, aliases, pts, s.hidden()), r.line(), r.field()));
        }
        return new Rows(outTypes, outCats, outServices);
    }

    private static String slug(String raw, Row<?> r, Errors e) {
        String slug = trim(raw);
        if (slug == null || slug.isEmpty()) {
            e.add(r.line(), r.field() + "slug", "is required");
            return null;
        }
        if (slug.length() > 100 || !SLUG.matcher(slug).matches()) {
            e.add(r.line(), r.field() + "slug", "lower-case letters and digits in words joined by single dashes (la-poste), at most 100 characters");
            return null;
        }
        return slug;
    }

    private static String text(String raw, int max, boolean required, Row<?> r, String field, Errors e) {
        String t = trim(raw);
        if (t == null || t.isEmpty()) {
            if (required) {
                e.add(r.line(), r.field() + field, "is required");
            }
            return null;
        }
        if (t.length() > max) {
            e.add(r.line(), r.field() + field, "at most " + max + " characters");
        } else if (CONTROL.matcher(t).find()) {
            e.add(r.line(), r.field() + field, "control characters are not allowed");
        }
        return t;
    }

    private static List<String> slugList(List<String> raw, Set<String> known, String field, String what, Row<?> r, Errors e) {
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String x : raw) {
            String s = trim(x);
            if (s == null || s.isEmpty()) {
                continue;
            }
            if (!known.contains(s)) {
                e.add(r.line(), r.field() + field, "no " + what + " has the slug " + s);
            } else if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean isWebUrl(String url) {
        if (url.length() > 500) {
            return false;
        }
        try {
            URI u = new URI(url);
            return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
        } catch (Exception ex) {
            return false;
        }
    }

    static String trim(String s) {
        return s == null ? null : s.strip();
    }
}
