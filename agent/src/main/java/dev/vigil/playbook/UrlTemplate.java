package dev.vigil.playbook;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL with templates only where a value cannot change its shape: the host (a hostname parameter), the port (an
 * integer parameter), path segments and query values. Values in segments and query values are percent-encoded, so
 * a value can never add a segment, a query or a fragment. Immutable.
 */
final class UrlTemplate {
    private static final Pattern SHAPE = Pattern.compile("^(https?)://([^/?#]*)(/[^?#]*)?(\\?[^#]*)?$");
    private static final Pattern PATH_LITERAL = Pattern.compile("^[A-Za-z0-9\\-._~!$&'()*+,;=:@]*$");
    private static final Pattern QUERY_KEY = Pattern.compile("^[A-Za-z0-9\\-._~]+$");
    private static final Pattern QUERY_LITERAL = Pattern.compile("^[A-Za-z0-9\\-._~!$'()*+,;:@/?]*$");
    private static final Pattern PORT = Pattern.compile("^[1-9][0-9]{0,4}$");

    final String scheme;
    final String host;
    final String port;
    final List<String> segments;
    final List<String[]> query;
    final boolean trailingSlash;

    private UrlTemplate(String scheme, String host, String port, List<String> segments, List<String[]> query,
                        boolean trailingSlash) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.segments = List.copyOf(segments);
        this.query = List.copyOf(query);
        this.trailingSlash = trailingSlash;
    }

    /** Parses a template; the message of the exception says what is wrong with it. */
    static UrlTemplate parse(String url) {
        Matcher m = SHAPE.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("must look like http(s)://host[:port]/path[?key=value], with no fragment");
        }
        String authority = m.group(2);
        String host;
        String rest;
        if (authority.startsWith("{{")) {
            int end = authority.indexOf("}}");
            host = end < 0 ? authority : authority.substring(0, end + 2);
            rest = end < 0 ? "" : authority.substring(end + 2);
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            rest = colon < 0 ? "" : authority.substring(colon);
        }
        if (!rest.isEmpty() && !rest.startsWith(":")) {
            throw new IllegalArgumentException("the host must be a literal host name or exactly one {{parameter}}");
        }
        String port = rest.isEmpty() ? "" : rest.substring(1);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("has no host");
        }
        if (Templates.whole(host).isEmpty()) {
            if (Templates.looksTemplated(host)) {
                throw new IllegalArgumentException("the host must be a literal host name or exactly one {{parameter}}");
            }
            if (!ParameterSpec.isHostname(host)) {
                throw new IllegalArgumentException("host " + Quote.quote(host) + " is not a host name or an IPv4 address");
            }
        }
        if (!rest.isEmpty() && Templates.whole(port).isEmpty() && !(PORT.matcher(port).matches()
                && Integer.parseInt(port) <= 65535)) {
            throw new IllegalArgumentException("the port must be 1-65535 or exactly one {{parameter}}");
        }
        String path = m.group(3) == null ? "" : m.group(3);
        List<String> segments = new ArrayList<>();
        boolean trailing = false;
        if (!path.isEmpty()) {
            String[] parts = path.substring(1).split("/", -1);
            for (int i = 0; i < parts.length; i++) {
                String seg = parts[i];
                if (seg.isEmpty()) {
                    if (i == parts.length - 1) {
                        trailing = true;
                        continue;
                    }
                    throw new IllegalArgumentException("has an empty path segment");
                }
                if (Templates.malformed(seg)) {
                    throw new IllegalArgumentException("has a malformed template in path segment " + Quote.quote(seg));
                }
                String literal = Templates.TEMPLATE.matcher(seg).replaceAll("");
                if (!PATH_LITERAL.matcher(literal).matches()) {
                    throw new IllegalArgumentException("path segment " + Quote.quote(seg)
                            + " has a character that must be percent-encoded");
                }
                if (seg.equals(".") || seg.equals("..")) {
                    throw new IllegalArgumentException("has a dot segment");
                }
                segments.add(seg);
            }
        }
        List<String[]> query = new ArrayList<>();
        if (m.group(4) != null && m.group(4).length() > 1) {
            for (String pair : m.group(4).substring(1).split("&", -1)) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                if (!QUERY_KEY.matcher(key).matches()) {
                    throw new IllegalArgumentException("query key " + Quote.quote(key) + " must be literal letters, digits or -._~");
                }
                if (Templates.malformed(value)) {
                    throw new IllegalArgumentException("has a malformed template in the query value of " + key);
                }
                if (!QUERY_LITERAL.matcher(Templates.TEMPLATE.matcher(value).replaceAll("")).matches()) {
                    throw new IllegalArgumentException("the query value of " + key + " has a character that must be percent-encoded");
                }
                query.add(new String[] {key, value});
            }
        }
        return new UrlTemplate(m.group(1), host, port, segments, query, trailing);
    }

    /** The names of the parameters in the host and port (they need a hostname and an integer parameter). */
    String hostParameter() {
        return Templates.whole(host).orElse("");
    }

    String portParameter() {
        return Templates.whole(port).orElse("");
    }

    /**
     * The URL with validated values: host and port as they are, segment and query values percent-encoded.
     * Throws {@link IllegalArgumentException} when a value would make a dot segment, a host that is not a host
     * name, a port that is not a port number, or an invalid URL.
     */
    String render(UnaryOperator<String> valueOf) {
        StringBuilder sb = new StringBuilder(scheme).append("://");
        // host and port values go in unencoded, so they are checked here too, not only by their parameter specs
        String renderedHost = Templates.render(host, valueOf);
        if (!ParameterSpec.isHostname(renderedHost)) {
            throw new IllegalArgumentException("host " + Quote.quote(renderedHost) + " is not a host name or an IPv4 address");
        }
        sb.append(renderedHost);
        if (!port.isEmpty()) {
            String renderedPort = Templates.render(port, valueOf);
            if (!PORT.matcher(renderedPort).matches() || Integer.parseInt(renderedPort) > 65535) {
                throw new IllegalArgumentException("port " + Quote.quote(renderedPort) + " is not a port number");
            }
            sb.append(':').append(renderedPort);
        }
        for (String seg : segments) {
            String rendered = Templates.render(seg, name -> encode(valueOf.apply(name)));
            if (rendered.equals(".") || rendered.equals("..")) {
                throw new IllegalArgumentException("a value would make the dot segment " + rendered + " in the URL");
            }
            sb.append('/').append(rendered);
        }
        if (trailingSlash || segments.isEmpty()) {
            sb.append('/');
        }
        char sep = '?';
        for (String[] kv : query) {
            sb.append(sep).append(kv[0]).append('=').append(Templates.render(kv[1], name -> encode(valueOf.apply(name))));
            sep = '&';
        }
        String url = sb.toString();
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the rendered URL has no valid host: " + Quote.quote(url));
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the rendered URL is invalid: " + Quote.quote(url), e);
        }
        return url;
    }

    /** Percent-encodes everything but the unreserved characters of RFC 3986, byte by byte in UTF-8. */
    static String encode(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
