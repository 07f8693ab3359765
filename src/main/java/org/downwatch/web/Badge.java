package org.downwatch.web;

/**
 * A status badge in the shields.io "flat" style: the service's name on grey, its level on the level's
 * colour. Plain Java: the text widths are estimated from Verdana 11px, as shields.io lays them out.
 */
final class Badge {

    static final String GREEN = "#4c1";
    static final String YELLOW = "#dfb317";
    static final String RED = "#e05d44";

    private Badge() {
    }

    /** The badge's words and colour for a level ({@code none}, {@code possible}, {@code problem}). */
    record Look(String message, String colour) {
    }

    static Look look(String level, boolean fr) {
        return switch (level) {
            case "problem" -> new Look(fr ? "problèmes" : "problems", RED);
            case "possible" -> new Look(fr ? "problèmes possibles" : "possible problems", YELLOW);
            default -> new Look(fr ? "aucun problème" : "no problems", GREEN);
        };
    }

    static String svg(String label, Look look) {
        int lw = width(label) + 10;
        int mw = width(look.message()) + 10;
        int w = lw + mw;
        String l = escape(label);
        String m = escape(look.message());
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"20\" role=\"img\" aria-label=\""
                + l + ": " + m + "\"><title>" + l + ": " + m + "</title>"
                + "<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/>"
                + "<stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>"
                + "<clipPath id=\"r\"><rect width=\"" + w + "\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>"
                + "<g clip-path=\"url(#r)\"><rect width=\"" + lw + "\" height=\"20\" fill=\"#555\"/>"
                + "<rect x=\"" + lw + "\" width=\"" + mw + "\" height=\"20\" fill=\"" + look.colour() + "\"/>"
                + "<rect width=\"" + w + "\" height=\"20\" fill=\"url(#s)\"/></g>"
                + "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">"
                + text(lw / 2.0, l) + text(lw + mw / 2.0, m) + "</g></svg>";
    }

    private static String text(double x, String s) {
        String xs = x == Math.floor(x) ? Integer.toString((int) x) : Double.toString(x);
        return "<text x=\"" + xs + "\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\">" + s + "</text>"
                + "<text x=\"" + xs + "\" y=\"14\">" + s + "</text>";
    }

    /** Approximate width in pixels of text in Verdana 11px. */
    static int width(String s) {
        double w = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("il.,:;'|!".indexOf(c) >= 0) {
                w += 3.1;
            } else if ("jftrI() ".indexOf(c) >= 0) {
                w += 4.3;
            } else if ("mwMW".indexOf(c) >= 0) {
                w += 10.2;
            } else if (Character.isUpperCase(c) || Character.isDigit(c) || "+&%".indexOf(c) >= 0) {
                w += 7.5;
            } else {
                w += 6.6;
            }
        }
        return (int) Math.ceil(w);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
