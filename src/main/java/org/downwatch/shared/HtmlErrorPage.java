package org.downwatch.shared;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Renders an error for a person (a page, not JSON). The site provides the real one; {@link ProblemMappers}
 * falls back to a plain, escaped page when none is there.
 */
public interface HtmlErrorPage {

    Response render(Problem problem, HttpHeaders headers, UriInfo uri);
}
